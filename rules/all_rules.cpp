// The one list of rules, sorted by id. A rule exists when it is listed here;
// the compiler checks the list is sorted and that every rule has a doc and
// the check its phase needs; tests check every rule has fixtures.
// `ci/new-rule ID` adds an entry (and the rule's files) in the right place.
#include <array>
#include <charconv>

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

template <std::size_t N>
constexpr std::array<RuleInfo, N> WithDocs(std::array<RuleInfo, N> rules) {
  for (RuleInfo& r : rules) r.doc = DocFor(r.id);
  return rules;
}

// GCC before 13 warns about members a designated initializer leaves out, even
// though they have defaults; leaving them out is the point here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
constexpr auto kRules = WithDocs(std::array{
    RuleInfo{.id = "duplicate-object",
             .default_severity = Severity::kNote,
             .summary = "One kind/namespace/name written more than once: one object (the copy "
                        "read last), the other copies are not linted.",
             .check = rules::CheckDuplicateObject,
             .tags = {"correctness"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "egress-not-allowed",
             .default_severity = Severity::kError,
             .summary = "With an egress policy (--policy), a namespace can reach an external host "
                        "the policy does not allow it.",
             .check = rules::CheckEgressNotAllowed,
             .tags = {"security", "egress", "policy"},
             .precision = Precision::kVeryHigh,
             .security_severity = 8.0},
    RuleInfo{.id = "egress-unmediated-workload",
             .default_severity = Severity::kWarning,
             .summary = "In a mesh meant to restrict egress (REGISTRY_ONLY or a Sidecar that "
                        "limits imports), a namespace or workload whose pods get no sidecar "
                        "proxy: Istio does not mediate their egress.",
             .check = rules::CheckEgressUnmediatedWorkload,
             .tags = {"security", "egress"},
             .precision = Precision::kHigh,
             .security_severity = 7.0},
    RuleInfo{.id = "inline-suppression-ignored",
             .default_severity = Severity::kWarning,
             .summary = "An ignore.meshlint.io/ annotation while in-manifest suppressions are "
                        "disabled (--no-inline-suppressions, inlineSuppressions: false): it "
                        "suppresses nothing.",
             .phase = Phase::kRun,
             .run_check = rules::CheckInlineSuppressionIgnored,
             .tags = {"suppressions"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "invalid-manifest",
             .default_severity = Severity::kError,
             .summary = "A file or document that cannot be used: YAML syntax errors, templates, "
                        "binary files, wrong field types.",
             .check = rules::CheckInvalidManifest,
             .tags = {"correctness"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "istio-validation-rejected",
             .default_severity = Severity::kError,
             .summary = "An object Istio's validation rejects (istiod's webhook or the CRD "
                        "schema): kubectl apply fails and it never takes effect; meshlint "
                        "leaves it out of the mesh.",
             .check = rules::CheckIstioValidationRejected,
             .tags = {"correctness"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "istio-validation-warning",
             .default_severity = Severity::kWarning,
             .summary = "An object Istio admits with a validation warning: usually a mistake "
                        "whose effect differs from what it says.",
             .check = rules::CheckIstioValidationWarning,
             .tags = {"correctness"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "mesh-config-conflict",
             .default_severity = Severity::kWarning,
             .summary = "Two mesh config sources set the same field to different values.",
             .check = rules::CheckMeshConfigConflict,
             .tags = {"correctness", "egress"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "mesh-outbound-allow-any",
             .default_severity = Severity::kError,
             .summary = "The mesh's outboundTrafficPolicy lets traffic to unregistered hosts "
                        "through (ALLOW_ANY, unset, or no mesh config found).",
             .check = rules::CheckMeshOutboundAllowAny,
             .tags = {"security", "egress"},
             .precision = Precision::kVeryHigh,
             .security_severity = 8.0},
    RuleInfo{.id = "multiple-default-sidecars",
             .default_severity = Severity::kError,
             .summary = "More than one Sidecar without workloadSelector in a namespace: Istio's "
                        "behaviour is undefined.",
             .check = rules::CheckMultipleDefaultSidecars,
             .tags = {"correctness", "egress"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "namespace-without-sidecar",
             .default_severity = Severity::kWarning,
             .summary = "A namespace in the sidecar mesh that no default Sidecar limits, so its "
                        "proxies import every service exported to it.",
             .check = rules::CheckNamespaceWithoutSidecar,
             .tags = {"security", "egress"},
             .precision = Precision::kHigh,
             .security_severity = 5.0},
    RuleInfo{.id = "serviceentry-exported-to-all",
             .default_severity = Severity::kWarning,
             .summary = "A ServiceEntry visible to every namespace, so every namespace can reach "
                        "its hosts.",
             .check = rules::CheckServiceEntryExportedToAll,
             .tags = {"security", "egress"},
             .precision = Precision::kVeryHigh,
             .security_severity = 6.5},
    RuleInfo{.id = "serviceentry-exportto-invalid",
             .default_severity = Severity::kError,
             .summary = "A ServiceEntry exportTo value Istio rejects: '*' or '~' not alone, "
                        "duplicates, or a malformed namespace name.",
             .check = rules::CheckServiceEntryExportToInvalid,
             .tags = {"correctness", "egress"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "serviceentry-tcp-wildcard-port",
             .default_severity = Severity::kWarning,
             .summary = "A ServiceEntry with resolution NONE, a TCP port and no addresses or "
                        "endpoints: Istio gives every sidecar it is exported to a 0.0.0.0 "
                        "listener on that port that passes connections to any destination, even"
                        " under REGISTRY_ONLY.",
             .check = rules::CheckServiceEntryTcpWildcardPort,
             .tags = {"security", "egress"},
             .precision = Precision::kVeryHigh,
             .security_severity = 7.5},
    RuleInfo{.id = "sidecar-egress-unresolved-host",
             .default_severity = Severity::kWarning,
             .summary = "A Sidecar egress host naming a host that no service visible to its "
                        "namespace provides, so it imports nothing.",
             .check = rules::CheckSidecarEgressUnresolvedHost,
             .tags = {"correctness", "egress"},
             .precision = Precision::kHigh},
    RuleInfo{.id = "sidecar-egress-wildcard",
             .default_severity = Severity::kWarning,
             .summary = "A Sidecar egress host whose namespace part is '*', importing from every "
                        "namespace.",
             .check = rules::CheckSidecarEgressWildcard,
             .tags = {"security", "egress"},
             .precision = Precision::kVeryHigh,
             .security_severity = 5.0},
    RuleInfo{.id = "sidecar-outbound-allow-any",
             .default_severity = Severity::kWarning,
             .summary = "A Sidecar whose outboundTrafficPolicy is ALLOW_ANY re-opens egress to "
                        "any host for its workloads.",
             .check = rules::CheckSidecarOutboundAllowAny,
             .tags = {"security", "egress"},
             .precision = Precision::kVeryHigh,
             .security_severity = 7.0},
    RuleInfo{.id = "sidecar-selects-nothing",
             .default_severity = Severity::kNote,
             .summary = "A Sidecar whose workloadSelector matches none of the workloads of its "
                        "namespace in the inputs: it applies to no pod.",
             .check = rules::CheckSidecarSelectsNothing,
             .tags = {"correctness", "egress"},
             .precision = Precision::kHigh},
    RuleInfo{.id = "suppression-expired",
             .default_severity = Severity::kWarning,
             .summary = "A suppression in .meshlint.yaml whose expires date has passed: its "
                        "findings are reported again.",
             .phase = Phase::kRun,
             .run_check = rules::CheckSuppressionExpired,
             .tags = {"suppressions"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "suppression-unknown-rule",
             .default_severity = Severity::kWarning,
             .summary = "An ignore.meshlint.io/ annotation naming a rule that does not exist: it "
                        "suppresses nothing.",
             .phase = Phase::kRun,
             .run_check = rules::CheckSuppressionUnknownRule,
             .tags = {"suppressions"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "suppression-without-reason",
             .default_severity = Severity::kWarning,
             .summary = "An ignore.meshlint.io/ annotation with an empty reason: it suppresses "
                        "nothing.",
             .phase = Phase::kRun,
             .run_check = rules::CheckSuppressionWithoutReason,
             .tags = {"suppressions"},
             .precision = Precision::kVeryHigh},
    RuleInfo{.id = "workload-outbound-bypass",
             .default_severity = Severity::kWarning,
             .summary = "In a mesh meant to restrict egress, a pod template annotation "
                        "(excludeOutboundIPRanges, excludeOutboundPorts, includeOutboundIPRanges, "
                        "interceptionMode NONE) that lets outbound connections bypass the sidecar.",
             .check = rules::CheckWorkloadOutboundBypass,
             .tags = {"security", "egress"},
             .precision = Precision::kHigh,
             .security_severity = 6.5},
});
#pragma GCC diagnostic pop

// What the tests would find later, found by the compiler now.
constexpr bool SortedAndUnique() {
  for (std::size_t i = 1; i < kRules.size(); ++i)
    if (!(kRules[i - 1].id < kRules[i].id)) return false;
  return true;
}
constexpr bool EveryRuleHasADoc() {
  for (const RuleInfo& r : kRules)
    if (r.doc.empty()) return false;
  return true;
}
constexpr bool ChecksMatchPhases() {
  for (const RuleInfo& r : kRules) {
    const bool model = r.phase == Phase::kModel;
    if (model != (r.check != nullptr) || model == (r.run_check != nullptr)) return false;
  }
  return true;
}
constexpr bool SecuritySeveritiesInRange() {
  for (const RuleInfo& r : kRules) {
    if (!r.security_severity) continue;
    const double tenths = *r.security_severity * 10;
    if (*r.security_severity < 0 || *r.security_severity > 10 ||
        tenths != static_cast<double>(static_cast<long>(tenths + 0.5)))
      return false;
  }
  return true;
}
static_assert(SortedAndUnique(), "kRules must be sorted by id, each id once");
static_assert(EveryRuleHasADoc(), "every rule needs rules/<id>/doc.md (re-run cmake if it exists)");
static_assert(ChecksMatchPhases(), "a kModel rule sets .check, a kRun rule .run_check, not both");
static_assert(SecuritySeveritiesInRange(), "security_severity is 0.0 to 10.0 in steps of 0.1");

}  // namespace

std::span<const RuleInfo> AllRules() { return kRules; }

const RuleInfo* FindRule(std::string_view id) {
  for (const RuleInfo& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

std::string SecuritySeverityText(double value) {
  char buf[16];
  // to_chars: locale-independent, unlike printf.
  const auto end = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 1).ptr;
  return std::string(buf, end);
}

}  // namespace meshlint
