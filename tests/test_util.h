// Helpers shared by the tests: load YAML from strings, lint in process, run
// the CLI in process or as the binary.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lint.h"
#include "engine/runner.h"
#include "loader/document.h"
#include "loader/loader.h"
#include "model/model.h"

namespace meshlint::testing {

// Loads `files` (name → YAML text) as one input set and finalizes the model.
MeshModel LoadFiles(const std::vector<std::pair<std::string, std::string>>& files,
                    const LoadOptions& options = {});
// "file:line:col message" for each load problem of `m`.
std::vector<std::string> Problems(const MeshModel& m);

// "file:line:col rule-id" for each finding of `model`, in report order.
std::vector<std::string> FindingKeys(const MeshModel& model, const RunOptions& options = {});

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs build/meshlint with `args` (shell-quoted here) from `cwd`, feeding `input`.
// For what needs a process: its exit status, its real streams (a closed or
// full stdout, stdin from a pipe), the files it leaves, signals.
CommandResult RunMeshlint(const std::vector<std::string>& args, const std::string& cwd,
                          const std::string& input = "");

// The same command in this process (RunCli, the code main() runs): stdout,
// stderr and the exit status as the binary would give them, `input` as
// stdin, `cwd` as the working directory for the call. Much faster; use it
// unless the test is about the process itself.
CommandResult RunInProcess(const std::vector<std::string>& args, const std::string& cwd,
                           const std::string& input = "");

// Changes the working directory for the object's life (paths, config
// discovery and display paths all follow it).
class ScopedCwd {
 public:
  explicit ScopedCwd(const std::filesystem::path& dir);
  ~ScopedCwd();
  ScopedCwd(const ScopedCwd&) = delete;
  ScopedCwd& operator=(const ScopedCwd&) = delete;

 private:
  std::filesystem::path previous_;
};

// Lints in-memory files (name → YAML text) with Lint(): `request` gives the
// settings; its texts are replaced by `files` and no path is read.
LintResult LintTexts(const std::vector<std::pair<std::string, std::string>>& files,
                     LintRequest request = {});

// `path:line:col: severity [rule] message` lines, as `lint --format text`
// prints the findings of `result` (suppressed ones left out).
std::string TextReport(const LintResult& result);

std::string SourceDir();

// tests/repos/<name>: a real-looking repository tree of the tests.
std::filesystem::path RepoTree(const std::string& name);

// The format of rules/<id>/doc.md, which `meshlint explain`, the SARIF rule
// help and the README rely on (rule_doc_format_test, new_rule_test).
std::vector<std::string> DocLines(std::string_view text);
// The lines of one `## Heading` section, up to the next `## ` heading.
std::vector<std::string> DocSection(const std::vector<std::string>& lines,
                                    std::string_view heading);
// The text of the first ```yaml block among `lines`, or "" if there is none.
std::string FirstYamlBlock(const std::vector<std::string>& lines);
// What is wrong with `doc` as the doc of rule `id`, one line each (empty:
// nothing): the title, the first paragraph, the sections in order, a yaml
// block in Example and Fix, no placeholder.
std::vector<std::string> RuleDocFormatProblems(std::string_view id, std::string_view doc);

// A scratch directory, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `text` to `name` (parent directories created); returns the full path.
  std::string Write(const std::string& name, const std::string& text) const;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};
std::string ReadFileText(const std::string& path);

// fn(file, document) for every document of every .yaml/.yml file under
// `root`, cut as the loader cuts them (files holding binary data skipped).
void ForEachManifestDocument(
    const std::filesystem::path& root,
    const std::function<void(const std::filesystem::path&, const DocumentChunk&)>& fn);

}  // namespace meshlint::testing
