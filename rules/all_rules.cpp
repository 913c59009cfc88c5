// The one list of rules, sorted by id. A rule exists when it is listed here;
// tests check the list is sorted, every rule has a doc.md and fixtures.
#include <array>

#include "rules/rules.h"

namespace meshlint {

namespace {

struct DocEntry {
  std::string_view id;
  std::string_view doc;
};

// rules/<id>/doc.md, embedded by CMake (cmake/EmbedDocs.cmake).
constexpr DocEntry kDocs[] = {
#include "rule_docs.inc"
};

constexpr std::string_view DocFor(std::string_view id) {
  for (const DocEntry& e : kDocs)
    if (e.id == id) return e.doc;
  return {};
}

constexpr std::array kRules = {
    RuleInfo{"egress-not-allowed", Severity::kError,
             "With an egress policy (--policy), a namespace can reach an external host the "
             "policy does not allow it.",
             rules::CheckEgressNotAllowed, DocFor("egress-not-allowed"), "security,egress,policy",
             "very-high", "8.0"},
    RuleInfo{"inline-suppression-ignored", Severity::kWarning,
             "An ignore.meshlint.io/ annotation while in-manifest suppressions are disabled "
             "(--no-inline-suppressions, inlineSuppressions: false): it suppresses nothing.",
             rules::ReportedBySuppressionPass, DocFor("inline-suppression-ignored"), "suppressions",
             "very-high", ""},
    RuleInfo{"invalid-manifest", Severity::kError,
             "A file or document that cannot be used: YAML syntax errors, templates, binary "
             "files, wrong field types.",
             rules::CheckInvalidManifest, DocFor("invalid-manifest"), "correctness",
             "very-high", ""},
    RuleInfo{"mesh-config-conflict", Severity::kWarning,
             "Two mesh config sources set the same field to different values.",
             rules::CheckMeshConfigConflict, DocFor("mesh-config-conflict"),
             "correctness,egress", "very-high", ""},
    RuleInfo{"mesh-outbound-allow-any", Severity::kError,
             "The mesh's outboundTrafficPolicy lets traffic to unregistered hosts through "
             "(ALLOW_ANY, unset, or no mesh config found).",
             rules::CheckMeshOutboundAllowAny, DocFor("mesh-outbound-allow-any"),
             "security,egress", "very-high", "8.0"},
    RuleInfo{"multiple-default-sidecars", Severity::kError,
             "More than one Sidecar without workloadSelector in a namespace: Istio's behaviour "
             "is undefined.",
             rules::CheckMultipleDefaultSidecars, DocFor("multiple-default-sidecars"),
             "correctness,egress", "very-high", ""},
    RuleInfo{"namespace-without-sidecar", Severity::kWarning,
             "A namespace in the sidecar mesh that no default Sidecar limits, so its proxies "
             "import every service exported to it.",
             rules::CheckNamespaceWithoutSidecar, DocFor("namespace-without-sidecar"),
             "security,egress", "high", "5.0"},
    RuleInfo{"serviceentry-exported-to-all", Severity::kWarning,
             "A ServiceEntry visible to every namespace, so every namespace can reach its hosts.",
             rules::CheckServiceEntryExportedToAll, DocFor("serviceentry-exported-to-all"),
             "security,egress", "very-high", "6.5"},
    RuleInfo{"serviceentry-exportto-invalid", Severity::kError,
             "A ServiceEntry exportTo value Istio rejects: '*' or '~' not alone, duplicates, or "
             "a malformed namespace name.",
             rules::CheckServiceEntryExportToInvalid, DocFor("serviceentry-exportto-invalid"),
             "correctness,egress", "very-high", ""},
    RuleInfo{"sidecar-egress-unresolved-host", Severity::kWarning,
             "A Sidecar egress host naming a host that no service visible to its namespace "
             "provides, so it imports nothing.",
             rules::CheckSidecarEgressUnresolvedHost, DocFor("sidecar-egress-unresolved-host"),
             "correctness,egress", "high", ""},
    RuleInfo{"sidecar-egress-wildcard", Severity::kWarning,
             "A Sidecar egress host whose namespace part is '*', importing from every namespace.",
             rules::CheckSidecarEgressWildcard, DocFor("sidecar-egress-wildcard"),
             "security,egress", "very-high", "5.0"},
    RuleInfo{"sidecar-outbound-allow-any", Severity::kWarning,
             "A Sidecar whose outboundTrafficPolicy is ALLOW_ANY re-opens egress to any host for "
             "its workloads.",
             rules::CheckSidecarOutboundAllowAny, DocFor("sidecar-outbound-allow-any"),
             "security,egress", "very-high", "7.0"},
    RuleInfo{"suppression-expired", Severity::kWarning,
             "A suppression in .meshlint.yaml whose expires date has passed: its findings are "
             "reported again.",
             rules::ReportedBySuppressionPass, DocFor("suppression-expired"), "suppressions",
             "very-high", ""},
    RuleInfo{"suppression-unknown-rule", Severity::kWarning,
             "An ignore.meshlint.io/ annotation naming a rule that does not exist: it "
             "suppresses nothing.",
             rules::ReportedBySuppressionPass, DocFor("suppression-unknown-rule"), "suppressions",
             "very-high", ""},
    RuleInfo{"suppression-without-reason", Severity::kWarning,
             "An ignore.meshlint.io/ annotation with an empty reason: it suppresses nothing.",
             rules::ReportedBySuppressionPass, DocFor("suppression-without-reason"), "suppressions",
             "very-high", ""},
};

}  // namespace

std::span<const RuleInfo> AllRules() { return kRules; }

const RuleInfo* FindRule(std::string_view id) {
  for (const RuleInfo& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace meshlint
