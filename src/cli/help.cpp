#include "cli/help.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <ostream>
#include <sstream>

#include "report/report.h"

namespace meshlint {
namespace po = boost::program_options;

namespace {

constexpr std::size_t kWidth = 80;   // the help fits a classic terminal
constexpr std::size_t kColumn = 30;  // where option descriptions start

// The argument's name when the option does not set one (value_name).
std::string ArgumentName(const std::string& long_name) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"format", "FORMAT"},      {"output", "FILE"},
      {"report", "FORMAT=FILE"}, {"fail-on", "LEVEL"},
      {"baseline", "FILE"},      {"write-baseline", "FILE"},
      {"automation-id", "ID"},   {"default-namespace", "NAMESPACE"},
      {"mesh-config", "FILE"},   {"jobs", "N"}};
  if (auto it = kNames.find(long_name); it != kNames.end()) return it->second;
  std::string upper;
  for (char c : long_name) upper += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return upper;
}

OptionView View(const po::option_description& d) {
  OptionView v;
  v.long_name = d.long_name();
  const std::string shown = d.canonical_display_name(po::command_line_style::allow_dash_for_short);
  if (shown.size() == 2 && shown[0] == '-') v.short_name = shown[1];
  v.description = d.description();
  if (d.semantic()->max_tokens() == 0) return v;
  // Boost names the argument "NAME (=default)", NAME "arg" unless set.
  std::string name = d.semantic()->name();
  if (auto open = name.find(" (="); open != std::string::npos && name.back() == ')') {
    v.default_value = name.substr(open + 3, name.size() - open - 4);
    name.resize(open);
  }
  v.argument = name == "arg" ? ArgumentName(v.long_name) : name;
  return v;
}

// Words of `text` wrapped to lines of at most `width`, each after `indent`.
void WriteWrapped(std::ostream& out, std::string_view text, std::size_t indent,
                  std::size_t first_column) {
  std::istringstream words{std::string(text)};
  std::size_t column = first_column;
  bool line_start = true;
  for (std::string word; words >> word;) {
    if (!line_start && column + 1 + word.size() > kWidth) {
      out << '\n' << std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out << ' ';
      ++column;
    }
    out << word;
    column += word.size();
    line_start = false;
  }
  out << '\n';
}

std::string OptionLabel(const OptionView& o) {
  std::string label = o.short_name ? std::string("-") + o.short_name + ", " : "    ";
  label += "--" + o.long_name;
  if (!o.argument.empty()) label += " " + o.argument;
  return label;
}

void WriteGroups(std::ostream& out, const OptionSet& options) {
  for (const OptionGroup& g : Groups(options)) {
    out << '\n' << g.title << ":\n";
    for (const OptionView& o : g.options) {
      std::string label = "  " + OptionLabel(o);
      std::string text = o.description;
      if (!o.default_value.empty()) text += " (default: " + o.default_value + ")";
      // Always two spaces after the label, so "--opt " can be found in it.
      label += label.size() + 2 <= kColumn ? std::string(kColumn - label.size(), ' ') : "  ";
      out << label;
      WriteWrapped(out, text, kColumn, label.size());
    }
  }
}

void WriteExamples(std::ostream& out, std::string_view examples) {
  out << "\nExamples:\n";
  std::istringstream lines{std::string(examples)};
  for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
}

}  // namespace

std::vector<OptionGroup> Groups(const OptionSet& options) {
  std::vector<OptionGroup> groups;
  for (const OptionSet::Group& g : options.groups) {
    OptionGroup view{g.title, {}};
    for (const auto& d : g.options) view.options.push_back(View(*d));
    groups.push_back(std::move(view));
  }
  return groups;
}

void WriteMainHelp(std::ostream& out) {
  out << "meshlint: static policy linter and egress auditor for Istio manifests\n\n"
         "Usage: meshlint COMMAND [PATH...] [options]\n\nCommands:\n";
  for (const CommandDoc& c : Commands()) {
    std::string name = "  " + std::string(c.name);
    out << name << std::string(12 - name.size(), ' ') << c.summary << '\n';
  }
  out << "  help      show a command's options: meshlint help lint\n\n"
         "Options:\n"
         "  -h, --help     show this help\n"
         "  -V, --version  show the version, the commit and the libraries it was built with\n";
  WriteExamples(out,
                "meshlint lint deploy/\n"
                "meshlint lint . --format sarif --output meshlint.sarif\n"
                "meshlint egress deploy/ --from newguy --to deb.debian.org\n"
                "meshlint explain mesh-outbound-allow-any\n");
  out << "\nRun 'meshlint help COMMAND' or 'meshlint COMMAND --help' for its options.\n"
         "Exit status: 0 no finding at or above --fail-on, 1 such findings, 2 usage error\n"
         "or unreadable path. egress --from/--to: 0 reachable, 1 not reachable.\n";
}

void WriteCommandHelp(std::ostream& out, const CommandDoc& command) {
  std::istringstream usage{std::string(command.usage)};
  bool first = true;
  for (std::string line; std::getline(usage, line); first = false)
    out << (first ? "Usage: " : "       ") << line << '\n';
  out << '\n';
  WriteWrapped(out, command.description, 0, 0);
  WriteGroups(out, CommandOptions(command.name));
  WriteExamples(out, command.examples);
  out << '\n';
  WriteWrapped(out, "Exit status: " + std::string(command.exit_status) + ".", 0, 0);
}

}  // namespace meshlint
