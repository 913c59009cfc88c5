// The import lists of the rows indexed for their answers (istio-notes
// §2.10): what takes a connection (istio::Connection), found by lookups.
#include "egress/import_index.h"

#include <algorithm>
#include <tuple>

namespace meshlint::egress {

using istio::PortListener;
using istio::RegistryService;

namespace {

using Listener = ImportIndex::Listener;

bool Before(const Listener& a, const Listener& b) {
  return std::tie(a.svc, a.host, a.index) < std::tie(b.svc, b.host, b.index);
}

// The first of two lists' answers in the merged order.
std::optional<Listener> First(const std::optional<Listener>& a, const std::optional<Listener>& b) {
  if (!a) return b;
  if (!b) return a;
  return Before(*b, *a) ? b : a;
}

bool InRanges(const RegistryService& svc, std::string_view host) {
  const auto ranges = svc.cidr_ranges();
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const auto& r) { return istio::AddressInCidr(host, r.value); });
}

}  // namespace

ImportIndex::ImportIndex(const MeshModel& model, const istio::Registry& reg,
                         std::vector<HostRef> refs, bool dns_capture)
    : reg_(&reg), refs_(std::move(refs)) {
  // In list order, so that the first entry kept for a name or a port is the
  // first a walk of the list would meet.
  for (const HostRef& ref : refs_) {
    const RegistryService& svc = reg.service(ref.svc);
    const std::string_view name = svc.hosts[ref.host];
    const bool wild = istio::IsWildcardHost(name);
    std::vector<std::uint32_t>& numbers =
        wild ? wildcard_names_.emplace_back(name, std::vector<std::uint32_t>{}).second
             : names_[name];
    for (std::uint32_t i = 0; i < svc.ports.size(); ++i) {
      if (!(ref.ports & istio::PortBit(i))) continue;
      const istio::ServicePort& p = svc.ports[i];
      numbers.push_back(p.number);
      const PortListener l = istio::ListenerFor(model, svc, p, dns_capture);
      if (l == PortListener::kNone) continue;
      OnPort& on = ports_[p.number];
      const Listener entry{ref.svc, ref.host, i, l};
      if (wild) on.wildcards.emplace_back(name, entry);
      else on.first_of_name.try_emplace(name, entry);
      switch (l) {
        case PortListener::kPassthrough:
          if (!on.passthrough) on.passthrough = entry;
          break;
        case PortListener::kRangePassthrough: on.ranges.push_back(entry); break;
        case PortListener::kHijack:
          if (!on.hijack) on.hijack = entry;
          break;
        case PortListener::kHttp:
        case PortListener::kSniffed: on.http = on.host_listener = true; break;
        case PortListener::kTls: on.host_listener = true; break;
        case PortListener::kNone:
        case PortListener::kAddress: break;
      }
    }
  }
}

const ImportIndex::OnPort* ImportIndex::On(std::uint32_t port) const {
  auto it = ports_.find(port);
  return it == ports_.end() ? nullptr : &it->second;
}

std::optional<Listener> ImportIndex::Reaching(std::string_view host, std::uint32_t port) const {
  const OnPort* on = On(port);
  if (!on) return std::nullopt;
  std::optional<Listener> best;
  // A wildcard host is a subset of no exact name: only of a wider wildcard.
  if (auto it = on->first_of_name.find(host); it != on->first_of_name.end()) best = it->second;
  for (const auto& [name, l] : on->wildcards)
    if (istio::HostSubsetOf(host, name)) return First(best, l);
  return best;
}

std::optional<Listener> ImportIndex::Passthrough(std::string_view host, std::uint32_t port) const {
  const OnPort* on = On(port);
  if (!on) return std::nullopt;
  for (const Listener& r : on->ranges)
    if (InRanges(reg_->service(r.svc), host)) return First(on->passthrough, r);
  return on->passthrough;
}

std::optional<Listener> ImportIndex::Hijack(std::uint32_t port) const {
  const OnPort* on = On(port);
  return on ? on->hijack : std::nullopt;
}

bool ImportIndex::HasHostListener(std::uint32_t port) const {
  const OnPort* on = On(port);
  return on && on->host_listener;
}

bool ImportIndex::HasHttpListener(std::uint32_t port) const {
  const OnPort* on = On(port);
  return on && on->http;
}

bool ImportIndex::Covers(std::string_view host) const {
  if (names_.count(host)) return true;
  return std::any_of(wildcard_names_.begin(), wildcard_names_.end(),
                     [&](const auto& w) { return istio::HostSubsetOf(host, w.first); });
}

