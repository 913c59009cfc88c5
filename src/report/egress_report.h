// Renders `meshlint egress`: the per-namespace reachability report and the
// --from/--to explanation, as text or JSON (the JSON shapes are interfaces,
// documented in the README under "Egress audit").
#pragma once

#include <ostream>
#include <string>
#include <vector>

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

// One sentence of an explanation and the line it points at.
struct ExplainLine {
  Location loc;
  std::string text;
};
struct RenderedExplanation {
  std::vector<ExplainLine> chain;
  std::vector<ExplainLine> changes;
  std::vector<ExplainLine> workload_notes;
};
// The sentences of each step of `ex` (not yet made terminal-safe).
RenderedExplanation RenderExplanation(const MeshModel& model, const egress::Explanation& ex);

void WriteExplanationText(std::ostream& out, const MeshModel& model, const egress::Explanation& ex,
                          const egress::CompiledPolicy* policy);
void WriteExplanationJson(std::ostream& out, const MeshModel& model, const egress::Explanation& ex,
                          const egress::CompiledPolicy* policy);

}  // namespace meshlint
