#include "egress/diff.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

namespace meshlint::egress {

namespace {

// The YAML documents of one side, each named by its first object, so that a
// location can be traced to the document holding it and two sides' documents
// compared by name.
class DocumentIndex {
 public:
  struct Doc {
    std::uint32_t file = 0;
    std::uint32_t first_line = 1;  // 1-based, inclusive
    std::uint32_t last_line = 0;
    std::string key;     // "ServiceEntry default/debian-org", or "FILE#N"
    std::string label;   // the key, or "FILE" for the one document of a file
    bool named = false;  // the key is an object's
    Location anchor;     // the object's name, or the document's first line
    std::string text;    // its lines, trailing spaces and blank lines trimmed
  };

  explicit DocumentIndex(const DiffSide& side) {
    const MeshModel& model = side.analysis->model();
    by_file_.resize(model.files.size());
    for (std::uint32_t f = 0; f < model.files.size(); ++f) {
      std::optional<std::string> text = side.text ? side.text(f) : std::nullopt;
      if (text) Split(model, f, *text);
    }
    model.ForEachMeta([&](const ObjectMeta& meta) {
      Doc* d = Find(meta.loc);
      if (!d || d->named) return;  // its first object names it
      d->named = true;
      d->key = meta.ref.kind + " " + (meta.ref.ns.empty() ? "" : meta.ref.ns + "/") + meta.ref.name;
      d->anchor = meta.anchor();
    });
    for (std::size_t f = 0; f < by_file_.size(); ++f) {
      // A file of one document without objects (.meshlint.yaml, a values
      // file) is named as the file.
      const auto documents = std::count_if(by_file_[f].begin(), by_file_[f].end(),
                                           [](const Doc& d) { return !d.text.empty(); });
      for (Doc& d : by_file_[f])
        d.label = d.named || documents != 1 ? d.key : model.files.display(d.file);
    }
    for (std::size_t f = 0; f < by_file_.size(); ++f)
      for (std::size_t i = 0; i < by_file_[f].size(); ++i) {
        const Doc& d = by_file_[f][i];
        if (!d.text.empty()) by_key_.emplace(d.key, std::make_pair(f, i));
      }
  }

  Doc* Find(const Location& loc) {
    if (!loc.valid() || loc.file >= by_file_.size()) return nullptr;
    for (Doc& d : by_file_[loc.file])
      if (loc.line >= d.first_line && loc.line <= d.last_line) return &d;
    return nullptr;
  }
  const Doc* Named(const std::string& key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : &by_file_[it->second.first][it->second.second];
  }
  // Every named document, in input order.
  std::vector<const Doc*> All() const {
    std::vector<const Doc*> out;
    for (const auto& docs : by_file_)
      for (const Doc& d : docs)
        if (!d.text.empty() && Named(d.key) == &d) out.push_back(&d);
    return out;
  }

 private:
  void Split(const MeshModel& model, std::uint32_t f, std::string_view text) {
    std::vector<Doc>& docs = by_file_[f];
    const std::string& display = model.files.display(f);
    auto start = [&](std::uint32_t line) {
      Doc d;
      d.file = f;
      d.first_line = line;
      d.key = display + "#" + std::to_string(docs.size() + 1);
      d.anchor = Location{f, line, 1, line, 1};
      docs.push_back(std::move(d));
    };
    start(1);
    std::uint32_t line = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view l = text.substr(pos, end - pos);
      ++line;
      while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t'))
        l.remove_suffix(1);
      const bool separator = l.starts_with("---") && (l.size() == 3 || l[3] == ' ' || l[3] == '\t');
      if (separator) {
        docs.back().last_line = line - 1;
        start(line);
      }
      if (!separator && !l.empty() && l != "...") {
        docs.back().text.append(l).push_back('\n');
      }
      docs.back().last_line = line;
      if (end == text.size()) break;
      pos = end + 1;
    }
  }

