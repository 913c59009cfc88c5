// The base side of `meshlint egress --base BASE`, resolved as the head is:
// the same PATHs, the project config (.meshlint.yaml) and the mesh config as
// they are in the base. BASE is a directory holding a checkout (its own
// config applies), or a git revision read from the object store without a
// checkout (the config found, and every file it names, as they are at that
// commit, held to the repository boundary of that commit's tree).
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "engine/config.h"
#include "engine/lint.h"

namespace meshlint {

struct EgressBase {
  // The base's request: paths (or, for a revision, texts) and the settings
  // of the base's config, then the flags; no policy (it is judged on the
  // head). request.config points at `config`.
  LintRequest request;
  std::string commit;                     // the commit a revision resolved to; "" for a directory
  std::unique_ptr<ProjectConfig> config;  // the base's config in effect, or null
  // A revision's files by display name (the manifests, the mesh config and
  // the config), for telling which documents changed.
  std::map<std::string, const std::string*> texts;
  std::string config_text;  // a revision's config, as read
};

// Throws UsageError when BASE is neither a directory nor a commit, git
// cannot read it, or the base's config cannot be used. Notes about the base
// (files not read, a mesh config the base lacks) go to `err`.
std::unique_ptr<EgressBase> ReadEgressBase(const boost::program_options::variables_map& vm,
                                           const LintRequest& head, const std::string& base,
                                           std::ostream& err);

}  // namespace meshlint
