#include "cli/egress_diff.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <tuple>

#include "cli/cli.h"
#include "cli/egress_base.h"
#include "cli/held.h"
#include "cli/settings.h"
#include "egress/diff.h"
#include "loader/config_file.h"
#include "loader/git_tree.h"
#include "loader/read_file.h"
#include "loader/text.h"
#include "report/egress_diff.h"
#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

std::function<std::optional<std::string>(std::uint32_t)> FileTexts(const MeshModel& model) {
  return [&model](std::uint32_t f) -> std::optional<std::string> {
    std::string text;
    if (ReadBounded(model.files.absolute(f), ReadLimits{kMaxManifestFileBytes, false}, text))
      return std::nullopt;
    return text;
  };
}

// The settings of a project config that change what is loaded and how:
// when they differ between the sides, the config is a change behind every
// pair that moved (an exclude, a meshConfig path, a default namespace).
bool LoadSettingsDiffer(const LintRequest& base, const LintRequest& head) {
  auto key = [](const LintRequest& r) {
    const LoadOptions& l = r.load;
    std::vector<std::string> namespaces;
    std::string root, mesh;
    if (r.config) {
      if (r.config->mesh_config)
        mesh = fs::path(r.config->mesh_config->value).lexically_relative(r.config->dir).string();
      for (const auto& ns : r.config->system_namespaces) namespaces.push_back(ns.value);
      if (r.config->root_namespace) root = r.config->root_namespace->value;
    }
    return std::make_tuple(l.default_namespace, l.include, l.exclude, l.istio_version.ToString(),
                           namespaces, root, mesh);
  };
  return key(base) != key(head);
}

// The config's own change, added to each pair's changes when its loading
// settings differ (a reviewer reads "modified .meshlint.yaml" next to the
// ServiceEntry it excluded).
void NameConfigChange(egress::EgressDiff& diff, const LintRequest& base, const LintRequest& head,
                      const std::string& config_display) {
  if (config_display.empty() || !LoadSettingsDiffer(base, head)) return;
  auto it = std::find_if(diff.changes.begin(), diff.changes.end(),
                         [&](const egress::Change& c) { return c.file == config_display; });
  if (it == diff.changes.end()) return;
  for (auto* list : {&diff.opened, &diff.closed})
    for (egress::DiffEntry& e : *list) {
      if (!e.explained) continue;
      const bool named = std::any_of(e.changes.begin(), e.changes.end(),
                                     [&](const egress::Change& c) { return c.file == it->file; });
      if (!named) e.changes.push_back(*it);
    }
}

// An opened pair as a finding would be: disallowed by the policy, an error;
// allowed, a note; without a policy, a warning.
bool Fails(const egress::EgressDiff& d, std::optional<Severity> fail_on) {
  if (!fail_on) return false;
  for (const egress::DiffEntry& e : d.opened) {
    const Severity s = !e.allowed   ? Severity::kWarning
                       : *e.allowed ? Severity::kNote
                                    : Severity::kError;
    if (s >= *fail_on) return true;
  }
  return false;
}

}  // namespace

int WriteEgressPicture(const std::string& format, const egress::EgressAnalysis& analysis,
                       std::ostream& out) {
  if (format != "html") {
    WriteEgressPictureMarkdown(out, egress::TargetsBySource(analysis));
    return kExitClean;
  }
  const std::vector<egress::Pair> pairs = egress::FlattenPairs(analysis);
  std::vector<egress::DiffEntry> entries;
  for (const egress::Pair& p : pairs) {
    egress::DiffEntry e;
    e.pair = p;
    e.explained = entries.size() < egress::kMaxExplainedPairs;
    if (e.explained) e.reasons = egress::ExplainPair(analysis, p).reasons;
    entries.push_back(std::move(e));
  }
  WriteEgressPictureHtml(out, entries);
  return kExitClean;
}

std::optional<Severity> EgressFailOn(const po::variables_map& vm, const ProjectConfig* config) {
  const std::string word = vm["fail-on"].as<std::string>();
  const SeverityWord parsed = ParseFailOn(word);
  if (!parsed.known)
    throw UsageError("--fail-on must be " + std::string(kFailOnWords) + ", got '" + word + "'");
  // failOn of the project config, as for lint: the flag wins.
  if (!Given(vm, "fail-on") && config && config->fail_on) return config->fail_on->value;
  return parsed.severity;
}

void AddEgressDiffOptions(po::options_description& o) {
  o.add_options()("base", po::value<std::string>(),
                  "BASE: a git revision or a directory holding the base; report what the "
                  "change opens and closes")(
      "fail-on", po::value<std::string>()->default_value("warning"),
      "with --base: error (opened and not allowed by --policy) | warning (opened) | note "
      "(opened, even if allowed) | never; without: never makes --policy violations exit 0 "
      "(default: failOn in the config, else warning)");
}

// Everything a diff run computed, kept for writing (the analyses refer to
// the models, so each lives here).
struct EgressDiffRun {
  DiffLabels labels;
  std::optional<Severity> fail_on;
  std::unique_ptr<EgressBase> base_side;
  LintResult base;
  std::unique_ptr<egress::EgressAnalysis> base_analysis, head_analysis;
  egress::EgressDiff diff;
};

EgressDiffRunPtr PrepareEgressDiff(const po::variables_map& vm, const LintRequest& request,
                                   const LintResult& head, std::ostream& err) {
  auto run = EgressDiffRunPtr(new EgressDiffRun);
  run->fail_on = EgressFailOn(vm, request.config);
  const std::string base_arg = vm["base"].as<std::string>();
  run->labels.base = base_arg;
  run->base_side = ReadEgressBase(vm, request, base_arg, err);
  const EgressBase& side = *run->base_side;
  run->labels.base_commit = side.commit;
  run->base = LoadForLint(side.request);
  const LintResult& base = run->base;
  // A path the change adds has no base: an empty side, not an error.
  for (const Problem& p : base.input_problems)
    err << "meshlint: note: base: " << TerminalSafe(base.model.files.display(p.loc.file)) << ": "
        << TerminalSafe(p.message) << '\n';
  auto base_texts = FileTexts(base.model);
  if (!side.commit.empty())
    base_texts = [&](std::uint32_t f) -> std::optional<std::string> {
      auto it = side.texts.find(base.model.files.display(f));
      if (it == side.texts.end()) return std::nullopt;
      return *it->second;
    };
  run->base_analysis = std::make_unique<egress::EgressAnalysis>(base.model);
  run->head_analysis = std::make_unique<egress::EgressAnalysis>(head.model);
  run->diff =
      egress::DiffEgress({run->base_analysis.get(), base_texts},
                         {run->head_analysis.get(), FileTexts(head.model)}, head.policy.get());
  NameConfigChange(run->diff, side.request, request,
                   request.config ? request.config->display
                   : side.config  ? side.config->display
                                  : "");
  return run;
}

int WriteEgressDiff(const EgressDiffRun& run, const std::string& format, std::ostream& out) {
  if (format == "json") WriteEgressDiffJson(out, run.diff, run.labels);
  else if (format == "markdown") WriteEgressDiffMarkdown(out, run.diff, run.labels);
  else if (format == "html") WriteEgressDiffHtml(out, run.diff, run.labels);
  else WriteEgressDiffText(out, run.diff, run.labels);
  return Fails(run.diff, run.fail_on) ? kExitFindings : kExitClean;
}

void EgressDiffRunDeleter::operator()(EgressDiffRun* run) const { FreeUnlessExiting()(run); }

}  // namespace meshlint
