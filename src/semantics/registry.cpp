// The service registry of one revision (istio-notes §2.6, §2.10, §2.13).
#include "semantics/registry.h"

#include <algorithm>
#include <cctype>

#include "semantics/hosts.h"
#include "semantics/validity.h"

namespace meshlint::istio {

// ---- Protocols ----

Protocol ParseProtocol(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  struct Entry {
    std::string_view name;
    Protocol p;
  };
  static constexpr Entry kNames[] = {
      {"tcp", Protocol::kTcp},     {"udp", Protocol::kUdp},
      {"grpc", Protocol::kGrpc},   {"grpc-web", Protocol::kGrpcWeb},
      {"http", Protocol::kHttp},   {"http_proxy", Protocol::kHttpProxy},
      {"http2", Protocol::kHttp2}, {"https", Protocol::kHttps},
      {"tls", Protocol::kTls},     {"mongo", Protocol::kMongo},
      {"redis", Protocol::kRedis}, {"mysql", Protocol::kMySql}};
  for (const Entry& e : kNames)
    if (e.name == lower) return e.p;
  return Protocol::kUnsupported;
}

Protocol KubeProtocol(std::uint32_t port, std::string_view name, std::string_view protocol,
                      std::string_view app_protocol) {
  if (protocol == "UDP") return Protocol::kUdp;
  std::string_view n = name;
  if (!app_protocol.empty()) {
    n = app_protocol;
    if (n == "kubernetes.io/h2c") return Protocol::kHttp2;
    if (n == "kubernetes.io/ws") return Protocol::kHttp;
    if (n == "kubernetes.io/wss") return Protocol::kHttps;
  }
  if (n.size() >= 8 && ParseProtocol(n.substr(0, 8)) == Protocol::kGrpcWeb)
    return Protocol::kGrpcWeb;
  if (auto dash = n.find('-'); dash != std::string_view::npos) n = n.substr(0, dash);
  const Protocol p = ParseProtocol(n);
  if (p == Protocol::kUnsupported && (port == 25 || port == 53 || port == 3306 || port == 27017))
    return Protocol::kTcp;
  return p;
}

std::string_view ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kHttp: return "HTTP";
    case Protocol::kHttp2: return "HTTP2";
    case Protocol::kGrpc: return "GRPC";
    case Protocol::kGrpcWeb: return "GRPC-Web";
    case Protocol::kHttpProxy: return "HTTP_PROXY";
    case Protocol::kHttps: return "HTTPS";
    case Protocol::kTls: return "TLS";
    case Protocol::kTcp: return "TCP";
    case Protocol::kMongo: return "Mongo";
    case Protocol::kRedis: return "Redis";
    case Protocol::kMySql: return "MySQL";
    case Protocol::kUdp: return "UDP";
    case Protocol::kUnsupported: return "unset";
  }
  return "unset";
}

bool IsHttp(Protocol p) {
  return p == Protocol::kHttp || p == Protocol::kHttp2 || p == Protocol::kHttpProxy ||
         p == Protocol::kGrpc || p == Protocol::kGrpcWeb;
}
bool IsTls(Protocol p) { return p == Protocol::kHttps || p == Protocol::kTls; }
bool IsPlainTcp(Protocol p) {
  return p == Protocol::kTcp || p == Protocol::kMongo || p == Protocol::kRedis ||
         p == Protocol::kMySql;
}

Resolution ParseResolution(std::string_view written) {
  if (written == "STATIC") return Resolution::kStatic;
  if (written == "DNS") return Resolution::kDns;
  if (written == "DNS_ROUND_ROBIN") return Resolution::kDnsRoundRobin;
  if (written == "DYNAMIC_DNS") return Resolution::kDynamicDns;
  return Resolution::kNone;
}

// ---- Visibility ----

bool Export::Includes(std::string_view ns) const {
  switch (scope) {
    case ExportScope::kAll: return true;
    case ExportScope::kNone: return false;
    case ExportScope::kNamespaces:
      return std::find(namespaces.begin(), namespaces.end(), ns) != namespaces.end();
  }
  return false;
}

