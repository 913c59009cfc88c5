// Rendering a kustomization with the real tool (`kustomize build`, else
// `kubectl kustomize`), asking it for origin and transformer annotations so
// that every rendered object names the file it came from and the patches
// applied to it. Loader-internal.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace meshlint {

// The command that renders: `choice` ("kustomize", "kubectl", or a path to
// either; empty: whichever of the two is on PATH, kustomize first), as an
// executable path, or nullopt when there is none.
std::optional<std::string> FindKustomizeTool(const std::string& choice);

struct KustomizeOutput {
  // The rendered stream, each document preceded by a `# Source: PATH`
  // comment naming its origin relative to `base` (as `helm template` does),
  // kustomize's annotations taken out. Empty on failure.
  std::string rendered;
  std::string error;  // why it failed: the tool's own message
};

// Renders the kustomization in `dir` with `tool`, bounded in output size
// and time (a remote base could otherwise hang the run).
KustomizeOutput RenderKustomization(const std::string& tool, const std::filesystem::path& dir,
                                    const std::filesystem::path& base);

// The command a user runs to render `shown` (`kubectl kustomize overlays/prod`).
std::string RenderCommand(const std::string& tool, const std::string& shown);

}  // namespace meshlint
