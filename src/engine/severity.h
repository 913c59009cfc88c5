// The severities findings carry, and the one place their words are spelled:
// text and JSON output, SARIF levels, flags (--severity, --fail-on) and the
// project config (rules:, failOn:) all parse and print them through here.
// Header-only, so that the loader's config reader can use it without linking
// the engine.
#pragma once

#include <optional>
#include <string_view>

namespace meshlint {

enum class Severity { kNote = 0, kWarning = 1, kError = 2 };

// "note", "warning", "error" (also SARIF's level names).
constexpr std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "warning";
}

constexpr std::optional<Severity> ParseSeverity(std::string_view text) {
  for (Severity s : {Severity::kNote, Severity::kWarning, Severity::kError})
    if (text == SeverityName(s)) return s;
  return std::nullopt;
}

// A word that is a severity or the one extra word that stands for none.
struct SeverityWord {
  bool known = false;                // false: the text is no accepted word
  std::optional<Severity> severity;  // nullopt: the "none" word
};

// A rule's level (--severity RULE=LEVEL, the config's rules:): a severity,
// or "off" (the rule does not run).
inline constexpr std::string_view kRuleOff = "off";
constexpr SeverityWord ParseRuleLevel(std::string_view text) {
  if (text == kRuleOff) return {true, std::nullopt};
  const std::optional<Severity> s = ParseSeverity(text);
  return {s.has_value(), s};
}

// The gate (--fail-on, the config's failOn:): the lowest severity that fails
// the run, or "never".
inline constexpr std::string_view kFailNever = "never";
constexpr SeverityWord ParseFailOn(std::string_view text) {
  if (text == kFailNever) return {true, std::nullopt};
  const std::optional<Severity> s = ParseSeverity(text);
  return {s.has_value(), s};
}

// The accepted words, for messages: "error, warning, note or off".
inline constexpr std::string_view kRuleLevelWords = "error, warning, note or off";
inline constexpr std::string_view kFailOnWords = "error, warning, note or never";

// One level lower (an uncertain finding); a note stays a note.
constexpr Severity Lowered(Severity s) {
  return s == Severity::kNote ? s : static_cast<Severity>(static_cast<int>(s) - 1);
}

}  // namespace meshlint