Export IndexExport(const std::vector<std::string_view>& values, std::string_view own_ns) {
  Export out;
  if (std::find(values.begin(), values.end(), "*") != values.end()) return out;
  if (std::find(values.begin(), values.end(), "~") != values.end()) {
    out.scope = ExportScope::kNone;
    return out;
  }
  for (std::string_view v : values) {
    const std::string ns(v == "." ? own_ns : v);
    if (std::find(out.namespaces.begin(), out.namespaces.end(), ns) == out.namespaces.end())
      out.namespaces.push_back(ns);
  }
  out.scope = out.namespaces.empty() ? ExportScope::kNone : ExportScope::kNamespaces;
  return out;
}

namespace {

// exportTo as written, else the mesh default.
Export ConfigExport(const std::vector<Located<std::string>>& own, Location own_key,
                    const std::vector<std::string>& mesh_default, std::optional<std::size_t> from,
                    const MeshModel& model, std::string_view ns, bool vs) {
  std::vector<std::string_view> values;
  Export out;
  if (!own.empty()) {
    for (const auto& v : own) values.push_back(v.value);
    out = IndexExport(values, ns);
    out.origin = ExportOrigin::kExportTo;
    out.loc = own_key;
    return out;
  }
  for (const auto& v : mesh_default) values.push_back(v);
  out = IndexExport(values, ns);
  if (from) {
    out.origin = ExportOrigin::kMeshDefault;
    out.mesh_source = from;
    const MeshConfigSource& src = model.mesh_sources[*from];
    out.loc = vs ? src.default_virtual_service_export_to_key : src.default_service_export_to_key;
  }
  return out;
}

}  // namespace

void NarrowByVisibility(const MeshModel& model, const MeshSettings& settings, std::string_view ns,
                        Export& e) {
  const ServiceEntryVisibility& sev = settings.service_entry_visibility;
  if (!model.istio_version.AtLeast(1, 31) || !sev.set || !sev.apply_to_sidecars) return;
  if (e.scope == ExportScope::kNone) return;
  static const std::map<std::string, std::string> kNoLabels;
  const std::map<std::string, std::string>* labels = &kNoLabels;
  if (const NamespaceInfo* info = model.FindNamespace(ns); info && info->manifest)
    labels = &model.namespaces[*info->manifest].labels;
  std::string visibility = sev.default_visibility;
  // VisibilityFor: the first policy whose rules all match (none: a
  // catch-all); else the default. UNSPECIFIED is PUBLIC.
  for (const auto& rule : sev.rules)
    if (!rule.never && std::all_of(rule.namespace_selectors.begin(), rule.namespace_selectors.end(),
                                   [&](const LabelSelector& s) { return s.Matches(*labels); })) {
      visibility = rule.visibility;
      break;
    }
  if (visibility == "NAMESPACE") {
    const bool own = e.Includes(ns);
    e.scope = own ? ExportScope::kNamespaces : ExportScope::kNone;
    e.namespaces = own ? std::vector<std::string>{std::string(ns)} : std::vector<std::string>{};
  } else if (visibility == "NONE") {
    e.scope = ExportScope::kNone;
    e.namespaces.clear();
  } else {
    return;
  }
  e.origin = ExportOrigin::kVisibility;
  e.loc = sev.loc;
  e.mesh_source = settings.service_entry_visibility_from;
}

namespace {

bool IsWideCidr(std::string_view address) {
  const auto slash = address.find('/');
  return slash != std::string_view::npos && address.substr(slash + 1) != "32" &&
         address.substr(slash + 1) != "128";
}

}  // namespace

Export VirtualServiceExport(const MeshModel& model, const MeshSettings& settings,
                            const VirtualService& vs) {
  return ConfigExport(vs.export_to, vs.export_to_key, settings.default_virtual_service_export_to,
                      settings.default_vs_export_from, model, vs.meta.ref.ns, true);
}

