// The egress policy's patterns: RE2 for namespaces (user-supplied, so RE2's
// linear-time matching), Istio-style host names for hosts.
#include <re2/re2.h>

#include "egress/egress.h"

namespace meshlint::egress {

struct CompiledPolicy::Entry {
  std::unique_ptr<RE2> namespaces;
  std::vector<std::string> hosts;
};

CompiledPolicy::CompiledPolicy() = default;
CompiledPolicy::~CompiledPolicy() = default;

std::string CheckHostPattern(std::string_view pattern) {
  if (pattern == "*") return "";
  if (pattern.empty()) return "a host pattern must not be empty";
  std::string_view name = pattern;
  if (pattern.front() == '*') {
    if (!pattern.starts_with("*.") || pattern.size() == 2)
      return "a wildcard must be a whole leftmost label, as in \"*.example.com\"";
    name = pattern.substr(2);
  }
  if (name.size() > 253) return "a host name is at most 253 characters";
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    std::string_view label = name.substr(start, dot - start);
    if (label.empty()) return "empty label (two dots, or a leading or trailing dot)";
    if (label.size() > 63) return "a label is at most 63 characters";
    for (char c : label) {
      if (c == '*') return "'*' is only allowed as the whole leftmost label (\"*.example.com\")";
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        if (c >= 'A' && c <= 'Z') return "host names are written in lowercase";
        return std::string("character '") + c + "' is not allowed in a host name";
      }
    }
    if (label.front() == '-' || label.back() == '-')
      return "a label must not start or end with '-'";
    start = dot + 1;
    if (dot == name.size()) break;
  }
  return "";
}

std::shared_ptr<const CompiledPolicy> CompilePolicy(const EgressPolicy& policy,
                                                    std::vector<PolicyError>& errors) {
  auto out = std::make_shared<CompiledPolicy>();
  RE2::Options options;
  options.set_log_errors(false);
  for (const EgressPolicyEntry& e : policy.entries) {
    auto entry = std::make_unique<CompiledPolicy::Entry>();
    // Anchored: the pattern must match the whole namespace name.
    entry->namespaces = std::make_unique<RE2>("(?:" + e.namespaces.value + ")", options);
    if (!entry->namespaces->ok()) {
      errors.push_back({e.namespaces.loc, "invalid namespace pattern \"" + e.namespaces.value +
                                              "\": " + entry->namespaces->error() +
                                              " (RE2 syntax, matched against the whole name)"});
    }
    for (const auto& h : e.hosts) {
      std::string problem = CheckHostPattern(h.value);
      if (!problem.empty())
        errors.push_back({h.loc, "invalid host pattern \"" + h.value + "\": " + problem});
      entry->hosts.push_back(h.value);
    }
    out->entries_.push_back(std::move(entry));
  }
  return out;
}

std::vector<std::uint32_t> CompiledPolicy::EntriesFor(std::string_view ns) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < entries_.size(); ++i)
    if (entries_[i]->namespaces->ok() && RE2::FullMatch(ns, *entries_[i]->namespaces))
      out.push_back(i);
  return out;
}

bool CompiledPolicy::AllowsWith(const std::vector<std::uint32_t>& entries,
                                std::string_view host) const {
  for (std::uint32_t i : entries)
    for (const std::string& pattern : entries_[i]->hosts)
      if (istio::HostSubsetOf(host, pattern)) return true;
  return false;
}

bool CompiledPolicy::AnyHostWith(const std::vector<std::uint32_t>& entries) const {
  for (std::uint32_t i : entries)
    for (const std::string& pattern : entries_[i]->hosts)
      if (pattern == "*") return true;
  return false;
}

bool CompiledPolicy::Allows(std::string_view ns, std::string_view host) const {
  return AllowsWith(EntriesFor(ns), host);
}

bool CompiledPolicy::AllowsAnyHost(std::string_view ns) const {
  return AnyHostWith(EntriesFor(ns));
}

}  // namespace meshlint::egress
