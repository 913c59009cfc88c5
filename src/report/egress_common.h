// Pieces the egress report and the --from/--to explanation share.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "egress/egress.h"
#include "model/model.h"
#include "report/json_common.h"
#include "report/report.h"
#include "semantics/istio.h"

namespace meshlint::egress_detail {

// "namespace/name".
inline std::string Qualified(const ObjectRef& ref) { return ref.ns + "/" + ref.name; }

// "file:line:col", terminal-safe; "" when `loc` points nowhere.
inline std::string At(const MeshModel& model, const Location& loc) {
  if (!loc.valid() || loc.file >= model.files.size()) return "";
  return TerminalSafe(model.files.display(loc.file)) + ":" + std::to_string(loc.line) + ":" +
         std::to_string(loc.column);
}

// {"file", "line", "column"}, or null when `loc` points nowhere.
inline report_detail::Json Position(const MeshModel& model, const Location& loc) {
  if (!loc.valid() || loc.file >= model.files.size()) return nullptr;
  return {{"file", model.files.display(loc.file)}, {"line", loc.line}, {"column", loc.column}};
}

// "ServiceEntry ns/name" or "Service ns/name".
inline std::string ServiceName(const istio::RegistryService& svc) {
  return std::string(svc.IsServiceEntry() ? "ServiceEntry " : "Service ") +
         Qualified(svc.meta->ref);
}

// "80/HTTP, 443/TLS": the ports of `svc` in `mask` (every port: kAllPorts).
std::string PortsText(const istio::RegistryService& svc, std::uint64_t mask = istio::kAllPorts);

// "10.0.0.0/8, 172.16.0.0/12": a ServiceEntry's CIDR ranges (at most 8 named).
std::string RangesText(const istio::RegistryService& svc);

// A workload as reports name it: "Deployment/web".
inline std::string WorkloadName(const Workload& w) {
  return w.meta.ref.kind + "/" + w.meta.ref.name;
}

// The policy's verdicts, computed once per distinct set of matching entries.
class PolicyView {
 public:
  PolicyView(const egress::EgressAnalysis& a, const egress::CompiledPolicy* p) : a_(a), p_(p) {}
  bool active() const { return p_ != nullptr; }
  bool Allows(const egress::Scope& s, const istio::HostRef& h) {
    return !p_ || p_->AllowsWith(Entries(s.ns), a_.HostName(s, h));
  }
  bool AllowsHost(const std::string& ns, const std::string& host) {
    return !p_ || p_->AllowsWith(Entries(ns), host);
  }
  bool AllowsAnyHost(const std::string& ns) { return !p_ || p_->AnyHostWith(Entries(ns)); }

 private:
  const std::vector<std::uint32_t>& Entries(const std::string& ns) {
    auto it = cache_.find(ns);
    if (it == cache_.end()) it = cache_.emplace(ns, p_->EntriesFor(ns)).first;
    return it->second;
  }
  const egress::EgressAnalysis& a_;
  const egress::CompiledPolicy* p_;
  std::map<std::string, std::vector<std::uint32_t>> cache_;
};

// Does the row reach any host (no proxy, ambient, ALLOW_ANY, or capture
// that lets every public address bypass the proxy)?
inline bool ReachesAnyHost(const egress::Scope& s) {
  return s.unmediated() || (s.mediated() && (AllowsAny(s.mode) || s.capture.CapturesNone()));
}

}  // namespace meshlint::egress_detail