// ---- The registry ----

Registry::Registry(const MeshModel& model, std::string revision)
    : revision_(std::move(revision)),
      settings_(&model.SettingsForRevision(revision_)),
      model_(&model) {
  of_se_.resize(model.service_entries.size());
  // At most a service per object, and about a host each: sized once, not
  // regrown (and every service moved again) as thousands are added.
  const std::size_t most = model.service_entries.size() + model.services.size();
  services_.reserve(most);
  for (std::uint32_t i = 0; i < model.service_entries.size(); ++i) AddServiceEntry(model, i);
  for (std::uint32_t i = 0; i < model.services.size(); ++i) AddKubeService(model, i);
  IndexHosts();
}

void Registry::IndexHosts() {
  std::size_t names = 0;
  for (const RegistryService& s : services_) names += s.hosts.size();
  by_host_.reserve(names);
  // Count each name's services, place the runs, then fill them in service
  // order (each count is reused as the run's fill level).
  for (const RegistryService& s : services_)
    for (std::string_view h : s.hosts) ++by_host_[h].count;
  std::uint32_t next = 0;
  for (auto& [name, run] : by_host_) {
    run.first = next;
    next += run.count;
    run.count = 0;
  }
  with_host_.resize(next);
  for (std::uint32_t i = 0; i < services_.size(); ++i)
    for (std::string_view h : services_[i].hosts) {
      HostRun& run = by_host_.find(h)->second;
      with_host_[run.first + run.count++] = i;
    }
}

bool Registry::Applies(const ObjectMeta& meta, const ConfigMeta* config) const {
  if (IsRejected(*model_, meta)) return false;
  return !config || ConfigInRevision(*model_, *config, revision_);
}

std::optional<RegistryService> Registry::ServiceEntryService(const MeshModel& model,
                                                             const MeshSettings& settings,
                                                             std::string_view revision,
                                                             std::uint32_t i) {
  const ServiceEntry& se = model.service_entries[i];
  if (IsRejected(model, se.meta) || !ConfigInRevision(model, se.config, revision) ||
      se.hosts.empty())
    return std::nullopt;
  RegistryService s;
  s.kind = RegistryService::Kind::kServiceEntry;
  s.index = i;
  s.meta = &se.meta;
  s.service_entry = &se;
  s.hosts = HostNames(se.hosts);
  s.ports.reserve(se.ports.size());
  for (const PortSpec& p : se.ports)
    s.ports.push_back({static_cast<std::uint32_t>(p.number.value), ParseProtocol(p.protocol.value),
                       p.name.value, p.loc});
  s.resolution = ParseResolution(se.resolution.value);
  s.has_addresses = !se.addresses.empty();
  s.cidr_addresses_only =
      s.has_addresses && std::all_of(se.addresses.begin(), se.addresses.end(),
                                     [](const auto& a) { return IsWideCidr(a.value); });
  if (s.cidr_addresses_only)
    for (const auto& a : se.addresses) s.whole_space_range |= a.value.ends_with("/0");
  s.has_endpoints = !se.endpoint_addresses.empty();
  s.has_selector = se.workload_selector.set;
  const std::string* autoalloc =
      se.config.istio_labels.Value("networking.istio.io/enable-autoallocate-ip");
  s.autoallocate_disabled = autoalloc && *autoalloc == "false";
  s.mesh_internal = !se.IsExternal();
  s.visibility = ConfigExport(se.export_to, se.export_to_key, settings.default_service_export_to,
                              settings.default_export_from, model, se.meta.ref.ns, false);
  NarrowByVisibility(model, settings, se.meta.ref.ns, s.visibility);
  return s;
}

void Registry::AddServiceEntry(const MeshModel& model, std::uint32_t i) {
  std::optional<RegistryService> s = ServiceEntryService(model, *settings_, revision_, i);
  if (!s) return;
  of_se_[i] = static_cast<std::uint32_t>(services_.size());
  services_.push_back(std::move(*s));
}

