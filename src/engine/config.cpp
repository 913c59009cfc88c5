#include "engine/config.h"

#include <re2/re2.h>

#include "engine/rule.h"

namespace meshlint {

namespace {

void UnknownRule(const Located<std::string>& id, const std::string& where,
                 std::vector<ConfigError>& errors) {
  errors.push_back({id.loc,
                    where + " '" + id.value + "' is not a meshlint rule (see 'meshlint rules')",
                    {},
                    ""});
}

}  // namespace

std::vector<ConfigError> ValidateConfig(const ProjectConfig& config) {
  std::vector<ConfigError> errors;
  for (const auto& [id, setting] : config.rules)
    if (!FindRule(id)) UnknownRule({id, setting.loc}, "rules:", errors);
  for (const ConfigSuppression& s : config.suppressions) {
    if (!FindRule(s.rule.value)) {
      UnknownRule(s.rule, "suppression rule", errors);
    } else if (FindRule(s.rule.value)->phase == Phase::kRun) {
      errors.push_back({s.rule.loc,
                        "suppression rule '" + s.rule.value +
                            "' reports on suppressions and cannot be suppressed; turn it off "
                            "under rules: instead",
                        {},
                        ""});
    }
    if (s.object) {
      RE2 re(s.object->value, RE2::Quiet);
      if (!re.ok())
        errors.push_back({s.object->loc,
                          "suppression object '" + s.object->value +
                              "' is not a valid RE2 pattern: " + re.error(),
                          {},
                          ""});
    }
  }
  return errors;
}

}  // namespace meshlint
