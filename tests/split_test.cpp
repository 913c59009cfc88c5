// The parallel split of a big file (loader/split.h) against SplitDocuments,
// the one-pass split it must equal exactly, and FindBinary on its pieces
// against FindBinary on the whole.
#include "loader/split.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "loader/loader.h"
#include "loader/text.h"
#include "test_util.h"
#include "tests/model_dump.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;

std::string Describe(const std::vector<DocumentChunk>& chunks, std::string_view text) {
  std::string out;
  for (const DocumentChunk& c : chunks)
    out += std::to_string(c.text.data() - text.data()) + "+" + std::to_string(c.text.size()) + "@" +
           std::to_string(c.first_line) + " ";
  return out;
}

// Every piece size up to the text's (and one larger), on 1 to 3 threads.
void ExpectSameSplit(const std::string& text) {
  const std::string want = Describe(SplitDocuments(text, false), text);
  const std::size_t limit = text.size() < 300 ? text.size() + 1 : 300;
  for (std::size_t bytes = 1; bytes <= limit; ++bytes)
    for (unsigned jobs : {1u, 2u, 3u})
      ASSERT_EQ(Describe(SplitDocumentsParallel(text, jobs, bytes), text), want)
          << "pieces of " << bytes << " bytes, -j" << jobs << ", text:\n"
          << text;
  for (std::size_t bytes : {std::size_t{4096}, std::size_t{1} << 20})
    ASSERT_EQ(Describe(SplitDocumentsParallel(text, 2, bytes), text), want) << bytes;
}

TEST(ParallelSplit, CutAtLines) {
  using R = std::vector<std::pair<std::size_t, std::size_t>>;
  EXPECT_EQ(CutAtLines("", 4), R{});
  EXPECT_EQ(CutAtLines("abc", 1), (R{{0, 3}}));
  EXPECT_EQ(CutAtLines("a\nb\nc", 1), (R{{0, 2}, {2, 4}, {4, 5}}));
  // A piece goes on to the line break at or after its size.
  EXPECT_EQ(CutAtLines("aaaa\nbb\ncccccc\n", 3), (R{{0, 5}, {5, 8}, {8, 15}}));
  EXPECT_EQ(CutAtLines("aaaa\nbb\ncccccc\n", 5), (R{{0, 5}, {5, 15}}));
  EXPECT_EQ(CutAtLines("\n\n\n", 1), (R{{0, 1}, {1, 2}, {2, 3}}));
  EXPECT_EQ(CutAtLines("a\nb\n", 100), (R{{0, 4}}));
}

TEST(ParallelSplit, FindMarkers) {
  const std::string text = "a: 1\n---\nb: 2\n... # end\n--- x\n---y\n..\n...";
  const PieceMarkers all = FindMarkers(text, 0, text.size());
  ASSERT_EQ(all.markers.size(), 4u);
  EXPECT_EQ(all.line_breaks, 7u);
  EXPECT_EQ(all.markers[0].offset, 5u);
  EXPECT_EQ(all.markers[0].next, 9u);
  EXPECT_EQ(all.markers[0].line, 1u);
  EXPECT_TRUE(all.markers[0].start);
  EXPECT_EQ(all.markers[1].offset, 14u);
  EXPECT_EQ(all.markers[1].next, 24u);
  EXPECT_FALSE(all.markers[1].start);
  EXPECT_EQ(all.markers[2].line, 4u);
  EXPECT_TRUE(all.markers[2].start);
  // The last line, `...` with no line break: it runs to the text's end.
  EXPECT_EQ(all.markers[3].offset, text.size() - 3);
  EXPECT_EQ(all.markers[3].next, text.size());
  EXPECT_EQ(all.markers[3].line, 7u);
  // A piece from the third line: lines counted from its start.
  const PieceMarkers part = FindMarkers(text, 9, 30);
  ASSERT_EQ(part.markers.size(), 2u);
  EXPECT_EQ(part.markers[0].line, 1u);
  EXPECT_EQ(part.markers[1].line, 2u);
  EXPECT_EQ(part.line_breaks, 3u);
}

