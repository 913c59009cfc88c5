// The egress policy file (--policy, or the project config's egressPolicy):
// the same guards, parser and tree as manifests, its own vocabulary.
#include <algorithm>
#include <filesystem>

#include "loader/loader.h"
#include "loader/node_reader.h"
#include "loader/read_file.h"
#include "loader/text.h"
#include "loader/yaml_tree.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

constexpr const char* kAliasBomb =
    "YAML aliases (*name) expand the policy far beyond its size: not read";

class PolicyReader {
 public:
  PolicyReader(std::uint32_t file, int line_offset, std::string_view text)
      : file_(file), line_offset_(line_offset), budget_(BudgetFor(text)) {}

  std::vector<Problem>& problems() { return problems_; }

  // A problem at a yaml-cpp mark of the text (none: the file as a whole).
  void At(LiteNode::Position mark, std::string message) {
    Location l{file_, 0, 0, 0, 0};
    if (mark.line >= 0) {
      l.line = l.end_line = static_cast<std::uint32_t>(mark.line + line_offset_) + 1;
      l.column = static_cast<std::uint32_t>(mark.column) + 1;
      l.end_column = l.column + 1;
    }
    problems_.push_back({l, std::move(message), {}, ""});
  }
  // A missing key has no place of its own: the mapping that lacks it.
  void At(const Field& f, const LiteNode& map, std::string message) {
    At(f.found ? f.value.Mark() : map.Mark(), std::move(message));
  }

  // Where a value of the policy is, for the findings that cite it.
  Location Loc(const LiteNode& node) const {
    Location l;
    const auto mark = node.Mark();
    if (mark.line < 0) return l;
    l.file = file_;
    l.line = static_cast<std::uint32_t>(mark.line + line_offset_) + 1;
    l.column = static_cast<std::uint32_t>(mark.column) + 1;
    l.end_line = l.line;
    l.end_column = l.column + static_cast<std::uint32_t>(std::max<std::size_t>(
                                  node.IsScalar() ? node.Scalar().size() : 1, 1));
    return l;
  }

  // Aliases could repeat one large pattern thousands of times, each copied
  // and compiled: the copies are bounded by a budget linear in the file.
  bool Charge(std::size_t n) {
    if (n >= budget_.left) return false;
    budget_.left -= n;
    return true;
  }

  // False when the policy cannot be read further (an alias bomb).
  bool Entry(const LiteNode& item, std::size_t i, EgressPolicy& policy);

 private:
  bool Hosts(const LiteNode& item, const Field& hosts, const std::string& item_name,
             EgressPolicyEntry& entry);

  std::uint32_t file_;
  int line_offset_;
  WorkBudget budget_;
  std::vector<Problem> problems_;
};

Field Find(const LiteNode& map, std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return {it->first, it->second, true};
  return {};
}

bool PolicyReader::Entry(const LiteNode& item, std::size_t i, EgressPolicy& policy) {
  const std::string item_name = "egress[" + std::to_string(i) + "]";
  if (!item.IsMap()) {
    At(item.Mark(), item_name + " must be a mapping {namespaces: REGEX, hosts: [HOST...]}");
    return true;
  }
  if (!Charge(64 + item.size())) {
    At(item.Mark(), kAliasBomb);
    return false;
  }
  EgressPolicyEntry entry;
  entry.loc = Loc(item);
  const Field ns = Find(item, "namespaces");
  const Field hosts = Find(item, "hosts");
  for (auto it = item.begin(); it != item.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    if (key != "namespaces" && key != "hosts")
      At(it->first.Mark(),
         "unknown key '" + key + "' in " + item_name + " (expected namespaces and hosts)");
  }
  if (!ns.found || !ns.value.IsScalar() || ns.value.Scalar().empty()) {
    At(ns, item,
       item_name +
           ".namespaces must be a non-empty RE2 pattern string, e.g. \"payments|checkout\"");
  } else if (!Charge(ns.value.Scalar().size())) {
    At(ns.value.Mark(), kAliasBomb);
    return false;
  } else {
    entry.namespaces = {ns.value.Scalar(), Loc(ns.value)};
  }
  if (!Hosts(item, hosts, item_name, entry)) return false;
  policy.entries.push_back(std::move(entry));
  return true;
}

