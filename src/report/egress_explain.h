// Internal to src/report: the sentences of an egress explanation.
// egress_explain.cpp: the mode, the registry and the Sidecar's imports;
// egress_explain_who.cpp: who asks (membership, capture, selection) and the
// listeners, routes and gateway; egress_explain_write.cpp: the changes and
// the text and JSON writers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/egress_common.h"
#include "report/egress_report.h"

namespace meshlint::egress_detail {

std::string Quote(std::string_view s);
// ["a", "b", ... 3 more]
std::string JoinQuoted(const std::vector<Located<std::string>>& values, std::size_t max = 6);

// What a sentence names, worked out once per explanation.
struct Names {
  const MeshModel& model;
  const egress::Explanation& ex;
  std::string root;     // the root namespace
  std::string sidecar;  // "Sidecar ns/name" of the applicable Sidecar, or ""
  bool allow_any;

  Names(const MeshModel& m, const egress::Explanation& e);
  std::string Target(const egress::Step& s) const;  // "ns/host" of the step's service host
  std::string SeHost(const egress::Step& s) const;
  const std::string& Entry(const egress::Step& s) const;
  const std::string& Source(const egress::Step& s) const;
  std::string Port() const;      // " on port 443", or ""
  std::string RootNote() const;  // changing the root default changes every namespace without one
  std::string InRegistry() const;
};

std::string ChainText(const Names& n, const egress::Step& s);
std::string WhoText(const Names& n, const egress::Step& s);
std::string RouteText(const Names& n, const egress::Step& s);
std::string ChangeText(const Names& n, const egress::Step& s);
std::string OtherRowText(const Names& n, const egress::Step& s);
// "Deployment/web, Deployment/api", "its pods", or "the workloads Sidecar ns/x selects".
std::string RowLabel(const MeshModel& model, const egress::Scope& r);
// Why a pod has (no) proxy, as a clause: "the pod label sidecar.istio.io/inject=false".
std::string ProxyReasonText(const MeshModel& model, const std::string& ns,
                            const istio::PodProxy& p);

}  // namespace meshlint::egress_detail
