// Where a rendered kustomization's object is written: the document of its
// origin file and, field by field, the node there written the same, or the
// node of a patch that set it. Loader-internal (kustomize.cpp writes what
// this finds as comments the document reader takes back).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace meshlint {

// The object-line and source-nodes comments for one rendered document
// (its lines, the kustomize annotations taken out) whose origin is `source`,
// or "" when the object is not found there. `patched_in`: the kustomization
// files whose patches kustomize applied to it (its transformations
// annotation), absolute; a field none of the source writes so but one of
// their patches does points at that patch. Paths are shown relative to
// `base`.
std::string ObjectLineComment(const std::vector<std::string_view>& doc,
                              const std::filesystem::path& source,
                              const std::vector<std::filesystem::path>& patched_in,
                              const std::filesystem::path& base);

}  // namespace meshlint
