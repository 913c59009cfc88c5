// Internal to src/egress: builds one Explanation (explain.cpp: who asks, the
// mode, the registry, the listeners and routes; explain_changes.cpp: what
// to change to flip the answer).
#pragma once

#include <vector>

#include "egress/egress.h"

namespace meshlint::egress::detail {

// A registry service that lists the host asked about (or covers it).
struct Candidate {
  HostRef ref;           // with the ports the scope imports
  bool visible = false;  // exported to the row's namespace
  istio::ImportDecision import;
  bool via_vs = false;  // imported as a VirtualService destination
  const istio::ImportedVs* vs = nullptr;
  bool has_port = false;       // the service declares the port asked about (or any)
  bool port_imported = false;  // ... and the scope imports it
  bool reaches() const { return visible && port_imported; }
};

class Explainer {
 public:
  Explainer(const EgressAnalysis& a, Explanation& ex) : a_(a), model_(a.model()), ex_(ex) {}
  void Run();

 private:
  const istio::Registry& Reg() const { return a_.RegistryOf(ex_.scope); }
  const istio::RegistryService& Svc(const Candidate& c) const { return Reg().service(c.ref.svc); }
  Step Make(StepKind kind, Location loc) const;
  Step About(StepKind kind, Location loc, const Candidate& c) const;

  void Who();
  void Selection();
  void Mode();
  void FindCandidates();
  void Registry();
  Step ExportStep(const Candidate& c) const;
  Step ImportStep(const Candidate& c) const;
  void PortSteps(const Candidate& c);
  void Outcome();
  void GatewaySteps(const istio::GatewayHop& hop);
  void OtherRows();

  // explain_changes.cpp
  void Changes();
  void ChangesToClose();
  void ChangesToOpen();
  Step ModeChange() const;

  const EgressAnalysis& a_;
  const MeshModel& model_;
  Explanation& ex_;
  const Sidecar* sc_ = nullptr;
  std::string target_;  // the host looked up (an alias's concrete name)
  std::vector<Candidate> candidates_;
  static constexpr std::size_t kShown = 3;  // services explained in full
};

}  // namespace meshlint::egress::detail