TEST(ParallelSplit, AdversarialTextsSplitAsSplitDocuments) {
  const std::vector<std::string> texts = {
      "",
      "\n",
      "---",
      "...",
      "--",
      "---\n",
      "# only a comment\n\n  # another\n",
      "a: 1",
      "a: 1\n---\nb: 2",
      "---\n---\n---\n",
      "...\n...\n",
      "a: 1\n...\n# after the end\n",
      "a: 1\n...\nb: 2\n...",
      // Markers inside block scalars and quoted strings still end documents
      // in column 0; indented, they do not.
      "a: |\n  ---\n  ...\n---\nb: >\n  text\n---\n",
      "a: |\n---\n  more\n",
      "a: \"quoted\n---\n  rest\"\n",
      "a: 'single\n...\n  rest'\n",
      // Not markers: more dashes, text after them, a comment glued on.
      "----\n---x\n---# c\n...x\n....\n",
      "--- # comment\n--- !tag\n---\t\n...\t# end\n",
      "# c\n--- {a: 1}\n--- [1, 2]\n--- plain\n",
      // CRLF, CR alone (not a line break to SplitDocuments), no final newline.
      "a: 1\r\n---\r\nb: 2\r\n...\r\nc: 3\r\n",
      "a: 1\r---\rb: 2\r",
      "---\r\n",
      "a: 1\n---",
      "a: 1\n...",
      "\n\n---\n\n\n",
      "  ---\n\t---\n",
      "a: 1\n# c\n---\n# only comments\n...\n# more\n  \n---\nz: 1\n",
  };
  for (const std::string& t : texts) ExpectSameSplit(t);
}

TEST(ParallelSplit, GeneratedTextsSplitAsSplitDocuments) {
  // The BOM mid-text is no BOM (StripBom takes it off the start only).
  const std::string bom_line = std::string("\xEF\xBB\xBF") + "a: 1";
  const std::vector<std::string> lines = {
      "---",       "...",   "--- # c", "... # c", "---\r", "...\r",   "--",     "----",    "---x",
      "# c",       "",      "  ",      "\r",      "  # c", "a: 1",    "a: |",   "  ---",   "  ...",
      "b: \"q",    "  q\"", "- x",     ".",       "-",     "---\t",   "k: v\r", "---  {}", bom_line,
      "ünï: cödé", "#---",  "--- |",   "  block", "...\t", "x: '---'"};
  std::mt19937 rng(16);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 24);
    for (int i = 0; i < n; ++i) {
      text += lines[rng() % lines.size()];
      if (i + 1 < n || rng() % 2) text += '\n';
    }
    ExpectSameSplit(text);
  }
}

TEST(ParallelSplit, PiecesFindBinaryWhereTheWholeDoes) {
  const std::vector<std::string> texts = {
      "a: 1\nb: 2\n",
      "\xEF\xBB\xBF"
      "a: 1\nb: ünï\n",
      "a: caf\xE9\nb: 2\n",
      "a: 1\nb: \xE2\x82\n",  // a character cut by a line break
      "a: \xE2\n\x82\xAC\n",  // ...and its continuation bytes on the next line
      "a: 1\nb: \xE2\x82",    // cut by the text's end
      std::string("a: 1\nb: 2\n\0", 11),
      "a: \x1B[31m\n",
      "a: \xF0\x9F\x9A\x80\nb: \xED\xA0\x80\n",
      "\xEF\xBB\xBF",
      "\xEF\xBB\xBF\xEF\xBB\xBF"
      "a\n",
  };
  for (const std::string& content : texts) {
    const bool whole = FindBinary(content).has_value();
    const std::string_view text = StripBom(content);
    for (std::size_t bytes = 1; bytes <= content.size() + 1; ++bytes) {
      bool any = false;
      std::size_t covered = 0;
      for (const auto& range : CutAtLines(text, bytes)) {
        const std::string_view piece = PieceWithBom(content, range);
        any = any || FindBinary(piece).has_value();
        covered += piece.size();
      }
      EXPECT_EQ(any, whole) << bytes << ": " << content;
      if (!text.empty()) {
        EXPECT_EQ(covered, content.size()) << bytes << ": " << content;
      }
    }
  }
}

