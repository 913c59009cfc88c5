// The commands' documentation and options (cli/commands.h). Parsing
// (cli.cpp), --help (help.cpp), the man page and the completions
// (generate.cpp) all read them here, so they cannot disagree.
#include <array>

#include "cli/commands.h"
#include "cli/egress_diff.h"
#include "cli/output.h"
#include "cli/settings.h"
#include "engine/rule.h"

namespace meshlint {
namespace po = boost::program_options;

namespace {

constexpr std::array<CommandDoc, 4> kCommands = {{
    {"lint", "lint manifests: files, directories, or - for stdin",
     "meshlint lint [PATH...] [options]",
     "Lints Kubernetes and Istio manifests: files, directories (walked for .yaml, .yml and "
     ".json files), or - for stdin; no PATH means the current directory. All of them make one "
     "model of the mesh, so a Sidecar in one file and a ServiceEntry in another are judged "
     "together. Options given here win over .meshlint.yaml, which wins over the defaults.",
     "meshlint lint deploy/\n"
     "meshlint lint deploy/ --mesh-config istio/mesh.yaml\n"
     "helm template my-chart | meshlint lint -\n"
     "meshlint lint . --report sarif=meshlint.sarif\n"
     "meshlint lint . --baseline .meshlint-baseline.json\n"
     "meshlint lint --context . deploy/team-a/sidecar.yaml\n",
     "0 no finding at or above --fail-on, 1 such findings, 2 usage error or unreadable input",
     true},
    {"egress", "which namespaces reach which external hosts, and why",
     "meshlint egress [PATH...] [options]\n"
     "meshlint egress [PATH...] --from NAMESPACE[/Kind/name] --to HOST[:PORT]\n"
     "meshlint egress [PATH...] --base BASE",
     "Reports, per namespace and group of workloads that share a verdict, whether their pods "
     "have a proxy, the outbound traffic mode, the Sidecar that applies and the external "
     "hosts and ports they can reach, with the ServiceEntry that provides each. With --from "
     "and --to: the chain of reasons for one answer (a namespace reaches a host when any of "
     "its workloads does; without a port, on some port). With --base: the pairs a change "
     "opens and closes against a git revision or a directory. Reads the same inputs and "
     ".meshlint.yaml as lint.",
     "meshlint egress deploy/\n"
     "meshlint egress deploy/ --from newguy --to deb.debian.org\n"
     "meshlint egress deploy/ --policy egress-policy.yaml --format json\n"
     "meshlint egress deploy/ --base origin/main --format markdown\n",
     "0 (with --from/--to: reachable), 1 not reachable, a --policy violation or (with --base) "
     "a pair opened, 2 usage error",
     true},
    {"rules", "list the rules with their default severity", "meshlint rules [options]",
     "Lists every rule: its id, default severity and what it flags.",
     "meshlint rules\nmeshlint rules --format markdown\n", "0, or 2 for a usage error", false},
    {"explain", "print a rule's documentation", "meshlint explain RULE",
     "Prints the documentation of RULE: what it checks, why it matters, how to fix it, and "
     "how to suppress it.",
     "meshlint explain namespace-without-sidecar\n", "0, or 2 for an unknown rule", false},
}};

po::options_description HelpOption() {
  po::options_description o;
  o.add_options()("help,h", "show this help");
  return o;
}

void AddGroup(OptionSet& set, std::string title, const po::options_description& options) {
  set.groups.push_back({std::move(title), options.options()});
}

OptionSet LintOptions() {
  po::options_description rules;
  rules.add_options()("severity",
                      po::value<std::vector<std::string>>()->composing()->value_name("RULE=LEVEL"),
                      "run RULE at LEVEL (error | warning | note | off); repeatable")(
      "disable", po::value<std::vector<std::string>>()->composing()->value_name("RULE"),
      "turn RULE off; repeatable")(
      "policy", po::value<std::string>()->value_name("FILE"),
      "egress policy FILE: enables egress-not-allowed (docs/egress-audit.md)");
  po::options_description inputs;
  AddLoadOptions(inputs);
  po::options_description settings;
  AddSettingsOptions(settings);  // config, suppressions, --context: cli/settings.cpp
  po::options_description output = ReportOptions();  // cli/output.cpp
  output.add_options()("color", po::value<std::string>()->default_value("auto")->value_name("WHEN"),
                       "colour the text report: auto (on a terminal, unless NO_COLOR is set) "
                       "| always | never")(
      "summary",
      "text report: per rule its counts and first finding, then the totals (a first run "
      "on a big repository)")("verbose,v",
                              "list on stderr every file and document not linted, with why "
                              "(not Kubernetes, a Helm chart's, a kustomization's, excluded)");
  OptionSet set;
  AddGroup(set, "Rules", rules);
  AddGroup(set, "Inputs", inputs);
  AddGroup(set, "Project config and suppressions", settings);
  AddGroup(set, "Output options", output);
  AddGroup(set, "General", HelpOption());
  return set;
}

OptionSet EgressOptions() {
  po::options_description question;
  question.add_options()(
      "format,f", po::value<std::string>()->default_value("text")->value_name("FORMAT"),
      "text | json | markdown (a pull-request comment) | html (one page with the graph)")(
      "output,o", po::value<std::string>()->value_name("FILE"),
      "write the report to FILE instead of stdout")(
      "from", po::value<std::string>()->value_name("NAMESPACE[/Kind/name]"),
      "explain whether NAMESPACE (or one workload) reaches the host of --to")(
      "to", po::value<std::string>()->value_name("HOST[:PORT]"),
      "the host to explain (with --from); without a port: on some port")(
      "policy", po::value<std::string>()->value_name("FILE"),
      "egress policy FILE: mark disallowed pairs")(
      "expand", "list every host under every namespace (no host groups)");
  po::options_description review;
  AddEgressDiffOptions(review);  // --base: cli/egress_diff.cpp
  po::options_description inputs;
  AddLoadOptions(inputs);
  AddConfigOptions(inputs);  // the project config: cli/settings.cpp
  OptionSet set;
  AddGroup(set, "Report and question", question);
  AddGroup(set, "Review a change", review);
  AddGroup(set, "Inputs", inputs);
  AddGroup(set, "General", HelpOption());
  return set;
}

OptionSet RulesOptions() {
  po::options_description o;
  o.add_options()("format,f", po::value<std::string>()->default_value("text")->value_name("FORMAT"),
                  "text | markdown | json");
  OptionSet set;
  AddGroup(set, "Options", o);
  AddGroup(set, "General", HelpOption());
  return set;
}

}  // namespace

std::span<const CommandDoc> Commands() { return kCommands; }

const CommandDoc* FindCommand(std::string_view name) {
  for (const CommandDoc& c : kCommands)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const CommandDoc& c : kCommands) names.emplace_back(c.name);
  names.emplace_back("help");
  return names;
}

po::options_description OptionSet::All() const {
  po::options_description all;
  for (const Group& g : groups)
    for (const auto& o : g.options) all.add(o);
  return all;
}

OptionSet CommandOptions(std::string_view command) {
  if (command == "lint") return LintOptions();
  if (command == "egress") return EgressOptions();
  if (command == "rules") return RulesOptions();
  OptionSet set;
  if (FindCommand(command)) AddGroup(set, "General", HelpOption());
  return set;
}

std::vector<std::string> OptionChoices(std::string_view command, std::string_view option) {
  if (option == "format") {
    if (command == "egress") return {"text", "json", "markdown", "html"};
    if (command == "rules") return {"text", "markdown", "json"};
    return {"text", "json", "sarif", "github", "gitlab"};
  }
  if (option == "fail-on") return {"error", "warning", "note", "never"};
  if (option == "color") return {"auto", "always", "never"};
  if (option == "disable" || option == "rule") {
    std::vector<std::string> ids;
    for (const RuleInfo& r : AllRules()) ids.emplace_back(r.id);
    return ids;
  }
  return {};
}

}  // namespace meshlint