bool PolicyReader::Hosts(const LiteNode& item, const Field& hosts, const std::string& item_name,
                         EgressPolicyEntry& entry) {
  if (!hosts.found || !hosts.value.IsSequence()) {
    At(hosts, item,
       item_name +
           ".hosts must be a list of host patterns, e.g. [\"api.stripe.com\", "
           "\"*.debian.org\"]");
    return true;
  }
  for (std::size_t h = 0; h < hosts.value.size(); ++h) {
    const LiteNode host = hosts.value[h];
    if (!host.IsScalar()) {
      At(host.Mark(), item_name + ".hosts[" + std::to_string(h) + "] must be a string");
      continue;
    }
    if (!Charge(host.Scalar().size() + 1)) {
      At(host.Mark(), kAliasBomb);
      return false;
    }
    entry.hosts.push_back({host.Scalar(), Loc(host)});
  }
  return true;
}

// The guards every text meets before yaml-cpp; false (reported) when one
// refuses it.
bool Guard(std::string_view& content, std::uint32_t file, int line_offset,
           std::vector<Problem>& problems) {
  auto at = [&](const TextIssue& issue) {
    const auto line = static_cast<std::uint32_t>(static_cast<int>(issue.line) + line_offset);
    problems.push_back({{file, line, issue.column, line, issue.column + 1}, issue.message, {}, ""});
  };
  if (auto bad = FindBinary(content)) {
    at(*bad);
    return false;
  }
  content = StripBom(content);
  if (content.size() > kMaxDocumentBytes) {
    problems.push_back(
        {{file, 0, 0, 0, 0},
         "a policy larger than " + std::to_string(kMaxDocumentBytes >> 20) + " MiB is not read",
         {},
         ""});
    return false;
  }
  if (auto deep = FindExcessiveNesting(content)) {
    at(*deep);
    return false;
  }
  return true;
}

std::uint32_t AddPolicyFile(const std::string& path, const LoadOptions& options, MeshModel& model) {
  const fs::path base = options.base_dir.empty() ? fs::current_path() : fs::path(options.base_dir);
  const std::string abs = fs::absolute(fs::path(path)).lexically_normal().string();
  fs::path rel = fs::path(abs).lexically_relative(base);
  return model.files.Add(rel.empty() ? abs : rel.string(), abs);
}

}  // namespace

std::vector<Problem> LoadEgressPolicy(const std::string& path, const LoadOptions& options,
                                      MeshModel& model) {
  std::string content;
  if (auto error = ReadBounded(path, {kMaxSettingsFileBytes, false}, content)) {
    // Named as given: the file was never read as a policy.
    const std::uint32_t file =
        model.files.Add(path, fs::absolute(fs::path(path)).lexically_normal().string());
    return {{{file, 0, 0, 0, 0}, std::move(*error), {}, ""}};
  }
  return LoadEgressPolicyText(StripBom(content), 1, path, options, model);
}

std::vector<Problem> LoadEgressPolicyText(std::string_view content, std::uint32_t first_line,
                                          const std::string& path, const LoadOptions& options,
                                          MeshModel& model) {
  // yaml-cpp counts lines of `content` from 0; the file's line is this more.
  const int line_offset = static_cast<int>(std::max<std::uint32_t>(first_line, 1)) - 1;
  const std::uint32_t file = AddPolicyFile(path, options, model);
  // The policy file comes with the repository, so a pull request can change
  // it: the same guards as manifests before yaml-cpp sees it.
  std::vector<Problem> guarded;
  if (!Guard(content, file, line_offset, guarded)) return guarded;
  PolicyReader reader(file, line_offset, content);
  LiteTree tree;
  if (auto error = ParseYaml(content, tree)) {
    reader.At({error->line, error->column}, "YAML syntax error: " + error->message);
    return std::move(reader.problems());
  }
  const LiteNode root = LiteNode::Root(tree);
  if (!root.IsMap()) {
    reader.At(LiteNode::Position{}, "an egress policy is a mapping with an 'egress:' list");
    return std::move(reader.problems());
  }
  const Field egress = Find(root, "egress");
  if (!egress.found) {
    reader.At(root.Mark(), "the policy has no 'egress:' list");
    return std::move(reader.problems());
  }
  if (!egress.value.IsSequence()) {
    reader.At(egress.key.Mark(),
              "'egress' must be a list of {namespaces: REGEX, hosts: [HOST...]}");
    return std::move(reader.problems());
  }
  EgressPolicy policy;
  policy.file = file;
  for (std::size_t i = 0; i < egress.value.size(); ++i)
    if (!reader.Entry(egress.value[i], i, policy)) return std::move(reader.problems());
  if (reader.problems().empty()) model.egress_policy = std::move(policy);
  return std::move(reader.problems());
}

}  // namespace meshlint
