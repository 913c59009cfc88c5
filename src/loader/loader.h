// Files and stdin → documents → MeshModel: the loader's public face. The
// loader is the only code that touches yaml-cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace meshlint {

struct LoadOptions {
  // Namespace for namespaced objects that do not name one (`kubectl apply`
  // without `-n`).
  std::string default_namespace = "default";
  // Optional file holding mesh settings (bare MeshConfig, IstioOperator,
  // ConfigMap `istio`, or Helm values with `meshConfig:`).
  std::string mesh_config_file;
  // Display paths are made relative to this directory (the working directory
  // when empty).
  std::string base_dir;
  // Parallel loading (files, and batches of documents of big files); 0 means
  // the machine's cores. Output does not depend on it.
  unsigned jobs = 0;
  // Parse every document with yaml-cpp. By default, documents the rules never
  // look inside (Deployments, ConfigMaps, CRDs...) are read by a cheap scanner
  // when it can prove they are well-formed; the model is the same either way.
  bool full_parse = false;
  // How much of a big file is in memory at once: it is read a window at a
  // time (0: 8 MiB). The model does not depend on it; tests set it small.
  std::size_t window_bytes = 0;

  // Path globs (loader/text.h GlobMatch) over paths relative to `glob_base`
  // (the project config's directory). With `include` set, only matching files
  // are read; files matching `exclude` never are. Files outside `glob_base`
  // and stdin are not filtered.
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::string glob_base;
  // The Istio release modelled (--istio-version, istioVersion): the model's
  // validation and semantics follow it.
  IstioVersion istio_version = kDefaultIstioVersion;
  // --exclude GLOB: the same globs, over paths relative to `base_dir` (the
  // working directory), so that they mean what the shell would.
  std::vector<std::string> command_line_exclude;
  // The tool that renders kustomizations found while walking: "kustomize",
  // "kubectl" or a path to either; empty: whichever is on PATH.
  std::string kustomize_command;
  // --stdin-filename: the file stdin's text stands for (reports name it, SARIF
  // and annotations point into it); empty: "<stdin>".
  std::string stdin_name;
  // --no-ignore: walk directories without .gitignore and .meshlintignore
  // (loader/ignore.h).
  bool no_ignore = false;
  // Files below these directories (absolute) are not read: the other
  // environments' directories when one environment is linted.
  std::vector<std::string> excluded_dirs;
};

// A problem with the command line's inputs themselves (a path that does not
// exist): the run cannot go on as the user asked, exit status 2.
struct InputError {
  std::string path;
  std::string message;
};

// Loads every input into `model` and finalizes it. Paths are files,
// directories (walked recursively for .yaml/.yml/.json) or "-" for stdin; an
// empty list means the working directory. Problems inside files become
// model.problems; problems with the paths themselves are returned.
std::vector<InputError> LoadInputs(const std::vector<std::string>& paths,
                                   const LoadOptions& options, MeshModel& model);

// One group/kind/namespace/name read more than once is one object, as
// `kubectl apply` of every file leaves it: the copy read last stays, the
// others are removed and listed in report.duplicates (loader/identity.cpp).
// LoadInputs does it; callers of LoadText do it before Finalize. The
// collections are merged on up to `jobs` threads (0: every core).
void MergeDuplicateObjects(Objects& objects, LoadReport& report, unsigned jobs = 1);

// Loads one in-memory text as if it were a file named `display_name` (tests,
// stdin). Named "<stdin>", Helm's `# Source:` comments attribute documents to
// their templates, as for stdin. Does not finalize the model.
void LoadText(std::string_view text, const std::string& display_name, const LoadOptions& options,
              MeshModel& model);

// Loads one in-memory text as the --mesh-config file named `display_name`
// (tests, fuzzing). Does not finalize the model.
void LoadMeshConfigText(std::string_view text, const std::string& display_name,
                        const LoadOptions& options, MeshModel& model);

// Reads an egress policy file (`--policy FILE`) into model.egress_policy and
// adds the file to model.files. Returns what makes it unusable, each located
// in model.files (loc.line 0: the file as a whole); empty: loaded. Pattern
// syntax is checked by egress::CompilePolicy, not here.
std::vector<Problem> LoadEgressPolicy(const std::string& path, const LoadOptions& options,
                                      MeshModel& model);

// The same for a policy written inside another file (the project config's
// `egressPolicy:` mapping): `text` is that file's text from line `first_line`
// on, columns unchanged, so positions point into `path`.
std::vector<Problem> LoadEgressPolicyText(std::string_view text, std::uint32_t first_line,
                                          const std::string& path, const LoadOptions& options,
                                          MeshModel& model);

}  // namespace meshlint
