#include "test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.h"
#include "loader/text.h"
#include "report/report.h"

namespace meshlint::testing {

std::vector<std::string> Problems(const MeshModel& m) {
  std::vector<std::string> out;
  for (const LoadProblem& p : m.problems)
    out.push_back(m.files.display(p.loc.file) + ":" + std::to_string(p.loc.line) + ":" +
                  std::to_string(p.loc.column) + " " + p.message);
  return out;
}

MeshModel LoadFiles(const std::vector<std::pair<std::string, std::string>>& files,
                    const LoadOptions& options) {
  MeshModel model;
  for (const auto& [name, text] : files) LoadText(text, name, options, model);
  model.Finalize();
  return model;
}

std::vector<std::string> FindingKeys(const MeshModel& model, const RunOptions& options) {
  std::vector<std::string> out;
  for (const Finding& f : RunRules(model, options)) {
    std::string key = model.files.display(f.diag.loc.file) + ":" + std::to_string(f.diag.loc.line) +
                      ":" + std::to_string(f.diag.loc.column) + " " + std::string(f.rule_id);
    out.push_back(key);
  }
  return out;
}

namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

CommandResult RunMeshlint(const std::vector<std::string>& args, const std::string& cwd,
                          const std::string& input) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path tmp = fs::temp_directory_path() / ("meshlint-test-" + std::to_string(::getpid()) +
                                                    "-" + std::to_string(++counter));
  fs::create_directories(tmp);
  { std::ofstream(tmp / "in", std::ios::binary) << input; }
  std::string cmd = "cd " + Quote(cwd) + " && " + Quote(MESHLINT_BINARY);
  for (const auto& a : args) cmd += " " + Quote(a);
  cmd += " <" + Quote((tmp / "in").string()) + " >" + Quote((tmp / "out").string()) + " 2>" +
         Quote((tmp / "err").string());
  CommandResult r;
  int raw = std::system(cmd.c_str());
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = ReadFileText((tmp / "out").string());
  r.err = ReadFileText((tmp / "err").string());
  fs::remove_all(tmp);
  return r;
}

CommandResult RunInProcess(const std::vector<std::string>& args, const std::string& cwd,
                           const std::string& input) {
  std::vector<const char*> argv = {"meshlint"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::istringstream in(input);
  std::ostringstream out, err;
  CommandResult r;
  {
    ScopedCwd here(cwd);
    std::streambuf* previous = std::cin.rdbuf(in.rdbuf());
    r.status = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
    std::cin.rdbuf(previous);
  }
  r.out = out.str();
  r.err = err.str();
  return r;
}

ScopedCwd::ScopedCwd(const std::filesystem::path& dir)
    : previous_(std::filesystem::current_path()) {
  std::filesystem::current_path(dir);
}

ScopedCwd::~ScopedCwd() {
  std::error_code ec;
  std::filesystem::current_path(previous_, ec);
}

LintResult LintTexts(const std::vector<std::pair<std::string, std::string>>& files,
                     LintRequest request) {
  request.texts = files;
  request.paths.clear();
  return Lint(request);
}

std::string TextReport(const LintResult& result) {
  std::ostringstream out;
  WriteText(out, ReportContext{result.model, result.findings, "/", result.input_problems});
  return out.str();
}

std::string SourceDir() { return MESHLINT_SOURCE_DIR; }

std::filesystem::path RepoTree(const std::string& name) {
  return std::filesystem::path(SourceDir()) / "tests" / "repos" / name;
}

TempDir::TempDir() {
  static int counter = 0;
  path_ = std::filesystem::temp_directory_path() /
          ("meshlint-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& text) const {
  const std::filesystem::path p = path_ / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
  return p.string();
}

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void ForEachManifestDocument(
    const std::filesystem::path& root,
    const std::function<void(const std::filesystem::path&, const DocumentChunk&)>& fn) {
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    const std::string ext = e.path().extension().string();
    if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    const std::string text = ReadFileText(e.path().string());
    if (FindBinary(text)) continue;
    for (const DocumentChunk& chunk : SplitDocuments(StripBom(text), false)) fn(e.path(), chunk);
  }
}

std::vector<std::string> DocLines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    out.emplace_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return out;
}

std::vector<std::string> DocSection(const std::vector<std::string>& lines,
                                    std::string_view heading) {
  std::vector<std::string> out;
  bool in = false;
  for (const std::string& line : lines) {
    if (line.starts_with("## ")) {
      if (in) break;
      in = line == heading;
      continue;
    }
    if (in) out.push_back(line);
  }
  return out;
}

std::string FirstYamlBlock(const std::vector<std::string>& lines) {
  std::string out;
  bool in = false;
  for (const std::string& line : lines) {
    if (!in && line == "```yaml") {
      in = true;
      continue;
    }
    if (in && line == "```") return out;
    if (in) out += line + "\n";
  }
  return "";
}

std::vector<std::string> RuleDocFormatProblems(std::string_view id, std::string_view doc) {
  std::vector<std::string> problems;
  const std::vector<std::string> lines = DocLines(doc);
  if (lines.size() < 3) return {"shorter than a title and a paragraph"};
  if (lines[0] != "# " + std::string(id)) problems.push_back("the title must be the rule id");
  if (!lines[1].empty()) problems.push_back("a blank line must follow the title");
  // The first paragraph becomes SARIF fullDescription: real prose.
  if (lines[2].empty() || lines[2].starts_with("#"))
    problems.push_back("the first paragraph (what the rule flags) must follow the title");
  if (doc.find("TBD") != std::string_view::npos) problems.push_back("placeholder text left in");

  std::vector<std::string> headings;
  for (const std::string& line : lines)
    if (line.starts_with("## ")) headings.push_back(line);
  const std::vector<std::string> required = {"## Why it matters", "## Example", "## Fix"};
  for (std::size_t i = 0; i < headings.size(); ++i) {
    if (i < required.size() && headings[i] != required[i])
      problems.push_back("section " + std::to_string(i + 1) + " must be '" + required[i] + "'");
    if (i >= required.size() && headings[i] != "## Options / notes")
      problems.push_back("only one optional section, '## Options / notes', not '" + headings[i] +
                         "'");
  }
  for (const std::string& h : required) {
    const std::vector<std::string> section = DocSection(lines, h);
    if (std::all_of(section.begin(), section.end(), [](const std::string& l) { return l.empty(); }))
      problems.push_back("'" + h + "' is missing or empty");
  }
  if (FirstYamlBlock(DocSection(lines, "## Example")).empty())
    problems.push_back("Example needs a ```yaml block");
  if (FirstYamlBlock(DocSection(lines, "## Fix")).empty())
    problems.push_back("Fix needs a ```yaml block");
  return problems;
}

}  // namespace meshlint::testing