void ImportIndex::PortsOf(std::string_view host, std::vector<std::uint32_t>& out) const {
  if (auto it = names_.find(host); it != names_.end())
    out.insert(out.end(), it->second.begin(), it->second.end());
  for (const auto& [name, numbers] : wildcard_names_)
    if (istio::HostSubsetOf(host, name)) out.insert(out.end(), numbers.begin(), numbers.end());
}

std::uint64_t ImportIndex::PortsOfRef(std::uint32_t svc, std::uint32_t host) const {
  auto it =
      std::lower_bound(refs_.begin(), refs_.end(), std::pair(svc, host),
                       [](const HostRef& r, const std::pair<std::uint32_t, std::uint32_t>& k) {
                         return std::pair(r.svc, r.host) < k;
                       });
  return it != refs_.end() && it->svc == svc && it->host == host ? it->ports : 0;
}

RowImports::RowImports() : shared_(std::make_shared<const ImportIndex>()) {}

RowImports::RowImports(std::shared_ptr<const ImportIndex> shared, ImportIndex own,
                       const MeshModel& model, std::vector<istio::ImportedVs> virtual_services)
    : shared_(std::move(shared)),
      own_(std::move(own)),
      virtual_services_(std::move(virtual_services)) {
  for (std::uint32_t i = 0; i < virtual_services_.size(); ++i)
    for (const auto& h : model.virtual_services[virtual_services_[i].vs].hosts) {
      if (istio::IsWildcardHost(h.value)) vs_of_wildcard_.emplace_back(h.value, i);
      else vs_of_name_[h.value].push_back(i);
    }
}

istio::Connection RowImports::Connect(std::string_view host, std::uint32_t port) const {
  using Kind = istio::Connection::Kind;
  // The merged list has a (service, host) of both lists once, with the
  // union of their ports.
  auto made = [&](Kind kind, const Listener& l) {
    const HostRef via{l.svc, l.host,
                      shared_->PortsOfRef(l.svc, l.host) | own_.PortsOfRef(l.svc, l.host)};
    return istio::Connection{kind, via, l.index, l.listener, true};
  };
  if (auto l = First(shared_->Reaching(host, port), own_.Reaching(host, port)))
    return made(Kind::kReached, *l);
  if (auto l = First(shared_->Passthrough(host, port), own_.Passthrough(host, port)))
    return made(Kind::kPassthrough, *l);
  if (auto l = First(shared_->Hijack(port), own_.Hijack(port))) return made(Kind::kHijacked, *l);
  istio::Connection mode;
  mode.port_has_listener = shared_->HasHostListener(port) || own_.HasHostListener(port);
  return mode;
}

bool RowImports::Covers(std::string_view host) const {
  return shared_->Covers(host) || own_.Covers(host);
}

bool RowImports::HasHttpListener(std::uint32_t port) const {
  return shared_->HasHttpListener(port) || own_.HasHttpListener(port);
}

void RowImports::PortsOf(std::string_view host, std::vector<std::uint32_t>& out) const {
  shared_->PortsOf(host, out);
  own_.PortsOf(host, out);
}

std::vector<istio::ImportedVs> RowImports::VirtualServicesFor(std::string_view host) const {
  std::vector<std::uint32_t> at;
  if (auto it = vs_of_name_.find(host); it != vs_of_name_.end()) at = it->second;
  for (const auto& [name, i] : vs_of_wildcard_)
    if (istio::HostSubsetOf(host, name)) at.push_back(i);
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  std::vector<istio::ImportedVs> out;
  out.reserve(at.size());
  for (std::uint32_t i : at) out.push_back(virtual_services_[i]);
  return out;
}

RowImports EgressAnalysis::ImportsOf(const Scope& s) const {
  if (!s.mediated()) return RowImports();
  const istio::Registry& reg = RegistryOf(s);
  std::shared_ptr<const ImportIndex> shared;
  if (auto it = index_of_shared_.find({s.shared.get(), s.dns_capture});
      it != index_of_shared_.end()) {
    shared = it->second;
  } else {
    auto& [list, index] = lazy_index_of_shared_[{s.shared.get(), s.dns_capture}];
    if (!index) {
      list = s.shared;
      index = std::make_shared<const ImportIndex>(model_, reg, *s.shared, s.dns_capture);
    }
    shared = index;
  }
  return RowImports(std::move(shared), ImportIndex(model_, reg, MergeRefs(s.own), s.dns_capture),
                    model_, s.virtual_services);
}

}  // namespace meshlint::egress
