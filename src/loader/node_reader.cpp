#include "loader/node_reader.h"

#include <algorithm>

namespace meshlint {

namespace {

constexpr std::size_t kBudgetPerByte = 8;
constexpr std::size_t kBudgetBase = std::size_t{1} << 20;

// The line starts of the document read last on this thread (TextSpan::Line
// fills them), kept with their memory for the next one: most documents are
// read to their last line, so each would otherwise grow its list again from
// nothing. A reader inside another (embedded YAML) finds it taken and uses a
// list of its own. Not kept past a million lines (8 MiB).
constexpr std::size_t kMaxKeptLineStarts = std::size_t{1} << 20;

std::vector<std::size_t>& SpareLineStarts() {
  thread_local std::vector<std::size_t> spare;
  return spare;
}

}  // namespace

NodeReader::NodeReader(Objects& out, const LoadOptions& options, TextSpan span, WorkBudget& budget)
    : out_(out), options_(options), span_(std::move(span)), budget_(budget) {
  if (span_.starts_.empty()) {
    span_.starts_.swap(SpareLineStarts());
    span_.starts_.clear();
  }
}

NodeReader::~NodeReader() {
  std::vector<std::size_t>& spare = SpareLineStarts();
  if (span_.starts_.capacity() > spare.capacity() && span_.starts_.capacity() <= kMaxKeptLineStarts)
    spare.swap(span_.starts_);
}

void FieldPath::AppendTo(std::string& out) const {
  const std::size_t start = out.size();
  if (parent_) parent_->AppendTo(out);
  if (dot_ && out.size() > start) out += '.';
  out += name_;
  if (index_ != kNoIndex) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
  }
}

WorkBudget BudgetFor(std::string_view text) {
  return WorkBudget{kBudgetBase + kBudgetPerByte * text.size()};
}

Location MarkLocation(const TextSpan& span, std::uint32_t line, std::uint32_t column,
                      const std::string* value) {
  Location loc;
  loc.file = span.file;
  loc.line = span.first_line + line;
  loc.column = span.column_offset + column + 1;
  loc.end_line = loc.line;
  loc.end_column = loc.column + 1;
  if (value) {
    std::uint32_t width = ScalarWidth(span.Line(line), column, *value);
    loc.end_column = loc.column + std::max<std::uint32_t>(width, 1);
  }
  return loc;
}

Location NodeReader::Loc(const LiteNode& node) const {
  const auto mark = node.Mark();
  // ScalarWidth below compares up to the value's length.
  if (node.IsScalar()) Charge(node.Scalar().size());
  if (span_.collapse_to.valid()) {
    // A rendered object: a node written the same in its source is there;
    // anything else (added by a patch or a transformer) is the object.
    if (!span_.source_nodes || mark.line < 0 || mark.column < 0) return span_.collapse_to;
    const SourceNode key{static_cast<std::uint32_t>(mark.line),
                         static_cast<std::uint32_t>(mark.column), 0, 0};
    const auto it = std::lower_bound(span_.source_nodes->begin(), span_.source_nodes->end(), key);
    if (it == span_.source_nodes->end() || it->line != key.line || it->column != key.column)
      return span_.collapse_to;
    Location loc =
        MarkLocation(span_, key.line, key.column, node.IsScalar() ? &node.Scalar() : nullptr);
    const std::uint32_t width = loc.end_column - loc.column;
    if (it->file != SourceNode::kObjectFile) loc.file = it->file;
    loc.line = loc.end_line = it->source_line;
    loc.column = it->source_column + 1;
    loc.end_column = loc.column + width;
    return loc;
  }
  if (mark.line < 0) return Location{span_.file, span_.first_line, span_.column_offset + 1, 0, 0};
  return MarkLocation(span_, static_cast<std::uint32_t>(mark.line),
                      static_cast<std::uint32_t>(mark.column),
                      node.IsScalar() ? &node.Scalar() : nullptr);
}

void NodeReader::Charge(std::size_t work) const {
  if (work >= budget_.left) {
    budget_.left = 0;
    throw BudgetExhausted{};
  }
  budget_.left -= work;
}

void NodeReader::Problem(Location loc, std::string message, const ObjectRef& ref,
                         std::string field) {
  // `name: {{ .Release.Name }}` is valid YAML (a flow mapping), so a Helm
  // template may parse and only fail here: say what it really is.
  if (!span_.collapse_to.valid() && loc.file == span_.file && loc.line >= span_.first_line &&
      loc.column > span_.column_offset) {
    std::string_view line = span_.Line(loc.line - span_.first_line);
    std::size_t col = loc.column - span_.column_offset - 1;
    if (col < line.size() && line.substr(col).starts_with("{{"))
      message = std::string(kTemplateMessage) + " (" + message + ")";
  }
  out_.problems.push_back(meshlint::Problem{loc, std::move(message), ref, std::move(field)});
}

void NodeReader::ReportExhausted(const LiteNode& root) {
  Problem(Loc(root),
          "YAML aliases (*name) expand this document far beyond its size (an alias bomb): "
          "the rest of it is not read",
          {}, "");
}

