// `meshlint egress --base BASE`: loads the base side (a directory holding a
// checkout of the base, or a git revision read from the object store),
// compares it with the head the caller loaded, writes the report and returns
// the exit status. Kept apart from cli.cpp so the review view is one module.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "egress/egress.h"
#include "engine/lint.h"

namespace meshlint {

// --base, --fail-on (egress's).
void AddEgressDiffOptions(boost::program_options::options_description& options);

// The lowest severity that fails the run: --fail-on, else the config's
// failOn, else warning; nullopt: never. An opened pair the policy does not
// allow is an error, one without a policy a warning, an allowed one a note;
// without --base a policy violation is an error. Throws UsageError.
std::optional<Severity> EgressFailOn(const boost::program_options::variables_map& vm,
                                     const ProjectConfig* config);

// What `meshlint egress --base` computed, before anything is written.
struct EgressDiffRun;
struct EgressDiffRunDeleter {
  void operator()(EgressDiffRun* run) const;
};
using EgressDiffRunPtr = std::unique_ptr<EgressDiffRun, EgressDiffRunDeleter>;

// Loads the base and compares it with `head` (loaded from `request`).
// Throws UsageError for a BASE that is neither a directory nor a revision,
// a bad --fail-on, or a base git cannot read.
EgressDiffRunPtr PrepareEgressDiff(const boost::program_options::variables_map& vm,
                                   const LintRequest& request, const LintResult& head,
                                   std::ostream& err);
// Writes the report in `format`; 1 when a pair opens that --fail-on
// counts, else 0.
int WriteEgressDiff(const EgressDiffRun& run, const std::string& format, std::ostream& out);

// Without --base: the mesh as it is, drawn (format markdown or html); 0.
int WriteEgressPicture(const std::string& format, const egress::EgressAnalysis& analysis,
                       std::ostream& out);

}  // namespace meshlint
