// The analysis flattened into reachability pairs: who (a namespace, or the
// workloads one workload-scoped Sidecar selects) reaches which external host
// (and port, where the analysis knows it). `meshlint egress --base` compares
// two such sets. This file and pairs.cpp are the only code of the review
// view that reads the analysis itself, so the analysis can grow (ports,
// workloads, revisions) with one adapter to follow.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "egress/egress.h"

namespace meshlint::egress {

// "*": any host (ALLOW_ANY passes what the registry does not list).
inline constexpr const char* kAnyHost = "*";

struct Pair {
  std::string ns;
  // "": the namespace's workloads; else the group that answers apart from
  // them ("Sidecar/NAME": the workloads a workload-scoped Sidecar selects).
  std::string workload;
  std::string host;
  // The ServiceEntry port the host is reached on; 0 for any host (ALLOW_ANY,
  // no proxy) and for a host without ports of its own.
  std::uint32_t port = 0;
  std::string protocol;  // the port's ("HTTP", "TLS"...); "" when none is known

  auto Key() const { return std::tie(ns, workload, host, port); }
  friend bool operator<(const Pair& a, const Pair& b) { return a.Key() < b.Key(); }
  friend bool operator==(const Pair& a, const Pair& b) { return a.Key() == b.Key(); }
};

// One sentence of why, and the line it points at (a display path of the
// side it was computed on; empty file: nothing to point at).
struct Reason {
  std::string text;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// Every pair the analysis reaches, sorted, each once: per row, "*" when it
// may reach any host (ALLOW_ANY, no proxy: the registry's hosts are not
// listed again under it), else each ServiceEntry host on each port it
// imports.
std::vector<Pair> FlattenPairs(const EgressAnalysis& analysis);

// What one side reaches, for asking about the other side's pairs: a pair is
// reached when it is listed, or when its source reaches any host (ALLOW_ANY
// or no proxy covers every host and port). A workload group this side does
// not have (its Sidecar is new or gone) answers as its namespace does here.
class Reach {
 public:
  explicit Reach(const EgressAnalysis& analysis);
  const std::vector<Pair>& pairs() const { return pairs_; }
  bool Reaches(const Pair& pair) const;

 private:
  std::vector<Pair> pairs_;  // sorted, each once (FlattenPairs)
  // Every source of this side, (ns, workload), sorted: those that reach
  // nothing too.
  std::vector<std::pair<std::string, std::string>> sources_;
};

// Why `pair` is (or is not) reachable on the side of `analysis`: the
// sentences of the --from/--to explanation, and every location they rest on
// (the Sidecar that applies included), for finding the change behind it.
struct PairWhy {
  bool reachable = false;
  std::vector<Reason> reasons;
  std::vector<Location> grounds;
};
PairWhy ExplainPair(const EgressAnalysis& analysis, const Pair& pair);

// "newguy", "newguy (Sidecar/web)": the pair's source, for sentences.
std::string SourceName(const Pair& pair);
// "deb.debian.org", "deb.debian.org:443", "any host".
std::string TargetName(const Pair& pair);

}  // namespace meshlint::egress
