// Renders `meshlint egress`: the per-namespace reachability report and the
// --from/--to explanation, as text or JSON (the JSON shapes are interfaces,
// documented in the README under "Egress audit").
#pragma once

#include <ostream>

#include "egress/egress.h"

namespace meshlint {

struct EgressReportOptions {
  // List every host under every namespace instead of grouping the hosts that
  // every namespace reaches.
  bool expand = false;
  // When a policy is given, disallowed pairs are marked.
  const egress::CompiledPolicy* policy = nullptr;
};

void WriteEgressText(std::ostream& out, const egress::EgressAnalysis& analysis,
                     const EgressReportOptions& options);
void WriteEgressJson(std::ostream& out, const egress::EgressAnalysis& analysis,
                     const EgressReportOptions& options);

// Counts disallowed (namespace, host) pairs and ALLOW_ANY namespaces the
// policy does not allow "*" for.
std::size_t CountPolicyViolations(const egress::EgressAnalysis& analysis,
                                  const egress::CompiledPolicy& policy);

void WriteExplanationText(std::ostream& out, const MeshModel& model,
                          const egress::Explanation& ex, const egress::CompiledPolicy* policy);
void WriteExplanationJson(std::ostream& out, const MeshModel& model,
                          const egress::Explanation& ex, const egress::CompiledPolicy* policy);

}  // namespace meshlint
