// Helm charts and kustomizations found while walking a directory: their
// files are sources of manifests, not manifests (a template is not YAML
// until rendered; a strategic-merge patch looks like a second object; an
// overlay moves its base's objects to another namespace). They are set
// aside, and each chart and each kustomization that is no base of another
// gets one note saying how to render and lint it; kustomizations are
// rendered when the tool is there. Loader-internal.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "loader/inputs.h"
#include "model/model.h"

namespace meshlint {

// Removes from `inputs` the walked files that belong to a Helm chart (a
// directory holding Chart.yaml, with everything below it) or to a
// kustomization (its directory, and the files and directories its
// resources, bases, components and patches name). Files named on the
// command line and stdin are kept: naming a file is asking for it. Adds one
// note per chart and per top-level kustomization to `notes`, and every file
// set aside, with why, to `set_aside`.
// A kustomization that no other one found names is rendered with the tool
// (LoadOptions::kustomize_command, else kustomize or kubectl from PATH) and
// its output added as a rendered input, each object attributed to the file
// it came from; a failed render is an input that reports kustomize's
// message; so is a kustomization without a tool to render it.
void SetAsideChartsAndKustomizations(std::vector<InputFile>& inputs, const LoadOptions& options,
                                     const std::filesystem::path& base,
                                     std::vector<InputNote>& notes,
                                     std::vector<std::pair<std::string, std::string>>& set_aside);

}  // namespace meshlint
