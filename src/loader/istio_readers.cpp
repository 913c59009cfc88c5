// Readers of Istio's networking and security kinds: ServiceEntry, Sidecar,
// VirtualService, Gateway, AuthorizationPolicy. The fields kept are those of
// istio.io's reference pages that reachability or validation reads; the
// shapes follow the CRD schema, whose type errors the API server rejects.
#include <algorithm>
#include <utility>

#include "loader/classify.h"
#include "loader/kind_readers.h"

namespace meshlint {

namespace {

using Path = FieldPath;

// `{{ .Values.host }}` is no host until rendered: such entries are dropped.
std::vector<Located<std::string>> WithoutTemplates(std::vector<Located<std::string>> hosts) {
  std::erase_if(hosts, [](const Located<std::string>& h) { return IsTemplated(h.value); });
  return hosts;
}

bool IsIstioLabel(std::string_view key) { return key.find("istio.io/") != std::string_view::npos; }

// `name:` of `map`, when written and not null.
Field Present(NodeReader& r, const LiteNode& map, std::string_view name, const ObjectRef& ref,
              const Path& path) {
  if (!map.IsMap()) return {};
  Field f = r.Get(map, name, ref, path);
  return f.present() ? f : Field{};
}

Located<std::string> ScalarAt(NodeReader& r, const LiteNode& map, std::string_view name,
                              const ObjectRef& ref, const Path& path) {
  Field f = Present(r, map, name, ref, path);
  return f.found ? r.Scalar(f, ref, Path(path, name)) : Located<std::string>{};
}

std::vector<Located<std::string>> ListAt(NodeReader& r, const LiteNode& map, std::string_view name,
                                         const ObjectRef& ref, const Path& path,
                                         Location* key = nullptr) {
  Field f = Present(r, map, name, ref, path);
  if (!f.found) return {};
  if (key) *key = r.Loc(f.key);
  return r.ScalarList(f, ref, Path(path, name));
}

Located<std::int64_t> IntegerAt(NodeReader& r, const LiteNode& map, std::string_view name,
                                const ObjectRef& ref, const Path& path) {
  Field f = Present(r, map, name, ref, path);
  return f.found ? r.Integer(f, ref, Path(path, name)) : Located<std::int64_t>{};
}

// A mapping field: its value, after checking the shape (null: absent).
Field MapAt(NodeReader& r, const LiteNode& map, std::string_view name, const ObjectRef& ref,
            const Path& path) {
  Field f = Present(r, map, name, ref, path);
  if (f.found) r.RequireMap(f, ref, Path(path, name));
  return f;
}

PortSpec ReadPort(NodeReader& r, const LiteNode& node, const ObjectRef& ref, const Path& path) {
  PortSpec p;
  p.loc = r.Loc(node);
  p.number = IntegerAt(r, node, "number", ref, path);
  p.protocol = Shared(ScalarAt(r, node, "protocol", ref, path));
  p.name = Shared(ScalarAt(r, node, "name", ref, path));
  p.target_port = IntegerAt(r, node, "targetPort", ref, path);
  return p;
}

// Istio's WorkloadSelector: {labels: {...}}.
Selector ReadWorkloadSelector(NodeReader& r, const Field& f, const ObjectRef& ref,
                              const Path& path) {
  Selector s;
  r.RequireMap(f, ref, path);
  s.set = true;
  s.loc = r.Loc(f.key);
  if (Field labels = Present(r, f.value, "labels", ref, path); labels.found) {
    s.labels_key = r.Loc(labels.key);
    r.StringMap(labels, ref, Path(path, "labels"), s.labels);
  }
  return s;
}

}  // namespace

ConfigMeta ReadConfigMeta(NodeReader& r, const LiteNode& node, const ObjectRef& ref,
                          const std::string& where) {
  ConfigMeta c;
  const Path at(where);
  const Path mp(at, "metadata");
  Field md = r.Get(node, "metadata", ref, where);
  if (!md.value.IsMap()) return c;
  if (Field labels = Present(r, md.value, "labels", ref, mp); labels.found)
    r.StringMap(labels, ref, Path(mp, "labels"), c.istio_labels, IsIstioLabel);
  if (Field ts = Present(r, md.value, "creationTimestamp", ref, mp);
      ts.found && ts.value.IsScalar())
    c.creation_timestamp = r.Scalar(ts, ref, Path(mp, "creationTimestamp"));
  return c;
}

void ReadServiceEntry(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                      const std::string& where) {
  ServiceEntry se;
  se.meta = std::exchange(meta, {});  // unusable: nothing is kept of it
  const ObjectRef& ref = se.meta.ref;
  se.config = ReadConfigMeta(r, node, ref, where);
  Field spec = r.Spec(node, ref, where);
  if (spec.present()) {
    const Path at(where);
    const Path sp(at, "spec");
    if (Field f = r.Get(spec.value, "hosts", ref, sp); f.found) {
      se.hosts_key = r.Loc(f.key);
      se.hosts =
          WithoutTemplates(r.ScalarList(f, ref, Path(sp, "hosts"), "hosts: [\"api.example.com\"]"));
    }
    if (Field f = r.Get(spec.value, "exportTo", ref, sp); f.found) {
      se.export_to_set = true;
      se.export_to_key = r.Loc(f.key);
      se.export_to = r.ScalarList(f, ref, Path(sp, "exportTo"), "exportTo: [\".\"]");
    }
    if (Field f = r.Get(spec.value, "location", ref, sp); f.present())
      se.location = Shared(r.Scalar(f, ref, Path(sp, "location")));
    if (Field f = r.Get(spec.value, "workloadSelector", ref, sp); f.present()) {
      se.has_workload_selector = true;
      se.workload_selector = ReadWorkloadSelector(r, f, ref, Path(sp, "workloadSelector"));
    }
    se.addresses = ListAt(r, spec.value, "addresses", ref, sp, &se.addresses_key);
    se.resolution = Shared(ScalarAt(r, spec.value, "resolution", ref, sp));
    if (Field f = Present(r, spec.value, "ports", ref, sp); f.found) {
      se.ports_key = r.Loc(f.key);
      if (f.value.IsSequence()) se.ports.reserve(f.value.size());
      r.EachMap(f, ref, Path(sp, "ports"), [&](const LiteNode& port, const Path& pp) {
        se.ports.push_back(ReadPort(r, port, ref, pp));
      });
    }
    if (Field f = r.Get(spec.value, "endpoints", ref, sp); f.found) {
      se.endpoints_set = !f.value.IsNull();
      se.endpoints_key = r.Loc(f.key);
      r.EachMap(f, ref, Path(sp, "endpoints"), [&](const LiteNode& ep, const Path& ep_path) {
        Located<std::string> address = ScalarAt(r, ep, "address", ref, ep_path);
        if (!address.loc.valid()) address.loc = r.Loc(ep);
        se.endpoint_addresses.push_back(std::move(address));
      });
    }
  }
  if (!se.hosts_key.valid()) se.hosts_key = se.meta.anchor();
  r.out().service_entries.push_back(std::move(se));
}

namespace {

void ReadSidecarListener(NodeReader& r, const LiteNode& listener, const Path& lp, Sidecar& sc) {
  const ObjectRef& ref = sc.meta.ref;
  SidecarEgressListener l;
  l.loc = r.Loc(listener);
  if (Field port = MapAt(r, listener, "port", ref, lp); port.found) {
    l.port_set = true;
    l.port = ReadPort(r, port.value, ref, Path(lp, "port"));
  }
  l.bind = ScalarAt(r, listener, "bind", ref, lp);
  l.capture_mode = ScalarAt(r, listener, "captureMode", ref, lp);
  l.first_host = sc.egress_hosts.size();
  if (Field h = r.Get(listener, "hosts", ref, lp); h.found) {
    l.hosts_key = r.Loc(h.key);
    auto hosts = WithoutTemplates(r.ScalarList(h, ref, Path(lp, "hosts"), "hosts: [\"./*\"]"));
    sc.egress_hosts.insert(sc.egress_hosts.end(), hosts.begin(), hosts.end());
  }
  l.host_count = sc.egress_hosts.size() - l.first_host;
  sc.egress.push_back(std::move(l));
}

void ReadSidecarEgress(NodeReader& r, const Field& f, const Path& sp, Sidecar& sc) {
  const ObjectRef& ref = sc.meta.ref;
  sc.egress_set = true;
  sc.egress_key = r.Loc(f.key);
  if (!f.value.IsSequence() && !f.value.IsNull()) {
    const Path egress(sp, "egress");
    r.Problem(r.Loc(f.value),
              egress.str() + " must be a list, not " + NodeReader::ShapeName(f.value), ref,
              egress.str());
    throw Unusable{};
  }
  for (std::size_t i = 0; i < f.value.size(); ++i) {
    const LiteNode listener = f.value[i];
    const Path lp(sp, "egress", i);
    if (!listener.IsMap()) {
      r.Problem(r.Loc(listener), lp.str() + " must be a mapping", ref, lp.str());
      throw Unusable{};
    }
    ReadSidecarListener(r, listener, lp, sc);
  }
}

void ReadSidecarOutbound(NodeReader& r, const Field& f, const Path& sp, Sidecar& sc) {
  const ObjectRef& ref = sc.meta.ref;
  const Path op(sp, "outboundTrafficPolicy");
  r.RequireMap(f, ref, op);
  sc.outbound_set = true;
  sc.outbound_key = r.Loc(f.key);
  if (Field m = Present(r, f.value, "mode", ref, op); m.found) {
    auto mode = r.Scalar(m, ref, Path(op, "mode"));
    // Values outside the Sidecar's enum are the validation's to reject
    // (src/semantics/validation.h), as the API server does.
    auto parsed = ParseOutboundMode(mode.value);
    sc.outbound_mode = parsed && *parsed != OutboundMode::kAllowAnyDynamicDns
                           ? *parsed
                           : OutboundMode::kRegistryOnly;
    sc.outbound_mode_text = mode.value;
    sc.outbound_mode_loc = mode.loc;
  }
  if (Field proxy = MapAt(r, f.value, "egressProxy", ref, op); proxy.found) {
    sc.egress_proxy_set = true;
    sc.egress_proxy_loc = r.Loc(proxy.key);
    sc.egress_proxy_host = ScalarAt(r, proxy.value, "host", ref, Path(op, "egressProxy"));
    sc.egress_proxy_port_set = Present(r, proxy.value, "port", ref, Path(op, "egressProxy")).found;
  }
}

}  // namespace

void ReadSidecar(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where) {
  Sidecar sc;
  sc.meta = std::exchange(meta, {});  // unusable: nothing is kept of it
  const ObjectRef& ref = sc.meta.ref;
  sc.config = ReadConfigMeta(r, node, ref, where);
  Field spec = r.Spec(node, ref, where);
  if (spec.present()) {
    const Path at(where);
    const Path sp(at, "spec");
    if (Field f = r.Get(spec.value, "workloadSelector", ref, sp); f.present()) {
      sc.selector = ReadWorkloadSelector(r, f, ref, Path(sp, "workloadSelector"));
      sc.has_selector = true;
      sc.selector_loc = sc.selector.loc;
    }
    if (Field f = r.Get(spec.value, "egress", ref, sp); f.found) ReadSidecarEgress(r, f, sp, sc);
    if (Field f = r.Get(spec.value, "outboundTrafficPolicy", ref, sp); f.present())
      ReadSidecarOutbound(r, f, sp, sc);
    // `ingress: []` is no listener, as protobuf reads it.
    Field ingress = Present(r, spec.value, "ingress", ref, sp);
    sc.ingress_set = ingress.found && (!ingress.value.IsSequence() || ingress.value.size() > 0);
    sc.inbound_connection_pool_set = Present(r, spec.value, "inboundConnectionPool", ref, sp).found;
  }
  r.out().sidecars.push_back(std::move(sc));
}

// ---- VirtualService ----

namespace {

RouteDestination ReadDestination(NodeReader& r, const Field& f, const ObjectRef& ref,
                                 const Path& path, bool mirror) {
  RouteDestination d;
  r.RequireMap(f, ref, path);
  d.loc = r.Loc(f.key);
  d.mirror = mirror;
  d.host = ScalarAt(r, f.value, "host", ref, path);
  if (Field port = MapAt(r, f.value, "port", ref, path); port.found)
    d.port = IntegerAt(r, port.value, "number", ref, Path(path, "port"));
  return d;
}

void ReadMatches(NodeReader& r, const LiteNode& route, const ObjectRef& ref, const Path& rp,
                 Route& out) {
  Field f = Present(r, route, "match", ref, rp);
  if (!f.found) return;
  r.EachMap(f, ref, Path(rp, "match"), [&](const LiteNode& m, const Path& mp) {
    RouteMatch match;
    match.loc = r.Loc(m);
    match.gateways = ListAt(r, m, "gateways", ref, mp);
    match.port = IntegerAt(r, m, "port", ref, mp);
    match.source_namespace = ScalarAt(r, m, "sourceNamespace", ref, mp);
    if (out.kind == Route::Kind::kTls) match.sni_hosts = ListAt(r, m, "sniHosts", ref, mp);
    out.matches.push_back(std::move(match));
  });
}

void ReadRoute(NodeReader& r, const LiteNode& node, Route::Kind kind, const ObjectRef& ref,
               const Path& rp, VirtualService& vs) {
  Route route;
  route.kind = kind;
  route.loc = r.Loc(node);
  ReadMatches(r, node, ref, rp, route);
  if (Field f = Present(r, node, "route", ref, rp); f.found) {
    r.EachMap(f, ref, Path(rp, "route"), [&](const LiteNode& dest, const Path& dp) {
      if (Field d = Present(r, dest, "destination", ref, dp); d.found)
        route.destinations.push_back(ReadDestination(r, d, ref, Path(dp, "destination"), false));
    });
  }
  if (kind == Route::Kind::kHttp) {
    if (Field m = Present(r, node, "mirror", ref, rp); m.found)
      route.destinations.push_back(ReadDestination(r, m, ref, Path(rp, "mirror"), true));
    if (Field ms = Present(r, node, "mirrors", ref, rp); ms.found) {
      r.EachMap(ms, ref, Path(rp, "mirrors"), [&](const LiteNode& mirror, const Path& mp) {
        if (Field d = Present(r, mirror, "destination", ref, mp); d.found)
          route.destinations.push_back(ReadDestination(r, d, ref, Path(mp, "destination"), true));
      });
    }
    route.delegate = Present(r, node, "delegate", ref, rp).found;
  }
  vs.routes.push_back(std::move(route));
}

}  // namespace

void ReadVirtualService(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                        const std::string& where) {
  VirtualService vs;
  vs.meta = std::exchange(meta, {});
  const ObjectRef& ref = vs.meta.ref;
  vs.config = ReadConfigMeta(r, node, ref, where);
  Field spec = r.Spec(node, ref, where);
  if (spec.present()) {
    const Path at(where);
    const Path sp(at, "spec");
    vs.hosts = ListAt(r, spec.value, "hosts", ref, sp, &vs.hosts_key);
    if (Field f = Present(r, spec.value, "gateways", ref, sp); f.found) {
      vs.gateways_set = true;
      vs.gateways_key = r.Loc(f.key);
      vs.gateways = r.ScalarList(f, ref, Path(sp, "gateways"));
    }
    if (Field f = r.Get(spec.value, "exportTo", ref, sp); f.found) {
      vs.export_to_set = true;
      vs.export_to_key = r.Loc(f.key);
      vs.export_to = r.ScalarList(f, ref, Path(sp, "exportTo"), "exportTo: [\".\"]");
    }
    const std::pair<std::string_view, Route::Kind> kinds[] = {
        {"http", Route::Kind::kHttp}, {"tcp", Route::Kind::kTcp}, {"tls", Route::Kind::kTls}};
    Location* keys[] = {&vs.http_key, &vs.tcp_key, &vs.tls_key};
    for (std::size_t k = 0; k < 3; ++k) {
      Field f = Present(r, spec.value, kinds[k].first, ref, sp);
      if (!f.found) continue;
      *keys[k] = r.Loc(f.key);
      r.EachMap(f, ref, Path(sp, kinds[k].first), [&](const LiteNode& route, const Path& rp) {
        ReadRoute(r, route, kinds[k].second, ref, rp, vs);
      });
    }
  }
  if (!vs.hosts_key.valid()) vs.hosts_key = vs.meta.anchor();
  r.out().virtual_services.push_back(std::move(vs));
}

// ---- Gateway ----

void ReadGateway(NodeReader& r, const LiteNode& node, ObjectMeta& meta, const std::string& where) {
  Gateway gw;
  gw.meta = std::exchange(meta, {});
  const ObjectRef& ref = gw.meta.ref;
  gw.config = ReadConfigMeta(r, node, ref, where);
  Field spec = r.Spec(node, ref, where);
  if (spec.present()) {
    const Path at(where);
    const Path sp(at, "spec");
    if (Field f = Present(r, spec.value, "selector", ref, sp); f.found) {
      gw.selector.set = true;
      gw.selector.loc = r.Loc(f.key);
      gw.selector.labels_key = gw.selector.loc;
      r.StringMap(f, ref, Path(sp, "selector"), gw.selector.labels);
    }
    if (Field f = Present(r, spec.value, "servers", ref, sp); f.found) {
      gw.servers_key = r.Loc(f.key);
      r.EachMap(f, ref, Path(sp, "servers"), [&](const LiteNode& s, const Path& svp) {
        GatewayServer server;
        server.loc = r.Loc(s);
        if (Field port = MapAt(r, s, "port", ref, svp); port.found)
          server.port = ReadPort(r, port.value, ref, Path(svp, "port"));
        server.hosts = ListAt(r, s, "hosts", ref, svp, &server.hosts_key);
        if (Field tls = MapAt(r, s, "tls", ref, svp); tls.found) {
          server.tls_set = true;
          server.tls_loc = r.Loc(tls.key);
          server.tls_mode = ScalarAt(r, tls.value, "mode", ref, Path(svp, "tls"));
          const Located<std::string> redirect =
              ScalarAt(r, tls.value, "httpsRedirect", ref, Path(svp, "tls"));
          server.https_redirect = redirect.value == "true" || redirect.value == "True";
        }
        gw.servers.push_back(std::move(server));
      });
    }
  }
  r.out().gateways.push_back(std::move(gw));
}

// ---- AuthorizationPolicy ----

namespace {

PolicyTargetRef ReadTargetRef(NodeReader& r, const LiteNode& node, const ObjectRef& ref,
                              const Path& path) {
  PolicyTargetRef t;
  t.loc = r.Loc(node);
  t.group = ScalarAt(r, node, "group", ref, path);
  t.kind = ScalarAt(r, node, "kind", ref, path);
  t.name = ScalarAt(r, node, "name", ref, path);
  t.ns = ScalarAt(r, node, "namespace", ref, path);
  return t;
}

AuthzRule ReadAuthzRule(NodeReader& r, const LiteNode& node, const ObjectRef& ref,
                        const Path& path) {
  AuthzRule rule;
  rule.loc = r.Loc(node);
  if (Field from = Present(r, node, "from", ref, path); from.found) {
    r.EachMap(from, ref, Path(path, "from"), [&](const LiteNode& f, const Path& fp) {
      AuthzSource s;
      s.loc = r.Loc(f);
      if (Field src = MapAt(r, f, "source", ref, fp); src.found) {
        const Path p(fp, "source");
        s.namespaces = ListAt(r, src.value, "namespaces", ref, p);
        s.not_namespaces = ListAt(r, src.value, "notNamespaces", ref, p);
        s.principals = ListAt(r, src.value, "principals", ref, p);
        s.not_principals = ListAt(r, src.value, "notPrincipals", ref, p);
      }
      rule.from.push_back(std::move(s));
    });
  }
  if (Field to = Present(r, node, "to", ref, path); to.found) {
    r.EachMap(to, ref, Path(path, "to"), [&](const LiteNode& t, const Path& tp) {
      AuthzOperation op;
      op.loc = r.Loc(t);
      if (Field o = MapAt(r, t, "operation", ref, tp); o.found) {
        const Path p(tp, "operation");
        op.hosts = ListAt(r, o.value, "hosts", ref, p);
        op.not_hosts = ListAt(r, o.value, "notHosts", ref, p);
        op.ports = ListAt(r, o.value, "ports", ref, p);
        op.not_ports = ListAt(r, o.value, "notPorts", ref, p);
      }
      rule.to.push_back(std::move(op));
    });
  }
  rule.has_when = Present(r, node, "when", ref, path).found;
  return rule;
}

}  // namespace

void ReadAuthorizationPolicy(NodeReader& r, const LiteNode& node, ObjectMeta& meta,
                             const std::string& where) {
  AuthorizationPolicy ap;
  ap.meta = std::exchange(meta, {});
  const ObjectRef& ref = ap.meta.ref;
  ap.config = ReadConfigMeta(r, node, ref, where);
  Field spec = r.Spec(node, ref, where);
  if (spec.present()) {
    const Path at(where);
    const Path sp(at, "spec");
    if (Field f = MapAt(r, spec.value, "selector", ref, sp); f.found) {
      ap.selector.set = true;
      ap.selector.loc = r.Loc(f.key);
      if (Field ml = Present(r, f.value, "matchLabels", ref, Path(sp, "selector")); ml.found) {
        ap.selector.labels_key = r.Loc(ml.key);
        r.StringMap(ml, ref, Path(sp, "selector.matchLabels"), ap.selector.labels);
      }
    }
    if (Field f = MapAt(r, spec.value, "targetRef", ref, sp); f.found) {
      ap.target_ref_set = true;
      ap.target_refs.push_back(ReadTargetRef(r, f.value, ref, Path(sp, "targetRef")));
    }
    if (Field f = Present(r, spec.value, "targetRefs", ref, sp); f.found)
      r.EachMap(f, ref, Path(sp, "targetRefs"), [&](const LiteNode& t, const Path& tp) {
        ap.target_refs.push_back(ReadTargetRef(r, t, ref, tp));
      });
    ap.action = ScalarAt(r, spec.value, "action", ref, sp);
    if (Field f = r.Get(spec.value, "rules", ref, sp); f.found) {
      ap.rules_set = true;
      ap.rules_key = r.Loc(f.key);
      r.EachMap(f, ref, Path(sp, "rules"), [&](const LiteNode& rule, const Path& rp) {
        ap.rules.push_back(ReadAuthzRule(r, rule, ref, rp));
      });
    }
  }
  r.out().authorization_policies.push_back(std::move(ap));
}

}  // namespace meshlint
