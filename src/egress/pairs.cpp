#include "egress/pairs.h"

#include <algorithm>

#include "report/egress_report.h"

namespace meshlint::egress {

namespace {

std::string WorkloadOf(const Scope& s) {
  return s.workload_scoped && s.sidecar ? "Sidecar/" + s.sidecar->meta.ref.name : "";
}

// "Any host": ALLOW_ANY, or pods without a proxy in the way.
bool AllowsAnyHost(const Scope& s) { return AllowsAny(s.mode) || s.unmediated(); }

bool IsModeStep(StepKind k) {
  switch (k) {
    case StepKind::kNamespaceUnknown:
    case StepKind::kMembershipAssumed:
    case StepKind::kNoProxy:
    case StepKind::kAmbient:
    case StepKind::kSeveralDefaults:
    case StepKind::kModeBySidecar:
    case StepKind::kModeBySidecarUnset:
    case StepKind::kModeByMesh:
    case StepKind::kModeMeshUnset:
    case StepKind::kModeNoMeshConfig: return true;
    default: return false;
  }
}

// Steps about the ServiceEntry (listed, exported), which hold for every
// workload of the namespace; the Sidecar steps are the default workloads'.
bool IsRegistryStep(StepKind k) {
  switch (k) {
    case StepKind::kNotInRegistry:
    case StepKind::kListed:
    case StepKind::kExportToList:
    case StepKind::kExportMeshDefault:
    case StepKind::kMoreServiceEntries: return true;
    default: return false;
  }
}

}  // namespace

std::vector<Pair> FlattenPairs(const EgressAnalysis& analysis) {
  std::vector<Pair> out;
  for (const Scope& s : analysis.scopes()) {
    // A gateway's own workloads are not clients (their egress is the
    // gateway hop of other rows' explanations).
    if (s.gateway()) continue;
    const std::string workload = WorkloadOf(s);
    // Any host: every host on every port, said once.
    if (AllowsAnyHost(s)) {
      out.push_back({s.ns, workload, kAnyHost, 0, ""});
      continue;
    }
    for (const HostRef& h : analysis.Reachable(s)) {
      const istio::RegistryService& svc = analysis.Service(s, h);
      const std::string& host = analysis.HostName(s, h);
      for (std::size_t i = 0; i < svc.ports.size(); ++i)
        if (h.ports & istio::PortBit(i))
          out.push_back({s.ns, workload, host, svc.ports[i].number,
                         std::string(istio::ProtocolName(svc.ports[i].protocol))});
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Reach::Reach(const EgressAnalysis& analysis) : pairs_(FlattenPairs(analysis)) {
  for (const Scope& s : analysis.scopes())
    if (!s.gateway()) sources_.emplace_back(s.ns, WorkloadOf(s));
  std::sort(sources_.begin(), sources_.end());
  sources_.erase(std::unique(sources_.begin(), sources_.end()), sources_.end());
}

bool Reach::Reaches(const Pair& pair) const {
  Pair key = pair;
  // A workload group this side does not have answers as its namespace.
  if (!key.workload.empty() &&
      !std::binary_search(sources_.begin(), sources_.end(), std::pair(key.ns, key.workload)))
    key.workload.clear();
  if (std::binary_search(pairs_.begin(), pairs_.end(), key)) return true;
  key.host = kAnyHost;
  key.port = 0;
  return std::binary_search(pairs_.begin(), pairs_.end(), key);
}

PairWhy ExplainPair(const EgressAnalysis& analysis, const Pair& pair) {
  const MeshModel& model = analysis.model();
  const bool any_host = pair.host == kAnyHost;
  // The port asked, so the explanation is that port's listener.
  const Explanation ex = analysis.Explain(
      pair.ns, any_host || !pair.port ? pair.host : pair.host + ":" + std::to_string(pair.port));
  const RenderedExplanation text = RenderExplanation(model, ex);
  PairWhy why;
  auto add = [&](const Step& step, const ExplainLine& line) {
    Reason r;
    r.text = line.text;
    if (line.loc.valid() && line.loc.file < model.files.size()) {
      r.file = model.files.display(line.loc.file);
      r.line = line.loc.line;
      r.column = line.loc.column;
    }
    why.reasons.push_back(std::move(r));
    // Without a Namespace manifest, the namespace's first object stands for
    // it: the assumption rests on no line of that object, which is then no
    // change behind the answer.
    const bool stands_for_namespace =
        step.kind == StepKind::kMembershipAssumed || step.kind == StepKind::kNamespaceUnknown;
    if (step.loc.valid() && !stands_for_namespace) why.grounds.push_back(step.loc);
    if (step.service && step.service->meta) why.grounds.push_back(step.service->meta->anchor());
  };
  if (ex.scope.sidecar) why.grounds.push_back(ex.scope.sidecar->meta.anchor());

  if (pair.workload.empty()) {
    why.reachable = any_host ? AllowsAnyHost(ex.scope) : ex.reachable;
    for (std::size_t i = 0; i < ex.chain.size(); ++i)
      if (!any_host || IsModeStep(ex.chain[i].kind)) add(ex.chain[i], text.chain[i]);
    return why;
  }
  // A workload group: its Sidecar's note decides; the registry steps say
  // what it would import.
  for (std::size_t i = 0; i < ex.workload_notes.size(); ++i) {
    const Step& note = ex.workload_notes[i];
    if (!note.sidecar || "Sidecar/" + note.sidecar->meta.ref.name != pair.workload) continue;
    why.reachable = any_host ? AllowsAny(note.mode) : note.reachable;
    if (!any_host)
      for (std::size_t k = 0; k < ex.chain.size(); ++k)
        if (IsRegistryStep(ex.chain[k].kind)) add(ex.chain[k], text.chain[k]);
    add(note, text.workload_notes[i]);
    why.grounds.push_back(note.sidecar->meta.anchor());
    return why;
  }
  // The Sidecar is gone on this side: its workloads fall back to the
  // namespace's answer.
  why.reachable = any_host ? AllowsAnyHost(ex.scope) : ex.reachable;
  for (std::size_t i = 0; i < ex.chain.size(); ++i)
    if (!any_host || IsModeStep(ex.chain[i].kind)) add(ex.chain[i], text.chain[i]);
  return why;
}

std::string SourceName(const Pair& pair) {
  return pair.workload.empty() ? pair.ns : pair.ns + " (" + pair.workload + ")";
}

std::string TargetName(const Pair& pair) {
  std::string out = pair.host == kAnyHost ? "any host" : pair.host;
  if (pair.port) out += ":" + std::to_string(pair.port);
  return out;
}

}  // namespace meshlint::egress
