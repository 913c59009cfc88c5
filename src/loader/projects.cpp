#include "loader/projects.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "loader/kustomize.h"
#include "loader/read_file.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 3> kKustomizationNames = {
    "kustomization.yaml", "kustomization.yml", "Kustomization"};

bool IsKustomizationFile(std::string_view name) {
  return std::find(kKustomizationNames.begin(), kKustomizationNames.end(), name) !=
         kKustomizationNames.end();
}

// `path` is `dir` or lies below it.
bool Under(const std::string& path, const std::string& dir) {
  return path == dir ||
         (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

// A remote base (a URL, a git reference): nothing on disk to set aside.
bool IsRemote(const std::string& ref) {
  return ref.find("://") != std::string::npos || ref.starts_with("github.com/") ||
         ref.starts_with("git@") || ref.starts_with("gitlab.com/");
}

// The local paths a kustomization names: resources, bases, components,
// crds, patch files (patchesStrategicMerge entries, patches[].path,
// patchesJson6902[].path), absolute and normalized. An unreadable or
// unparsable file names none (kustomize reports it when run).
std::vector<std::string> ReferencedPaths(const fs::path& file) {
  std::string content;
  if (ReadBounded(file.string(), {kMaxSettingsFileBytes, false}, content)) return {};
  YAML::Node root;
  try {
    root = YAML::Load(content);
  } catch (const YAML::Exception&) {
    return {};
  }
  if (!root.IsMap()) return {};
  const fs::path dir = file.parent_path();
  std::vector<std::string> out;
  auto add = [&](const YAML::Node& n) {
    if (!n.IsDefined() || !n.IsScalar()) return;
    const std::string ref = n.Scalar();
    if (ref.empty() || IsRemote(ref)) return;
    // A strategic-merge patch may be written inline, as YAML text.
    if (ref.find('\n') != std::string::npos) return;
    out.push_back((dir / ref).lexically_normal().string());
  };
  try {
    for (const char* key : {"resources", "bases", "components", "crds", "patchesStrategicMerge"}) {
      const YAML::Node list = root[key];
      if (list.IsDefined() && list.IsSequence())
        for (const YAML::Node& item : list) add(item);
    }
    for (const char* key : {"patches", "patchesJson6902"}) {
      const YAML::Node list = root[key];
      if (!list.IsDefined() || !list.IsSequence()) continue;
      for (const YAML::Node& item : list)
        if (item.IsMap()) add(item["path"]);
    }
  } catch (const YAML::Exception&) {
    // A shape kustomize rejects: it says so when run.
  }
  for (std::string& p : out)
    if (!p.empty() && p.back() == '/') p.pop_back();
  return out;
}

struct Kustomization {
  std::string dir;   // absolute
  std::string file;  // its kustomization file, as shown
  std::vector<std::string> refs;
  bool is_base = false;  // named by another kustomization found
};

std::string Shown(const std::string& absolute, const fs::path& base) {
  const std::string d = DisplayPath(absolute, base);
  return d.empty() || d == "." ? "." : d;
}

// Each kustomization that is no base of another, rendered by the tool into
// an input of its own (or the reason it could not be).
void RenderKustomizations(const std::vector<Kustomization>& kustomizations,
                          const LoadOptions& options, const fs::path& base,
                          std::vector<InputFile>& inputs) {
  std::optional<std::string> tool;
  bool looked = false;
  for (const Kustomization& k : kustomizations) {
    if (k.is_base) continue;
    if (!looked) tool = FindKustomizeTool(options.kustomize_command);
    looked = true;
    const std::string shown = Shown(k.dir, base);
    InputFile f;
    f.display = k.file;
    f.absolute = (base / k.file).lexically_normal().string();
    if (!tool) {
      // Unrendered, nothing of it is judged: a finding at its file (an
      // input that could not be used), not a note a CI log hides.
      f.skip_reason =
          "a kustomization, not rendered: " +
          (options.kustomize_command.empty()
               ? std::string("neither kustomize nor kubectl is on PATH")
               : "--kustomize-command " + options.kustomize_command + " is not an executable") +
          ", so none of its resources and patches is linted. Put kustomize or kubectl on PATH, "
          "or render it and lint the output: kubectl kustomize " +
          shown + " | meshlint lint -";
      inputs.push_back(std::move(f));
      continue;
    }
    KustomizeOutput out = RenderKustomization(*tool, k.dir, base);
    if (!out.error.empty()) {
      f.skip_reason = std::move(out.error);
    } else {
      f.preloaded = std::move(out.rendered);
      f.from_pipe = true;
      f.rendered = true;
    }
    inputs.push_back(std::move(f));
  }
}

}  // namespace

void SetAsideChartsAndKustomizations(std::vector<InputFile>& inputs, const LoadOptions& options,
                                     const fs::path& base, std::vector<InputNote>& notes,
                                     std::vector<std::pair<std::string, std::string>>& set_aside) {
  std::vector<std::string> charts;
  std::vector<Kustomization> kustomizations;
  for (const InputFile& f : inputs) {
    if (!f.walked || !f.skip_reason.empty()) continue;
    // A walked file's absolute path is normal: its name follows the last '/'.
    const std::string_view name = std::string_view(f.absolute).substr(f.absolute.rfind('/') + 1);
    if (name != "Chart.yaml" && !IsKustomizationFile(name)) continue;
    const fs::path p(f.absolute);
    if (name == "Chart.yaml") charts.push_back(p.parent_path().string());
    if (IsKustomizationFile(name))
      kustomizations.push_back({p.parent_path().string(), f.display, ReferencedPaths(p), false});
  }
  if (charts.empty() && kustomizations.empty()) return;
  // A chart inside another (charts/ of an umbrella chart) is part of it.
  std::sort(charts.begin(), charts.end());
  std::vector<std::string> outer;
  for (const std::string& c : charts)
    if (outer.empty() || !Under(c, outer.back())) outer.push_back(c);
  for (Kustomization& k : kustomizations)
    for (const Kustomization& other : kustomizations)
      if (&other != &k &&
          std::find(other.refs.begin(), other.refs.end(), k.dir) != other.refs.end())
        k.is_base = true;

  // Why each walked file is set aside; the first reason found wins.
  std::map<std::string, std::size_t> count;  // chart or kustomization → files
  std::vector<InputFile> kept;
  for (InputFile& f : inputs) {
    std::string why, owner;
    if (f.walked) {
      for (const std::string& c : outer)
        if (Under(f.absolute, c)) {
          owner = c;
          why = "part of the Helm chart " + Shown(c, base);
        }
      for (const Kustomization& k : kustomizations) {
        if (!why.empty()) break;
        bool named = Under(f.absolute, k.dir);
        for (const std::string& r : k.refs) named = named || Under(f.absolute, r);
        if (named) {
          owner = k.dir;
          why = "used by the kustomization " + k.file;
        }
      }
    }
    if (why.empty()) {
      kept.push_back(std::move(f));
      continue;
    }
    ++count[owner];
    set_aside.emplace_back(f.display, why);
  }
  inputs = std::move(kept);
  for (const std::string& c : outer)
    notes.push_back({Shown(c, base),
                     "a Helm chart: its templates are not linted raw (" + std::to_string(count[c]) +
                         " files); render it and lint the output: " + "helm template " +
                         Shown(c, base) + " | meshlint lint -"});
  RenderKustomizations(kustomizations, options, base, inputs);
}

}  // namespace meshlint
