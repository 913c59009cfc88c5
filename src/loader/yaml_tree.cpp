#include "loader/yaml_tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <streambuf>
#include <utility>
#include <vector>

namespace meshlint {

namespace {

// Reads a string_view in place (yaml-cpp wants an istream).
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // only ever read
    setg(begin, begin, begin + text.size());
  }
};

// yaml-cpp's events to tree nodes, exactly as its own NodeBuilder turns them
// into YAML::Nodes: the same stack of open collections, the same pairing of
// keys with values, anchors as the nodes they were set on.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(LiteTree& tree) : tree_(tree) { anchors_.push_back(0); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Push(New(LiteTree::Type::kNull, mark, anchor));
    Pop();
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    Push(anchors_.at(anchor));
    Pop();
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    const std::uint32_t n = New(LiteTree::Type::kScalar, mark, anchor);
    tree_.nodes[n].scalar = value;
    Push(n);
    Pop();
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Push(New(LiteTree::Type::kSequence, mark, anchor));
  }
  void OnSequenceEnd() override { Pop(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Push(New(LiteTree::Type::kMap, mark, anchor));
    ++map_depth_;
  }
  void OnMapEnd() override {
    --map_depth_;
    Pop();
  }

 private:
  std::uint32_t New(LiteTree::Type type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const std::uint32_t n = tree_.Add(type, mark.line, mark.column);
    if (anchor) anchors_.push_back(n);  // yaml-cpp numbers anchors 1, 2, ... in order
    return n;
  }

  void Push(std::uint32_t n) {
    const bool needs_key = !stack_.empty() &&
                           tree_.nodes[stack_.back()].type == LiteTree::Type::kMap &&
                           keys_.size() < map_depth_;
    stack_.push_back(n);
    if (needs_key) keys_.emplace_back(n, false);
  }

  void Pop() {
    const std::uint32_t n = stack_.back();
    stack_.pop_back();
    if (stack_.empty()) return;  // the root (nodes[0]) is complete
    LiteTree::Rec& collection = tree_.nodes[stack_.back()];
    if (collection.type == LiteTree::Type::kSequence) {
      collection.kids.push_back(n);
    } else if (collection.type == LiteTree::Type::kMap) {
      auto& [key, has_key] = keys_.back();
      if (has_key) {
        collection.kids.push_back(key);
        collection.kids.push_back(n);
        keys_.pop_back();
      } else {
        has_key = true;
      }
    }
  }

  LiteTree& tree_;
  std::vector<std::uint32_t> stack_;
  std::vector<std::pair<std::uint32_t, bool>> keys_;  // a key node, and whether it is complete
  std::size_t map_depth_ = 0;
  std::vector<std::uint32_t> anchors_;
};

}  // namespace

std::optional<YamlError> ParseYaml(std::string_view text, LiteTree& tree) {
  tree.Clear();
  ViewBuffer buffer(text);
  std::istream in(&buffer);
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(tree);
    parser.HandleNextDocument(builder);
  } catch (const YAML::DeepRecursion& e) {
    tree.Clear();
    return YamlError{e.mark.line, e.mark.column, e.msg, e.depth()};
  } catch (const YAML::Exception& e) {
    tree.Clear();
    return YamlError{e.mark.line, e.mark.column, e.msg, 0};
  }
  return std::nullopt;
}

}  // namespace meshlint