  std::vector<std::vector<Doc>> by_file_;
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_key_;
};

Change MakeChange(Change::What what, const DocumentIndex::Doc& d, const MeshModel& model,
                  bool on_base) {
  Change c;
  c.what = what;
  c.object = d.label;
  c.on_base = on_base;
  c.file = model.files.display(d.file);
  c.line = d.anchor.line;
  c.column = d.anchor.column;
  return c;
}

// The documents that differ, by name: head order, then the removed ones.
std::map<std::string, Change> ChangedDocuments(DocumentIndex& base, const MeshModel& base_model,
                                               DocumentIndex& head, const MeshModel& head_model,
                                               std::vector<Change>& ordered) {
  std::map<std::string, Change> out;
  for (const DocumentIndex::Doc* d : head.All()) {
    const DocumentIndex::Doc* before = base.Named(d->key);
    if (before && before->text == d->text) continue;
    Change c =
        MakeChange(before ? Change::What::kModified : Change::What::kAdded, *d, head_model, false);
    ordered.push_back(c);
    out.emplace(d->key, std::move(c));
  }
  for (const DocumentIndex::Doc* d : base.All()) {
    if (head.Named(d->key)) continue;
    Change c = MakeChange(Change::What::kRemoved, *d, base_model, true);
    ordered.push_back(c);
    out.emplace(d->key, std::move(c));
  }
  return out;
}

// Where a namespace comes from on one side: its manifest, else its first object.
std::optional<Location> NamespaceOrigin(const MeshModel& model, const std::string& ns) {
  const NamespaceInfo* info = model.FindNamespace(ns);
  if (!info) return std::nullopt;
  if (info->manifest) return model.namespaces[*info->manifest].meta.anchor();
  return info->first_object_loc;
}

// fn(anchor) for each workload of namespace `ns` on one side.
template <typename Fn>
void NoteWorkloads(const MeshModel& model, const std::string& ns, Fn&& fn) {
  const NamespaceInfo* info = model.FindNamespace(ns);
  if (!info) return;
  for (std::size_t i : info->workloads) fn(model.workloads[i].meta.anchor());
}

// The other side's targets for a source of this side: its own, else (a
// workload group `other` does not have) its namespace's; nullptr for none.
const SourceTargets* TargetsOf(const std::vector<SourceTargets>& other,
                               const SourceTargets& source) {
  auto find = [&](const std::string& workload) -> const SourceTargets* {
    auto it = std::lower_bound(
        other.begin(), other.end(), std::tie(source.ns, workload),
        [](const SourceTargets& s, const auto& key) { return std::tie(s.ns, s.workload) < key; });
    if (it == other.end() || it->ns != source.ns || it->workload != workload) return nullptr;
    return &*it;
  };
  if (const auto* own = find(source.workload)) return own;
  if (source.workload.empty()) return nullptr;
  return find(std::string());
}

bool Has(const std::vector<Target>& list, const Target& t) {
  return std::binary_search(list.begin(), list.end(), t);
}

// The pairs of `side` that `other` does not reach, sorted: per source, its
// targets that the other side's list for it neither lists nor covers with
// "*". A source's group part is compared with the other's group once per
// (group, other group), whatever the number of sources that have the pair;
// each source adds its own part, the group entries it does not reach and
// those the other source does not: rows x group hosts never.
std::vector<Pair> Unreached(const std::vector<SourceTargets>& side,
                            const std::vector<SourceTargets>& other) {
  static const SourceTargets kNone{"", "", nullptr, std::make_shared<const std::vector<Target>>(),
                                   std::make_shared<const std::vector<Target>>()};
  const Target any{kAnyHost, 0, ""};
  // Per (group, other group): the group's entries the other group lacks.
  std::map<std::pair<const std::vector<Target>*, const std::vector<Target>*>, std::vector<Target>>
      group_diff;
  // Per (lists, other lists): the targets unreached.
  using Key =
      std::tuple<const void*, const void*, const void*, const void*, const void*, const void*>;
  std::map<Key, std::vector<Target>> memo;
  std::vector<Pair> out;
  for (const SourceTargets& s : side) {
    const SourceTargets* there = TargetsOf(other, s);
    if (!there) there = &kNone;
    auto [it, fresh] =
        memo.try_emplace(Key{s.group.get(), s.removed.get(), s.own.get(), there->group.get(),
                             there->removed.get(), there->own.get()});
    if (fresh && !there->Lists(any)) {
      std::vector<Target>& found = it->second;
      if (s.group) {
        auto [g, new_pair] = group_diff.try_emplace({s.group.get(), there->group.get()});
        if (new_pair) {
          static const std::vector<Target> kEmpty;
          const std::vector<Target>& theirs = there->group ? *there->group : kEmpty;
          std::set_difference(s.group->begin(), s.group->end(), theirs.begin(), theirs.end(),
                              std::back_inserter(g->second));
        }
        // In this group, not in theirs: unreached unless removed here or
        // theirs beyond their group.
        for (const Target& t : g->second)
          if (!Has(*s.removed, t) && !Has(*there->own, t)) found.push_back(t);
        // In both groups, removed there.
        for (const Target& r : *there->removed) {
          auto at = std::lower_bound(s.group->begin(), s.group->end(), r);
          if (at == s.group->end() || !(*at == r)) continue;
          if (!Has(*s.removed, r) && !Has(*there->own, r)) found.push_back(*at);
        }
      }
      for (const Target& t : *s.own)
        if (!there->Lists(t)) found.push_back(t);
      std::sort(found.begin(), found.end());
    }
    for (const Target& t : it->second)
      out.push_back({s.ns, s.workload, t.host, t.port, t.protocol});
  }
  return out;
}

class Differ {
 public:
  Differ(const DiffSide& base, const DiffSide& head, const CompiledPolicy* policy)
      : base_(base), head_(head), policy_(policy), base_docs_(base), head_docs_(head) {
    changed_ = ChangedDocuments(base_docs_, base.analysis->model(), head_docs_,
                                head.analysis->model(), ordered_);
  }

