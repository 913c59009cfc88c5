// The pairs of an `egress --base --format json` list ("opened", "closed"),
// as "ns[ (workload)] -> host[:port]" strings: what the diff tests compare.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace meshlint::testing {

using PairSet = std::set<std::string>;

inline PairSet Pairs(const nlohmann::json& list) {
  PairSet out;
  for (const auto& e : list) {
    std::string p = e["namespace"].get<std::string>();
    if (e.contains("workload")) p += " (" + e["workload"].get<std::string>() + ")";
    p += " -> " + e["host"].get<std::string>();
    if (e.contains("port")) p += ":" + std::to_string(e["port"].get<int>());
    out.insert(p);
  }
  return out;
}

}  // namespace meshlint::testing