Field NodeReader::Get(const LiteNode& map, std::string_view name, const ObjectRef& ref,
                      const FieldPath& path) {
  if (!map.Holds(name)) throw NeedsFullTree{};
  Field field;
  const LiteTree* tree = map.tree();
  if (tree == nullptr) return field;
  const LiteTree::Rec& rec = tree->nodes[map.index()];
  if (rec.partial == LiteTree::Partial::kPruned) throw NeedsFullTree{};
  if (rec.type != LiteTree::Type::kMap) return field;
  // Every entry costs 1 of the budget, charged once for all of them; a
  // duplicate is reported after the entries up to it are charged, as one
  // charge per entry would have it.
  const std::vector<std::uint32_t>& kids = rec.kids;
  std::size_t i = 0;
  for (; i + 1 < kids.size(); i += 2) {
    const LiteTree::Rec& key = tree->nodes[kids[i]];
    if (key.type != LiteTree::Type::kScalar || std::string_view(key.scalar) != name) continue;
    if (field.found) {
      Charge(i / 2 + 1);
      Problem(Loc(LiteNode(tree, kids[i])),
              "duplicate key '" + std::string(name) + "' (first at line " +
                  std::to_string(Loc(field.key).line) + "); Kubernetes rejects this",
              ref, FieldPath(path, name).str());
      throw Unusable{};
    }
    field.key = LiteNode(tree, kids[i]);
    field.value = LiteNode(tree, kids[i + 1]);
    field.found = true;
  }
  if (i > 0) Charge(i / 2);
  return field;
}

void NodeReader::RequireWhole(const LiteNode& map) {
  if (map.IsPartial()) throw NeedsFullTree{};
}

std::string NodeReader::Join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

const char* NodeReader::ShapeName(const LiteNode& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "empty";
  return "a scalar";
}

void NodeReader::RequireMap(const Field& f, const ObjectRef& ref, const FieldPath& path) {
  if (f.value.IsMap() || f.value.IsNull()) return;
  Problem(Loc(f.value), path.str() + " must be a mapping, not " + ShapeName(f.value), ref,
          path.str());
  throw Unusable{};
}

Located<std::string> NodeReader::Scalar(const Field& f, const ObjectRef& ref,
                                        const FieldPath& path) {
  if (!f.value.IsScalar()) {
    Problem(Loc(f.value), path.str() + " must be a string, not " + ShapeName(f.value), ref,
            path.str());
    throw Unusable{};
  }
  Charge(f.value.Scalar().size());
  return {f.value.Scalar(), Loc(f.value)};
}

std::vector<Located<std::string>> NodeReader::ScalarList(const Field& f, const ObjectRef& ref,
                                                         const FieldPath& path,
                                                         const char* example) {
  std::vector<Located<std::string>> out;
  if (f.value.IsNull()) return out;
  if (!f.value.IsSequence()) {
    std::string message = path.str() + " must be a list, not " + ShapeName(f.value);
    if (example) message += std::string(" (write ") + example + ")";
    Problem(Loc(f.value), message, ref, path.str());
    throw Unusable{};
  }
  // Exact, so that the model keeps no growth slack; bounded, so that a list
  // of aliases is stopped by Charge before it reserves much.
  out.reserve(std::min<std::size_t>(f.value.size(), 4096));
  for (std::size_t i = 0; i < f.value.size(); ++i) {
    const LiteNode item = f.value[i];
    if (!item.IsScalar()) {
      std::string item_path = FieldPath::Item(path, i).str();
      Problem(Loc(item), item_path + " must be a string, not " + ShapeName(item), ref, item_path);
      throw Unusable{};
    }
    Charge(item.Scalar().size() + 1);
    out.push_back({item.Scalar(), Loc(item)});
  }
  return out;
}

Located<std::int64_t> NodeReader::Integer(const Field& f, const ObjectRef& ref,
                                          const FieldPath& path) {
  if (f.value.IsScalar()) {
    const std::string& text = f.value.Scalar();
    Charge(text.size());
    std::size_t i = text.starts_with('-') || text.starts_with('+') ? 1 : 0;
    // At most 18 digits: no overflow, and no port or count comes near.
    if (i < text.size() && text.size() - i <= 18 &&
        std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      std::int64_t value = 0;
      for (std::size_t k = i; k < text.size(); ++k) value = value * 10 + (text[k] - '0');
      return {text.starts_with('-') ? -value : value, Loc(f.value)};
    }
  }
  Problem(Loc(f.value),
          path.str() + " must be an integer, not " +
              (f.value.IsScalar() ? "'" + f.value.Scalar() + "'" : std::string(ShapeName(f.value))),
          ref, path.str());
  throw Unusable{};
}

void NodeReader::StringMap(const Field& f, const ObjectRef& ref, const FieldPath& path, Labels& out,
                           bool (*keep)(std::string_view key)) {
  if (!f.present()) return;
  RequireMap(f, ref, path);
  RequireWhole(f.value);
  // Every entry a label at most: the list grows once (a filtered map keeps few).
  if (!keep) out.items.reserve(out.items.size() + f.value.size());
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    Charge(1);
    // A list or mapping is no label (Kubernetes rejects it); an empty value
    // is the empty string, as the API server reads it.
    if (!it->first.IsScalar() || !(it->second.IsScalar() || it->second.IsNull())) continue;
    const std::string& key = it->first.Scalar();
    if (keep && !keep(key)) continue;
    std::string value = it->second.IsScalar() ? it->second.Scalar() : std::string();
    Charge(key.size() + value.size());
    out.Set(key, std::move(value), Loc(it->first));
  }
}

Field NodeReader::Spec(const LiteNode& node, const ObjectRef& ref, const FieldPath& where) {
  Field spec = Get(node, "spec", ref, where);
  if (spec.found) RequireMap(spec, ref, FieldPath(where, "spec"));
  return spec;
}

}  // namespace meshlint