  EgressDiff Run() {
    // Opened: reached on the head and not on the base. A pair the base
    // reached as "any host" (ALLOW_ANY, no proxy) was reachable already, so
    // a switch to REGISTRY_ONLY closes "any host" and opens nothing.
    // Sources that reach alike share one list on each side, so each pair of
    // lists (base, head) is compared once, whatever the number of sources
    // that have it: rows x hosts never.
    const std::vector<SourceTargets> before = TargetsBySource(*base_.analysis);
    const std::vector<SourceTargets> after = TargetsBySource(*head_.analysis);
    EgressDiff d;
    for (const SourceTargets& s : before) d.base_pairs += s.size();
    for (const SourceTargets& s : after) d.head_pairs += s.size();
    const std::vector<Pair> opened = Unreached(after, before);
    const std::vector<Pair> closed = Unreached(before, after);
    d.unchanged = d.head_pairs - opened.size();
    for (std::size_t i = 0; i < opened.size(); ++i)
      d.opened.push_back(Entry(opened[i], i < kMaxExplainedPairs));
    for (std::size_t i = 0; i < closed.size(); ++i)
      d.closed.push_back(Entry(closed[i], i < kMaxExplainedPairs));
    d.changes = ordered_;
    return d;
  }

 private:
  DiffEntry Entry(const Pair& pair, bool explain) {
    DiffEntry e;
    e.pair = pair;
    if (policy_)
      e.allowed = pair.host == kAnyHost ? policy_->AllowsAnyHost(pair.ns)
                                        : policy_->Allows(pair.ns, pair.host);
    e.explained = explain;
    if (!explain) return e;
    PairWhy now = ExplainPair(*head_.analysis, pair);
    PairWhy then = ExplainPair(*base_.analysis, pair);
    e.reasons = std::move(now.reasons);
    std::set<std::string> seen;
    auto note = [&](DocumentIndex& docs, const Location& loc) {
      const DocumentIndex::Doc* d = docs.Find(loc);
      if (!d) return;
      auto it = changed_.find(d->key);
      if (it != changed_.end() && seen.insert(d->key).second) e.changes.push_back(it->second);
    };
    for (const Location& loc : now.grounds) note(head_docs_, loc);
    for (const Location& loc : then.grounds) note(base_docs_, loc);
    // A namespace that appears or goes away is a change of its own.
    const auto head_ns = NamespaceOrigin(head_.analysis->model(), pair.ns);
    const auto base_ns = NamespaceOrigin(base_.analysis->model(), pair.ns);
    if (head_ns && !base_ns) note(head_docs_, *head_ns);
    if (base_ns && !head_ns) note(base_docs_, *base_ns);
    // "Any host" came or went with the proxy, and no label or annotation
    // that decides it changed: the namespace's workloads did (one added,
    // removed or moved), so its changed workloads are the change.
    if (pair.host == kAnyHost && e.changes.empty()) {
      NoteWorkloads(head_.analysis->model(), pair.ns,
                    [&](const Location& l) { note(head_docs_, l); });
      NoteWorkloads(base_.analysis->model(), pair.ns,
                    [&](const Location& l) { note(base_docs_, l); });
    }
    return e;
  }

  const DiffSide& base_;
  const DiffSide& head_;
  const CompiledPolicy* policy_;
  DocumentIndex base_docs_;
  DocumentIndex head_docs_;
  std::map<std::string, Change> changed_;
  std::vector<Change> ordered_;
};

}  // namespace

const char* ChangeWord(Change::What what) {
  switch (what) {
    case Change::What::kAdded: return "added";
    case Change::What::kRemoved: return "removed";
    case Change::What::kModified: return "modified";
  }
  return "modified";
}

EgressDiff DiffEgress(const DiffSide& base, const DiffSide& head, const CompiledPolicy* policy) {
  return Differ(base, head, policy).Run();
}

}  // namespace meshlint::egress