// A file big enough to be split on the threads, and read a window at a
// time, loads as the one-pass split loads it (LoadText: SplitContent), with
// a BOM, CRLF, `...`, comments, markers in block scalars, documents longer
// than a window and no final newline; and with a bad byte in the first
// window or near its end, the problem is the one-pass split's (and nothing
// of the file is loaded).
TEST(ParallelSplit, BigFileLoadsAsOnePass) {
  std::string content = "\xEF\xBB\xBF# rendered\n";
  for (int i = 0; content.size() < (5u << 19); ++i) {
    content += (i % 5 == 0 ? "--- # doc\r\n" : "---\n");
    content += "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se" +
               std::to_string(i) + "\n  namespace: ns" + std::to_string(i % 13) +
               "\n  annotations:\n    note: |\n---\nspec:\n  hosts:\n  - h" + std::to_string(i) +
               ".example.com\n";
    if (i % 7 == 3) content += "...\n# between documents\n";
    if (i % 11 == 5)
      content += "apiVersion: v1\nkind: Service\nmetadata: {name: s" + std::to_string(i) +
                 ", namespace: ns1}\n";
    if (i % 997 == 1) {
      // Longer than the smaller windows below.
      content += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c" + std::to_string(i) +
                 "\ndata:\n  big: |\n";
      for (int k = 0; k < 400; ++k) content += "    line " + std::to_string(k) + " ---\n";
    }
    if (i % 997 == 2) {
      // One line longer than the smaller windows.
      content += "---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: l" + std::to_string(i) +
                 "}, data: {k: " + std::string(9000, 'x') + "}}\n";
    }
  }
  content += "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: last";
  const fs::path dir = fs::temp_directory_path() / ("meshlint-split-" + std::to_string(::getpid()));
  for (const std::size_t bad : {std::size_t{0}, content.size() - 200, std::size_t{300}}) {
    std::string text = content;
    if (bad) text.insert(bad, "\xC3(");
    fs::create_directories(dir);
    std::ofstream(dir / "doc.yaml", std::ios::binary) << text;
    LoadOptions options;
    const std::string want = testing::Dump(testing::LoadFiles({{"doc.yaml", text}}, options));
    EXPECT_EQ(want.find("invalid UTF-8") != std::string::npos, bad != 0);
    EXPECT_EQ(want.find("ServiceEntry") != std::string::npos, bad == 0);
    // (window bytes, jobs); 0: the default window, the whole file here.
    for (const auto& [window, jobs] : std::vector<std::pair<std::size_t, unsigned>>{
             {0, 1}, {0, 2}, {0, 8}, {1000, 2}, {4096, 1}, {65543, 8}, {std::size_t{1} << 20, 2}}) {
      options.jobs = jobs;
      options.base_dir = dir.string();
      options.window_bytes = window;
      MeshModel model;
      EXPECT_TRUE(LoadInputs({(dir / "doc.yaml").string()}, options, model).empty());
      EXPECT_EQ(testing::Dump(model), want)
          << "-j" << jobs << ", window " << window << ", bad byte at " << bad;
    }
    fs::remove_all(dir);
  }
}

// A read that ends inside a marker line, after a document longer than the
// window: the marker is found when the line is complete, and the file loads
// as the one-pass split loads it, whatever side of the line the read ends.
TEST(ParallelSplit, WindowEndingInsideAMarkerLine) {
  std::string content = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: long}\ndata:\n  k: |\n";
  while (content.size() < 60000) content += "    text\n";
  const std::size_t marker = content.size();
  content += "---\r\n";
  for (int i = 0; content.size() < (1u << 20) + 4096; ++i)
    content +=
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n" + std::to_string(i) + "\n---\n";
  const fs::path dir =
      fs::temp_directory_path() / ("meshlint-window-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "doc.yaml", std::ios::binary) << content;
  LoadOptions options;
  const std::string want = testing::Dump(testing::LoadFiles({{"doc.yaml", content}}, options));
  EXPECT_NE(want.find("n1000"), std::string::npos);
  // Before the line, inside `---`, between CR and LF, just after the LF.
  for (const std::size_t into : {0, 2, 4, 5}) {
    options.base_dir = dir.string();
    options.window_bytes = marker + into;
    MeshModel model;
    EXPECT_TRUE(LoadInputs({(dir / "doc.yaml").string()}, options, model).empty());
    EXPECT_EQ(testing::Dump(model), want) << "read ends " << into << " bytes into the marker";
  }
  fs::remove_all(dir);
}

// Where a window may be cut: the last complete marker line, not at 0, not
// before `from`.
TEST(ParallelSplit, LastMarkerLine) {
  EXPECT_EQ(LastMarkerLine("", 0), 0u);
  EXPECT_EQ(LastMarkerLine("---\na: 1\n", 0), 0u);  // only at 0
  EXPECT_EQ(LastMarkerLine("a: 1\n---\nb: 2\n", 0), 5u);
  EXPECT_EQ(LastMarkerLine("a: 1\n--- # x\nb\n...\nc\n", 0), 15u);
  EXPECT_EQ(LastMarkerLine("a: 1\n---", 0), 0u);         // the line may go on
  EXPECT_EQ(LastMarkerLine("a: 1\n---\r\nb\n", 0), 5u);  // CRLF
  EXPECT_EQ(LastMarkerLine("a: 1\n----\n--\n -- -\n", 0), 0u);
  EXPECT_EQ(LastMarkerLine("a: 1\n---\nb: 2\n", 6), 0u);  // searched already
  EXPECT_EQ(LastMarkerLine("a: 1\n---\nb: 2\n", 5), 5u);
  EXPECT_EQ(LastMarkerLine("a: 1\n...\r\nb\n", 0), 5u);
  EXPECT_EQ(LastMarkerLine("a: 1\n---\tx\nb\n", 0), 5u);
  EXPECT_EQ(LastMarkerLine("a: 1\n---x\nb\n", 0), 0u);  // not a marker
  EXPECT_EQ(LastMarkerLine("a: 1\n---\n", 9), 0u);      // from the end: nothing
  EXPECT_EQ(LastMarkerLine("a: 1\n---\n---\n", 9), 9u);
  EXPECT_EQ(LastMarkerLine("a: 1\n---\n---\n", 10), 0u);
}

}  // namespace
}  // namespace meshlint
