// `meshlint egress --base BASE`: loads the base side (a directory holding a
// checkout of the base, or a git revision read from the object store),
// compares it with the head the caller loaded, writes the report and returns
// the exit status. Kept apart from cli.cpp so the review view is one module.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <string>

#include "egress/egress.h"
#include "engine/lint.h"

namespace meshlint {

// --base, --fail-on (egress's).
void AddEgressDiffOptions(boost::program_options::options_description& options);

// `head` was loaded from `request`. Throws UsageError for a BASE that is
// neither a directory nor a revision; 2 for what cannot be read, else 1 when
// a pair opens that --fail-on counts, else 0.
int RunEgressDiff(const boost::program_options::variables_map& vm, const LintRequest& request,
                  const LintResult& head, std::ostream& out, std::ostream& err);

// Without --base: the mesh as it is, drawn (format markdown or html); 0.
int WriteEgressPicture(const std::string& format, const egress::EgressAnalysis& analysis,
                       std::ostream& out);

}  // namespace meshlint