void Registry::AddKubeService(const MeshModel& model, std::uint32_t i) {
  const KubeService& ks = model.services[i];
  if (ks.meta.ref.ns.empty() || ks.meta.ref.name.empty()) return;
  RegistryService s;
  s.kind = RegistryService::Kind::kKubeService;
  s.index = i;
  s.meta = &ks.meta;
  const Located<std::string>& host = kube_hosts_.emplace_back(Located<std::string>{
      ks.meta.ref.name + "." + ks.meta.ref.ns + ".svc.cluster.local", ks.meta.anchor()});
  s.hosts = HostNames({&host, 1});
  if (ks.type.value == "ExternalName") {
    s.resolution = Resolution::kAlias;
    s.alias_target = ks.external_name.value;
  } else if (ks.cluster_ip.value == "None") {
    s.resolution = Resolution::kHeadless;
  } else {
    s.resolution = Resolution::kClusterIp;
    s.has_addresses = true;
  }
  for (const KubeServicePort& p : ks.ports) {
    const auto number = static_cast<std::uint32_t>(p.port.value);
    s.ports.push_back({number,
                       KubeProtocol(number, p.name.value, p.protocol.value, p.app_protocol.value),
                       p.name.value, p.loc});
  }
  s.has_selector = ks.selector.set;
  // The annotation: split on ',', each item trimmed, not validated.
  std::vector<std::string> items;
  if (ks.export_to) {
    std::string_view text = ks.export_to->value;
    while (true) {
      const auto comma = text.find(',');
      std::string_view item = text.substr(0, comma);
      while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
        item.remove_prefix(1);
      while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
        item.remove_suffix(1);
      items.emplace_back(item);
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
    }
  }
  if (!items.empty()) {
    std::vector<std::string_view> values(items.begin(), items.end());
    s.visibility = IndexExport(values, ks.meta.ref.ns);
    s.visibility.origin = ExportOrigin::kExportTo;
    s.visibility.loc = ks.export_to->loc;
  } else {
    s.visibility = ConfigExport({}, {}, settings_->default_service_export_to,
                                settings_->default_export_from, model, ks.meta.ref.ns, false);
  }
  services_.push_back(std::move(s));
}

std::optional<std::uint32_t> Registry::OfServiceEntry(std::size_t i) const {
  return i < of_se_.size() ? of_se_[i] : std::nullopt;
}

std::span<const std::uint32_t> Registry::WithHost(std::string_view host) const {
  auto it = by_host_.find(host);
  if (it == by_host_.end()) return {};
  return std::span<const std::uint32_t>(with_host_).subspan(it->second.first, it->second.count);
}

std::optional<std::string> Registry::ResolveAlias(std::string_view host) const {
  // ExternalName is not namespaced: any alias service of that hostname.
  auto target_of = [&](std::string_view h) -> const std::string_view* {
    for (std::uint32_t i : WithHost(h))
      if (services_[i].resolution == Resolution::kAlias) return &services_[i].alias_target;
    return nullptr;
  };
  const std::string_view* target = target_of(host);
  if (!target) return std::nullopt;
  std::vector<std::string> seen = {std::string(host)};
  while (const std::string_view* next = target_of(*target)) {
    if (std::find(seen.begin(), seen.end(), *target) != seen.end() || seen.size() > 32)
      return std::nullopt;  // a loop: Kubernetes answers NXDOMAIN
    seen.emplace_back(*target);
    target = next;
  }
  return std::string(*target);
}

std::vector<HostRef> Registry::Covering(std::string_view host) const {
  std::vector<HostRef> out;
  for (std::uint32_t i = 0; i < services_.size(); ++i) {
    const RegistryService& s = services_[i];
    for (std::uint32_t h = 0; h < s.hosts.size(); ++h)
      if (HostSubsetOf(host, s.hosts[h])) {
        out.push_back({i, h, kAllPorts});
        break;
      }
  }
  return out;
}

}  // namespace meshlint::istio
