// A dump of everything the loader produced, and every finding, one line
// each: what "the same model" means when the scanner's fast path and the
// full parse are compared (tests/scan_equivalence_test.cpp, and the
// differential fuzz target fuzz/scan_differential_fuzzer.cpp).
#pragma once

#include <ostream>
#include <sstream>
#include <string>

#include "engine/runner.h"
#include "model/model.h"

namespace meshlint::testing {

inline std::string L(const Location& l) {
  return std::to_string(l.file) + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) +
         "-" + std::to_string(l.end_line) + ":" + std::to_string(l.end_column);
}

inline void DumpMeta(std::ostream& o, const ObjectMeta& m) {
  o << m.api_version << '|' << m.ref.FullyQualifiedName() << '|' << m.ns_defaulted << '|'
    << L(m.loc) << '|' << L(m.name_loc) << '|' << L(m.ns_loc);
  for (const auto& [k, v] : m.meshlint_annotations) o << '|' << k << '=' << v.value << '@' << L(v.loc);
}

inline void DumpList(std::ostream& o, const std::vector<Located<std::string>>& values) {
  o << '[';
  for (const auto& v : values) o << v.value << '@' << L(v.loc) << ',';
  o << ']';
}

// One line per object; an overload per kind of Objects (a kind without one
// does not compile).
inline void DumpItem(std::ostream& o, const NamespaceObject& ns) {
  o << "ns ";
  DumpMeta(o, ns.meta);
  for (const auto& [k, v] : ns.labels) o << '|' << k << '=' << v;
}

inline void DumpItem(std::ostream& o, const ServiceEntry& se) {
  o << "se ";
  DumpMeta(o, se.meta);
  DumpList(o, se.hosts);
  o << L(se.hosts_key) << '|' << se.export_to_set;
  DumpList(o, se.export_to);
  o << L(se.export_to_key) << '|' << se.location.value << '@' << L(se.location.loc) << '|'
    << se.has_workload_selector;
}

inline void DumpItem(std::ostream& o, const Sidecar& sc) {
  o << "sc ";
  DumpMeta(o, sc.meta);
  o << '|' << sc.has_selector << L(sc.selector_loc) << '|' << sc.egress_set << L(sc.egress_key);
  DumpList(o, sc.egress_hosts);
  o << sc.outbound_set << L(sc.outbound_key) << OutboundModeName(sc.outbound_mode)
    << L(sc.outbound_mode_loc);
}

inline void DumpItem(std::ostream& o, const ObjectMeta& other) {
  o << "obj ";
  DumpMeta(o, other);
}

inline void DumpItem(std::ostream& o, const MeshConfigSource& s) {
  o << "mesh " << static_cast<int>(s.origin) << '|' << s.description << '|'
    << s.object.FullyQualifiedName() << '|' << L(s.loc) << '|'
    << (s.root_namespace ? s.root_namespace->value + "@" + L(s.root_namespace->loc) : "-") << '|';
  if (s.default_service_export_to) DumpList(o, *s.default_service_export_to);
  o << L(s.default_service_export_to_key) << '|' << L(s.outbound_key) << '|'
    << (s.outbound_mode ? std::string(OutboundModeName(s.outbound_mode->value)) + "@" +
                              L(s.outbound_mode->loc)
                        : "-");
}

inline void DumpItem(std::ostream& o, const Problem& p) {
  o << "problem " << L(p.loc) << '|' << p.message << '|' << p.object.FullyQualifiedName() << '|'
    << p.field;
}

inline void DumpItem(std::ostream& o, const SkippedDocument& s) {
  o << "skipped " << L(s.loc) << '|' << s.reason;
}

inline void DumpItem(std::ostream& o, const CustomKind& k) {
  o << "crd " << k.group << '|' << k.kind << '|' << k.cluster_scoped << '|' << L(k.loc);
}

// Everything the loader produced and every finding, one line each.
inline std::string Dump(const MeshModel& m) {
  std::ostringstream o;
  for (std::size_t i = 0; i < m.files.size(); ++i) o << "file " << m.files.display(i) << '\n';
  ForEachCollection(static_cast<const Objects&>(m), [&](const auto& items) {
    for (const auto& item : items) {
      DumpItem(o, item);
      o << '\n';
    }
  });
  o << "stats " << m.stats.files << ' ' << m.stats.documents << ' ' << m.stats.objects << ' '
    << m.stats.skipped_non_kubernetes << ' ' << m.stats.empty_documents << '\n';
  for (const Finding& f : RunRules(m, {}))
    o << "finding " << f.rule_id << '|' << L(f.diag.loc) << '|' << f.diag.message << '\n';
  return o.str();
}

// The first line where two dumps differ, for a readable failure.
inline std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int n = 1;; ++n) {
    bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "(none)";
    if (ea || eb || la != lb)
      return "line " + std::to_string(n) + ":\n  scan: " + (ea ? "<end>" : la) +
             "\n  full: " + (eb ? "<end>" : lb);
  }
}

}  // namespace meshlint::testing
