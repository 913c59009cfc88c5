#include "test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace meshlint::testing {

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
  const fs::path tmp = fs::temp_directory_path() /
                       ("meshlint-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  fs::create_directories(tmp);
  {
    std::ofstream(tmp / "in", std::ios::binary) << input;
  }
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

std::string SourceDir() { return MESHLINT_SOURCE_DIR; }

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

}  // namespace meshlint::testing
