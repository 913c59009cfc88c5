// The analysis flattened into reachability pairs: who (a namespace, or the
// workloads one workload-scoped Sidecar selects) reaches which external host
// (and port, where the analysis knows it). `meshlint egress --base` compares
// two such sets. This file and pairs.cpp are the only code of the review
// view that reads the analysis itself, so the analysis can grow (ports,
// workloads, revisions) with one adapter to follow.
#pragma once

#include <cstdint>
#include <memory>
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

// One host (and port) a source reaches: a Pair without its source.
struct Target {
  std::string host;
  std::uint32_t port = 0;
  std::string protocol;

  auto Key() const { return std::tie(host, port); }
  friend bool operator<(const Target& a, const Target& b) { return a.Key() < b.Key(); }
  friend bool operator==(const Target& a, const Target& b) { return a.Key() == b.Key(); }
};

// Every source of the analysis (those that reach nothing too), sorted by
// (ns, workload), each once, with what it reaches: FlattenPairs' pairs of
// that source, sorted, each once. A source of one row in a host group holds
// its group's targets (built once per group, shared by every source of the
// group) apart from its own: the group's targets it does not reach (another
// service or other ports of the same name replace them) and the targets it
// reaches beyond them. Sources that reach alike share their lists, so this
// costs the rows, their own hosts and each group's hosts once, never rows x
// group hosts.
struct SourceTargets {
  std::string ns;
  std::string workload;
  // Sorted by key, each key once; `group` null: none (then `removed` is empty).
  std::shared_ptr<const std::vector<Target>> group;
  std::shared_ptr<const std::vector<Target>> removed;  // entries of `group`; never null
  // Beyond the group: none has the key of a group entry it reaches; never null.
  std::shared_ptr<const std::vector<Target>> own;

  std::size_t size() const { return (group ? group->size() - removed->size() : 0) + own->size(); }
  // Does it list `t`'s key?
  bool Lists(const Target& t) const;
  // Every target, sorted by key: the group's it reaches merged with its own.
  std::vector<Target> All() const;
};
std::vector<SourceTargets> TargetsBySource(const EgressAnalysis& analysis);

// What one side reaches, for asking about the other side's pairs (DiffEgress):
// a pair is reached when its source's targets list it, or hold "*" (ALLOW_ANY
// or no proxy covers every host and port). A workload group this side does
// not have (its Sidecar is new or gone) answers as its namespace does here.

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
