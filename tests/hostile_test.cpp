// Hostile input: every case runs the real binary under limits that kill it
// (ulimit -t for CPU, ulimit -v or the sanitizer's RSS limit for memory, and
// `timeout -s KILL` for a process that blocks), and asserts that it was not
// killed, that it reports the bad input with file and line, that the other
// files were still linted, the documented exit status, and that JSON and
// SARIF output still parse. Inputs are written at test time into a temporary
// directory, so the exact bytes are visible here and nothing large is
// committed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report/report.h"
#include "test_util.h"

namespace fs = std::filesystem;
using nlohmann::json;  // the tests parse the reports they check

namespace {

// The sanitized build runs several times slower; its limits scale.
constexpr int kSlowdown = MESHLINT_SANITIZED ? 6 : 1;

struct Limits {
  int cpu_seconds = 30;
  int memory_mb = 512;
  int wall_seconds = 300;  // only a blocked process gets near this
};

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> RuleLines(const std::string& text, const std::string& rule) {
  std::vector<std::string> out;
  for (const std::string& l : Lines(text))
    if (l.find(" [" + rule + "] ") != std::string::npos) out.push_back(l);
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Decodes a SARIF artifact URI's percent escapes.
std::string PercentDecode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

constexpr const char* kGood =
    "apiVersion: networking.istio.io/v1\n"
    "kind: ServiceEntry\n"
    "metadata:\n"
    "  name: good\n"
    "  namespace: shop\n"
    "spec:\n"
    "  hosts: [\"api.example.com\"]\n";

// kGood under another name: one object per file (the same identity twice is
// one object, reported as duplicate-object).
std::string GoodNamed(const std::string& name) {
  std::string text = kGood;
  const std::string from = "name: good\n";
  text.replace(text.find(from), from.size(), "name: " + name + "\n");
  return text;
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            ("meshlint-hostile-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "in");
    fs::create_directories(root_ / "cfg");
    // A mesh that is locked down, so the only errors are the hostile input's
    // and `--fail-on error` makes the exit status say whether there was one.
    Write("cfg/mesh.yaml", "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n");
    Write("in/good.yaml", kGood);
  }

  void TearDown() override {
    // Undo what made parts unreadable or unremovable, then clean up.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(
             root_, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0755);
    }
    ::chmod((root_ / "in").c_str(), 0755);
    fs::remove_all(root_, ec);
  }

  void Write(const std::string& rel, std::string_view bytes) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary).write(bytes.data(), bytes.size());
  }

  // Runs meshlint from root_ with `args` under `limits`. `prefix` is put in
  // front of the command (e.g. to drop privileges); `setup` is a shell
  // command run before it.
  Outcome Run(const std::vector<std::string>& args, Limits limits = {},
              const std::string& prefix = "", const std::string& setup = "") {
    static int counter = 0;
    const fs::path out = root_ / ("stdout." + std::to_string(++counter));
    const fs::path err = root_ / ("stderr." + std::to_string(counter));
    std::string cmd = "cd " + Quote(root_.string()) + " && ulimit -t " +
                      std::to_string(limits.cpu_seconds * kSlowdown);
    if (MESHLINT_SANITIZED) {
      // ASan reserves terabytes of address space; its own RSS limit applies.
      cmd += " && ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=" +
             std::to_string(limits.memory_mb * 2) + "\" && export ASAN_OPTIONS";
    } else {
      cmd += " && ulimit -v " + std::to_string(limits.memory_mb * 1024);
    }
    if (!setup.empty()) cmd += " && " + setup;
    cmd += " && exec " + prefix + " timeout -s KILL " + std::to_string(limits.wall_seconds) + " " +
           Quote(MESHLINT_BINARY);
    for (const auto& a : args) cmd += " " + Quote(a);
    cmd += " </dev/null >" + Quote(out.string()) + " 2>" + Quote(err.string());
    const int raw = std::system(cmd.c_str());
    Outcome o;
    o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    o.out = meshlint::testing::ReadFileText(out.string());
    o.err = meshlint::testing::ReadFileText(err.string());
    fs::remove(out);
    fs::remove(err);
    return o;
  }

  // meshlint lint in/ --mesh-config cfg/mesh.yaml --fail-on error, in `format`.
  Outcome Lint(const std::string& format, Limits limits = {},
               std::vector<std::string> extra = {"in"}, const std::string& prefix = "") {
    std::vector<std::string> args = {"lint",          "--format",  format, "--mesh-config",
                                     "cfg/mesh.yaml", "--fail-on", "error"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args, limits, prefix);
  }

  // The run ended by itself, with the documented status, and no sanitizer
  // report.
  static void ExpectSurvived(const Outcome& o, int status, const std::string& what) {
    EXPECT_TRUE(o.status >= 0 && o.status <= 2)
        << what << ": meshlint was killed or crashed (status " << o.status << ")\n"
        << o.err.substr(0, 4000);
    EXPECT_EQ(o.status, status) << what << "\n" << o.err.substr(0, 4000);
    EXPECT_EQ(o.err.find("Sanitizer"), std::string::npos) << what << "\n" << o.err;
    EXPECT_EQ(o.err.find("runtime error:"), std::string::npos) << what << "\n" << o.err;
  }

  // Runs all three formats and checks them against each other; returns the
  // text output. `expected_invalid` are the exact invalid-manifest lines.
  // `with_json` false: text and SARIF only (for inputs that take seconds).
  std::string LintEverywhere(const std::vector<std::string>& expected_invalid, int status,
                             Limits limits = {}, std::vector<std::string> extra = {"in"},
                             bool with_json = true) {
    const Outcome text = Lint("text", limits, extra);
    ExpectSurvived(text, status, "text");
    EXPECT_EQ(Join(RuleLines(text.out, "invalid-manifest")), Join(expected_invalid));
    EXPECT_NE(text.out.find("in/good.yaml:7:3: warning [serviceentry-exported-to-all]"),
              std::string::npos)
        << "the good file was not linted:\n"
        << text.out.substr(0, 4000);
    for (const std::string& line : Lines(text.out))
      for (char c : line)
        EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            << "raw control character in text output: " << line;
    const std::size_t findings = Lines(text.out).size();

    const Outcome js = with_json ? Lint("json", limits, extra) : Outcome{status, "{}", ""};
    ExpectSurvived(js, status, "json");
    const json j = json::parse(js.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "JSON output does not parse:\n" << js.out.substr(0, 4000);
    if (with_json && !j.is_discarded()) {
      EXPECT_EQ(j["findings"].size(), findings);
      std::size_t invalid = 0;
      for (const json& f : j["findings"]) {
        if (f["rule"] != "invalid-manifest") continue;
        ++invalid;
        EXPECT_TRUE(f["file"].is_string()) << f.dump();
        EXPECT_GE(f["line"].get<int>(), 1) << f.dump();
      }
      EXPECT_EQ(invalid, expected_invalid.size());
    }

    const Outcome sarif = Lint("sarif", limits, extra);
    ExpectSurvived(sarif, status, "sarif");
    const json s = json::parse(sarif.out, nullptr, false);
    EXPECT_FALSE(s.is_discarded()) << "SARIF output does not parse:\n" << sarif.out.substr(0, 4000);
    if (!s.is_discarded()) {
      const json& results = s["runs"][0]["results"];
      EXPECT_EQ(results.size(), findings);
      for (const json& r : results) {
        const json& region = r["locations"][0]["physicalLocation"]["region"];
        EXPECT_GE(region["startLine"].get<int>(), 1) << r.dump();
        EXPECT_GE(region["startColumn"].get<int>(), 1) << r.dump();
      }
    }
    return text.out;
  }

  fs::path root_;
};

// --- syntax -----------------------------------------------------------------

TEST_F(Hostile, SyntaxErrorsOfEveryKind) {
  Write("in/flow-unclosed.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: [a, b\n");
  Write("in/quote-unclosed.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"abc");
  Write("in/bad-indent.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n bad: b\n");
  Write("in/map-in-scalar.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: name: a\n");
  Write("in/unknown-alias.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: *nothing\n");
  Write("in/bad-escape.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"a\\qb\"\n");
  Write("in/stray-bracket.yaml", "apiVersion: v1\nkind: Namespace\n]\n");
  Write("in/directive.yaml", "%YAML 9.9\n---\napiVersion: v1\n");
  Write("in/template.yaml",
        "{{- if .Values.enabled }}\napiVersion: v1\nkind: Namespace\n{{- end }}\n");
  // The second of three documents is broken: the others still count.
  Write("in/middle.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: one}\n---\nkey: [\n---\n" +
            GoodNamed("middle"));
  const std::string text = LintEverywhere(
      {
          "in/bad-escape.yaml:4:13: error [invalid-manifest] YAML syntax error: unknown escape character: q",
          "in/bad-indent.yaml:5:2: error [invalid-manifest] YAML syntax error: end of map not found",
          "in/directive.yaml:1:1: error [invalid-manifest] YAML syntax error: YAML major version too large",
          // The document after the directive's `---` is read on its own: an
          // apiVersion alone is no object (skipped).
          "in/flow-unclosed.yaml:3:22: error [invalid-manifest] YAML syntax error: end of sequence flow not found",
          "in/map-in-scalar.yaml:3:15: error [invalid-manifest] YAML syntax error: illegal map value",
          "in/middle.yaml:5:6: error [invalid-manifest] YAML syntax error: end of sequence flow not found",
          "in/quote-unclosed.yaml:4:13: error [invalid-manifest] YAML syntax error: illegal EOF in scalar",
          "in/stray-bracket.yaml:3:1: error [invalid-manifest] YAML syntax error: illegal flow end",
          "in/template.yaml:1:1: error [invalid-manifest] Helm/Go template syntax ('{{') found: render it first (helm template ... | meshlint lint -); YAML parser says: illegal block entry",
          "in/unknown-alias.yaml:3:11: error [invalid-manifest] YAML syntax error: the referenced anchor is not defined",
      },
      1);
  // The documents after the broken one were read.
  EXPECT_NE(text.find("in/middle.yaml:13:3: warning [serviceentry-exported-to-all]"),
            std::string::npos)
      << text;
}

TEST_F(Hostile, TabsBomAndCrlf) {
  // A tab in indentation is not YAML; tabs inside values and after a key are.
  Write("in/tab-indent.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: a\n");
  Write("in/tab-value.yaml", "apiVersion: v1\nkind:\tNamespace\nmetadata:\n  name: \"a\tb\"\n");
  // Positions in a BOM and CRLF file are those an editor shows: the BOM is
  // not a column, and \r does not widen a value.
  auto crlf = [](std::string text) {
    for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += 2)
      text.insert(p, "\r");
    return text;
  };
  Write("in/crlf.yaml", crlf(GoodNamed("crlf")));
  Write("in/bom.yaml", "\xEF\xBB\xBF" + GoodNamed("bom"));
  Write("in/bom-crlf.yaml", "\xEF\xBB\xBF" + crlf(GoodNamed("bom-crlf")));
  const std::string text = LintEverywhere(
      {"in/tab-indent.yaml:4:6: error [invalid-manifest] YAML syntax error: illegal map value"}, 1);
  for (const char* f : {"bom-crlf", "bom", "crlf"}) {
    EXPECT_NE(
        text.find("in/" + std::string(f) + ".yaml:7:3: warning [serviceentry-exported-to-all]"),
        std::string::npos)
        << f << "\n"
        << text;
  }

  const json j = json::parse(Lint("json").out);
  for (const json& f : j["findings"])
    if (f["file"] == "in/crlf.yaml" && f["rule"] == "serviceentry-exported-to-all") {
      EXPECT_EQ(f["endColumn"], 8) << "the \\r is not part of `hosts`";
    }
}

TEST_F(Hostile, BinaryBytesAndInvalidUtf8) {
  Write("in/nul.yaml", std::string("apiVersion: v1\nkind: Name\0space\n", 33));
  Write("in/control.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\x01\x02\n");
  Write("in/latin1.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: caf\xE9\n");
  Write("in/overlong.yaml", "apiVersion: v1\nkind: \xC0\xAF\n");
  Write("in/surrogate.yaml", "a: \xED\xA0\x80\n");
  Write("in/truncated.yaml", "a: \xE2\x82");
  Write("in/image.json", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16));
  LintEverywhere(
      {
          "in/control.yaml:4:10: error [invalid-manifest] control character (byte 0x01) in YAML text: not a YAML or JSON manifest",
          "in/image.json:3:1: error [invalid-manifest] binary file (NUL byte): not a YAML or JSON manifest",
          "in/latin1.yaml:4:12: error [invalid-manifest] invalid UTF-8: YAML and JSON manifests must be UTF-8 text",
          "in/nul.yaml:2:11: error [invalid-manifest] binary file (NUL byte): not a YAML or JSON manifest",
          "in/overlong.yaml:2:7: error [invalid-manifest] invalid UTF-8: YAML and JSON manifests must be UTF-8 text",
          "in/surrogate.yaml:1:4: error [invalid-manifest] invalid UTF-8: YAML and JSON manifests must be UTF-8 text",
          "in/truncated.yaml:1:4: error [invalid-manifest] invalid UTF-8: YAML and JSON manifests must be UTF-8 text",
      },
      1);
}

TEST_F(Hostile, EmptyFilesAndDocuments) {
  Write("in/empty.yaml", "");
  Write("in/blank.yaml", "\n\n   \n");
  Write("in/comments.yaml", "# nothing here\n  # still nothing\n");
  Write("in/markers.yaml", "---\n---\n...\n---\n");
  Write("in/null.yaml", "~\n---\nnull\n");
  Write("in/empty.json", "");
  Write("in/bom-only.yaml", "\xEF\xBB\xBF");
  LintEverywhere({}, 0);
}

TEST_F(Hostile, TopLevelScalarsListsAndDuplicateKeys) {
  Write("in/scalar.yaml", "just some text\n");
  Write("in/list.yaml", "- apiVersion: v1\n  kind: Namespace\n");
  Write("in/array.json", "[1, 2]\n");  // data, not objects: skipped
  Write("in/dup.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\nmetadata:\n  name: b\n");
  Write("in/dup-kind.yaml", "apiVersion: v1\nkind: Namespace\nkind: Secret\n");
  LintEverywhere(
      {
          "in/dup-kind.yaml:3:1: error [invalid-manifest] duplicate key 'kind' (first at line 2); Kubernetes rejects this",
          "in/dup.yaml:5:1: error [invalid-manifest] duplicate key 'metadata' (first at line 3); Kubernetes rejects this",
          "in/list.yaml:1:1: error [invalid-manifest] a manifest document must be a mapping (an object), not a list",
          "in/scalar.yaml:1:1: error [invalid-manifest] a manifest document must be a mapping (an object), not a scalar",
      },
      1);
}

// --- depth, aliases and size ------------------------------------------------

TEST_F(Hostile, NestingHundredThousandDeep) {
  constexpr std::size_t kDepth = 100000;
  Write("in/flow-seq.yaml", "a: " + Repeat("[", kDepth) + Repeat("]", kDepth) + "\n");
  Write("in/flow-map.yaml", "a: " + Repeat("{a: ", kDepth) + Repeat("}", kDepth) + "\n");
  Write("in/block-seq.yaml", Repeat("- ", kDepth) + "x\n");
  Write("in/block-key.yaml", Repeat("? ", kDepth) + "x\n");
  Write("in/flow.json", Repeat("[", kDepth) + Repeat("]", kDepth));
  std::string indented;
  for (std::size_t i = 0; i < 3000; ++i) indented += std::string(i, ' ') + "k:\n";
  Write("in/block-map.yaml", indented);
  // The ConfigMap's embedded mesh config is parsed too.
  Write("in/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\n"
        "data:\n  mesh: \"" +
            Repeat("[", kDepth) + "\"\n");
  LintEverywhere(
      {
          "in/block-key.yaml:1:998: error [invalid-manifest] collections nested 500 deep: nesting too deep to be a manifest, not parsed",
          "in/block-map.yaml:2002:2002: error [invalid-manifest] indentation deeper than 2000 columns: nesting too deep to be a manifest, not parsed",
          "in/block-seq.yaml:1:1000: error [invalid-manifest] collections nested 500 deep: nesting too deep to be a manifest, not parsed",
          "in/configmap.yaml:5:9: error [invalid-manifest] data.mesh: brackets nested more than 1000 deep: not parsed",
          "in/flow-map.yaml:1:4004: error [invalid-manifest] brackets nested more than 1000 deep: not parsed",
          "in/flow-seq.yaml:1:1004: error [invalid-manifest] brackets nested more than 1000 deep: not parsed",
          "in/flow.json:1:1001: error [invalid-manifest] brackets nested more than 1000 deep: not parsed",
      },
      1);
}

TEST_F(Hostile, AliasBombs) {
  // Billion laughs where meshlint reads: hosts names a list of lists of
  // lists ... of one scalar, 10^9 leaves if expanded.
  std::string laughs =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
      "metadata: {name: laughs, namespace: shop}\nx:\n  l0: &l0 \"lol\"\n";
  for (int i = 1; i <= 9; ++i) {
    laughs += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) laughs += (k ? ", *l" : "*l") + std::to_string(i - 1);
    laughs += "]\n";
  }
  laughs += "spec:\n  hosts: *l9\n";
  Write("in/laughs.yaml", laughs);

  // Many uses of one large scalar: each use would copy and scan 100 KB.
  std::string wide =
      "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
      "metadata: {name: wide, namespace: shop}\nx: &big \"" +
      std::string(100000, 'h') + "\"\nspec:\n  hosts: [*big";
  for (int i = 0; i < 20000; ++i) wide += ", *big";
  wide += "]\n";
  Write("in/wide.yaml", wide);

  // kind: List whose items name other Lists by alias, ten times per level:
  // 10^9 objects if expanded. And a List that contains itself.
  std::string lists =
      "apiVersion: v1\nkind: List\nx:\n"
      "  o0: &o0 {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: shop}}\n";
  for (int i = 1; i <= 9; ++i) {
    lists += "  o" + std::to_string(i) + ": &o" + std::to_string(i) +
             " {apiVersion: v1, kind: List, items: [";
    for (int k = 0; k < 10; ++k) lists += (k ? ", *o" : "*o") + std::to_string(i - 1);
    lists += "]}\n";
  }
  lists += "items: [*o9]\n";
  Write("in/lists.yaml", lists);
  Write("in/cycle.yaml",
        "apiVersion: v1\nkind: List\nitems: &all\n- apiVersion: v1\n  kind: List\n  items: *all\n");
  Write("in/self.yaml", "a: &a [*a, *a]\nb: &b {b: *b}\n");

  // Each List node is read once and reports its repeated items once: nine
  // lines, not 10^9. (An alias has the position of the node it names.)
  std::vector<std::string> expected = {
      "in/cycle.yaml:4:3: error [invalid-manifest] items[0].items[0] repeats an object already read (YAML aliases): not read again",
      "in/laughs.yaml:13:7: error [invalid-manifest] spec.hosts[0] must be a string, not a list"};
  for (int i = 0; i < 9; ++i) {
    std::string path;
    for (int k = 0; k < 9 - i; ++k) path += "items[0].";
    expected.push_back("in/lists.yaml:" + std::to_string(4 + i) + ":7: error [invalid-manifest] " +
                       path +
                       "items[1] and 8 more items repeat objects already read (YAML "
                       "aliases): not read again");
  }
  expected.push_back(
      "in/wide.yaml:1:1: error [invalid-manifest] YAML aliases (*name) expand this document far beyond its size (an alias bomb): the rest of it is not read");
  LintEverywhere(expected, 1, Limits{30, 512});
}

TEST_F(Hostile, TwoHundredMegabyteFile) {
  // One ordinary document, one of 200 MB (a ConfigMap with a huge data
  // section: what a careless `kubectl get -o yaml` dump can produce), one
  // ordinary document after it. Written here, never committed.
  {
    std::ofstream f(root_ / "in/huge.yaml", std::ios::binary);
    f << "apiVersion: v1\nkind: Namespace\nmetadata: {name: before}\n---\n"
         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge, namespace: shop}\ndata:\n";
    std::string line;
    for (std::size_t i = 0, written = 0; written < (std::size_t{200} << 20); ++i) {
      line = "  key-" + std::to_string(i) + ": \"value " + std::to_string(i) +
             " padded to look like real configuration data\"\n";
      f << line;
      written += line.size();
    }
    f << "---\n" << GoodNamed("last");
  }
  const std::uint32_t last_doc = [&] {
    std::ifstream in(root_ / "in/huge.yaml", std::ios::binary);
    std::uint32_t n = 0, marker = 0;
    for (std::string l; std::getline(in, l);) {
      ++n;
      if (l == "---") marker = n;
    }
    return marker;
  }();
  // Run text and SARIF only: each run reads 200 MB.
  const Limits limits{60, 1024};
  const Outcome text = Lint("text", limits);
  ExpectSurvived(text, 1, "text");
  EXPECT_EQ(Join(RuleLines(text.out, "invalid-manifest")),
            "in/huge.yaml:4:1: error [invalid-manifest] YAML document of 200 MiB is larger than "
            "the 32 MiB meshlint parses (Kubernetes objects are at most a few MiB): not parsed; "
            "split it into one document per object\n");
  EXPECT_NE(text.out.find("in/huge.yaml:" + std::to_string(last_doc + 7) +
                          ":3: warning [serviceentry-exported-to-all]"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("in/good.yaml:7:3: warning [serviceentry-exported-to-all]"),
            std::string::npos);
  const Outcome sarif = Lint("sarif", limits);
  ExpectSurvived(sarif, 1, "sarif");
  const json s = json::parse(sarif.out, nullptr, false);
  ASSERT_FALSE(s.is_discarded());
  EXPECT_EQ(s["runs"][0]["results"].size(), Lines(text.out).size());
}

TEST_F(Hostile, OneMegabyteScalar) {
  const std::string name(1 << 20, 'n');
  Write("in/big-name.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
        "metadata:\n  name: " +
            name +
            "\n  namespace: shop\nspec:\n"
            "  hosts: [\"a.example.com\"]\n");
  Write("in/big-host.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
        "metadata: {name: host, namespace: shop}\nspec:\n  hosts: [\"" +
            std::string(1 << 20, 'h') + ".example.com\"]\n  exportTo: [\".\"]\n");
  // Istio refuses a host over 255 characters (the message cuts it short).
  const std::string text = LintEverywhere({}, 1);
  EXPECT_NE(
      text.find("in/big-name.yaml:7:3: warning [serviceentry-exported-to-all] ServiceEntry '" +
                name + "' exports"),
      std::string::npos);
  EXPECT_NE(text.find("in/big-host.yaml:5:11: error [istio-validation-rejected] Istio 1.30 rejects "
                      "ServiceEntry shop/host: domain name \"" +
                      std::string(253, 'h') + "...\" too long (max 255) (ValidateServiceEntry)."),
            std::string::npos);
}

TEST_F(Hostile, HundredThousandDocumentsInOneFile) {
  std::string many;
  many.reserve(16 << 20);
  std::uint32_t line = 0;
  for (int i = 0; i < 100000; ++i) {
    many += "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se-" +
            std::to_string(i) + ", namespace: shop}\nspec:\n  hosts: [h" + std::to_string(i) +
            ".example.com]\n  exportTo: [\".\"]\n";
    line += 7;
  }
  // The last document is broken: its position is counted across them all.
  many += "---\napiVersion: v1\nkind: [Namespace\n";
  Write("in/many.yaml", many);
  LintEverywhere(
      {"in/many.yaml:" + std::to_string(line + 3) +
       ":16: error [invalid-manifest] YAML syntax error: end of sequence flow not found"},
      1, Limits{60, 1024}, {"in"}, /*with_json=*/false);
}

// --- fields the rules read, with the wrong type ------------------------------

TEST_F(Hostile, WrongTypesInEveryFieldTheRulesRead) {
  const std::string se = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n";
  const std::string sc = "apiVersion: networking.istio.io/v1\nkind: Sidecar\n";
  const std::string md = "metadata: {name: x, namespace: shop}\n";
  const std::string op =
      "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
      "metadata: {name: x, namespace: istio-system}\n";
  std::map<std::string, std::string> files = {
      {"api-list", "apiVersion: [v1]\nkind: Namespace\nmetadata: {name: x}\n"},
      {"kind-map", "apiVersion: v1\nkind: {a: b}\nmetadata: {name: x}\n"},
      {"kind-empty", "apiVersion: v1\nkind: \"\"\n"},
      {"metadata-scalar", "apiVersion: v1\nkind: Namespace\nmetadata: x\n"},
      {"metadata-missing", "apiVersion: v1\nkind: Namespace\n"},
      {"name-list", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [a]\n"},
      {"namespace-map", se + "metadata:\n  name: x\n  namespace: {a: b}\n"},
      {"labels-list", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels: [a]\n"},
      {"annotations-scalar", se + "metadata:\n  name: x\n  annotations: text\n"},
      {"spec-scalar", se + md + "spec: text\n"},
      {"hosts-scalar", se + md + "spec:\n  hosts: api.example.com\n"},
      {"hosts-item-map", se + md + "spec:\n  hosts:\n  - {a: b}\n"},
      {"exportto-map", se + md + "spec:\n  hosts: [a.b]\n  exportTo: {a: b}\n"},
      {"exportto-item-list", se + md + "spec:\n  hosts: [a.b]\n  exportTo: [[\".\"]]\n"},
      {"location-list", se + md + "spec:\n  hosts: [a.b]\n  exportTo: [\".\"]\n  location: [x]\n"},
      {"egress-map", sc + md + "spec:\n  egress: {hosts: [\"./*\"]}\n"},
      {"egress-item-scalar", sc + md + "spec:\n  egress: [x]\n"},
      {"egress-hosts-scalar", sc + md + "spec:\n  egress:\n  - hosts: \"./*\"\n"},
      {"selector-list", sc + md + "spec:\n  workloadSelector: [a]\n"},
      {"outbound-list", sc + md + "spec:\n  outboundTrafficPolicy: [a]\n"},
      {"outbound-mode-map", sc + md + "spec:\n  outboundTrafficPolicy:\n    mode: {a: b}\n"},
      {"outbound-mode-bad", sc + md + "spec:\n  outboundTrafficPolicy:\n    mode: OPEN\n"},
      {"meshconfig-list", op + "spec:\n  meshConfig: [a]\n"},
      {"mesh-outbound-scalar", op + "spec:\n  meshConfig:\n    outboundTrafficPolicy: ALLOW_ANY\n"},
      {"mesh-root-map", op + "spec:\n  meshConfig:\n    rootNamespace: {a: b}\n"},
      {"mesh-export-scalar", op + "spec:\n  meshConfig:\n    defaultServiceExportTo: \"*\"\n"},
      {"configmap-mesh-list",
       "apiVersion: v1\nkind: ConfigMap\n"
       "metadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: [a]\n"},
      {"configmap-mesh-yaml",
       "apiVersion: v1\nkind: ConfigMap\n"
       "metadata: {name: istio, namespace: istio-system}\ndata:\n"
       "  mesh: |\n    outboundTrafficPolicy: [\n"},
      {"list-items-map", "apiVersion: v1\nkind: List\nitems: {a: b}\n"},
      {"list-item-scalar", "apiVersion: v1\nkind: List\nitems: [x]\n"},
  };
  for (const auto& [name, text] : files) Write("in/" + name + ".yaml", text);
  LintEverywhere(
      {
          "in/annotations-scalar.yaml:5:16: error [invalid-manifest] metadata.annotations must be a mapping, not a scalar",
          "in/api-list.yaml:1:13: error [invalid-manifest] apiVersion must be a non-empty string",
          "in/configmap-mesh-list.yaml:5:9: error [invalid-manifest] data.mesh must be a string, not a list",
          "in/configmap-mesh-yaml.yaml:6:28: error [invalid-manifest] YAML syntax error in data.mesh: end of sequence flow not found",
          "in/egress-hosts-scalar.yaml:6:12: error [invalid-manifest] spec.egress[0].hosts must be a list, not a scalar (write hosts: [\"./*\"])",
          "in/egress-item-scalar.yaml:5:12: error [invalid-manifest] spec.egress[0] must be a mapping",
          "in/egress-map.yaml:5:11: error [invalid-manifest] spec.egress must be a list, not a mapping",
          "in/exportto-item-list.yaml:6:14: error [invalid-manifest] spec.exportTo[0] must be a string, not a list",
          "in/exportto-map.yaml:6:13: error [invalid-manifest] spec.exportTo must be a list, not a mapping (write exportTo: [\".\"])",
          "in/hosts-item-map.yaml:6:5: error [invalid-manifest] spec.hosts[0] must be a string, not a mapping",
          "in/hosts-scalar.yaml:5:10: error [invalid-manifest] spec.hosts must be a list, not a scalar (write hosts: [\"api.example.com\"])",
          "in/kind-empty.yaml:2:7: error [invalid-manifest] kind must be a non-empty string",
          "in/kind-map.yaml:2:7: error [invalid-manifest] kind must be a non-empty string",
          "in/labels-list.yaml:5:11: error [invalid-manifest] metadata.labels must be a mapping, not a list",
          "in/list-item-scalar.yaml:3:9: error [invalid-manifest] items[0] must be a mapping (an object)",
          "in/list-items-map.yaml:3:8: error [invalid-manifest] items must be a list",
          "in/location-list.yaml:7:13: error [invalid-manifest] spec.location must be a string, not a list",
          "in/mesh-export-scalar.yaml:6:29: error [invalid-manifest] spec.meshConfig.defaultServiceExportTo must be a list, not a scalar",
          "in/mesh-outbound-scalar.yaml:6:28: error [invalid-manifest] spec.meshConfig.outboundTrafficPolicy must be a mapping, not a scalar",
          "in/mesh-root-map.yaml:6:20: error [invalid-manifest] spec.meshConfig.rootNamespace must be a string, not a mapping",
          "in/meshconfig-list.yaml:5:15: error [invalid-manifest] mesh config must be a mapping",
          "in/metadata-missing.yaml:2:7: error [invalid-manifest] Namespace has no metadata (metadata.name is required)",
          "in/metadata-scalar.yaml:3:11: error [invalid-manifest] metadata must be a mapping, not a scalar",
          "in/name-list.yaml:4:9: error [invalid-manifest] metadata.name must be a string, not a list",
          "in/namespace-map.yaml:5:14: error [invalid-manifest] metadata.namespace must be a string, not a mapping",
          "in/outbound-list.yaml:5:26: error [invalid-manifest] spec.outboundTrafficPolicy must be a mapping, not a list",
          "in/outbound-mode-map.yaml:6:11: error [invalid-manifest] spec.outboundTrafficPolicy.mode must be a string, not a mapping",
          "in/selector-list.yaml:5:21: error [invalid-manifest] spec.workloadSelector must be a mapping, not a list",
          "in/spec-scalar.yaml:4:7: error [invalid-manifest] spec must be a mapping, not a scalar",
      },
      1);
}

TEST_F(Hostile, UnknownApiVersionsAndKinds) {
  Write(
      "in/unknown.yaml",
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: shop}\n---\n"
      "apiVersion: v9\nkind: Namespace\nmetadata: {name: future}\n---\n"
      "apiVersion: networking.istio.io/v9\nkind: ServiceEntry\nmetadata: {name: se, namespace: shop}\n"
      "spec:\n  hosts: [a.example.com]\n---\n"
      "apiVersion: 42\nkind: 7\nmetadata: {name: numbers, namespace: shop}\n");
  const std::string text = LintEverywhere(
      {"in/unknown.yaml:9:13: error [invalid-manifest] ServiceEntry apiVersion "
       "'networking.istio.io/v9' is not one Istio serves (networking.istio.io/v1, v1beta1 or "
       "v1alpha3): not checked"},
      1);
  const json j = json::parse(Lint("json").out);
  // Objects of kinds meshlint does not model are counted, not judged: the
  // Widget, the v9 Namespace, the numbers, and good.yaml's ServiceEntry.
  EXPECT_EQ(j["summary"]["objects"], 4) << j["summary"].dump();
}

// --- the file system ----------------------------------------------------------

TEST_F(Hostile, UnreadableFilesAndDirectories) {
  Write("in/locked.yaml", kGood);
  Write("in/closed/inner.yaml", kGood);
  ::chmod((root_ / "in/locked.yaml").c_str(), 0);
  ::chmod((root_ / "in/closed").c_str(), 0);
  std::string prefix;
  if (::geteuid() == 0) {
    // Root reads mode-000 files; drop to nobody for this run when possible.
    if (std::system("setpriv --version >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "running as root and setpriv is missing: cannot make a file unreadable";
    prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    const std::string probe = "cd " + Quote(root_.string()) + " && " + prefix + " " +
                              Quote(MESHLINT_BINARY) + " --version >/dev/null 2>&1";
    if (std::system(probe.c_str()) != 0)
      GTEST_SKIP() << "running as root, and user nobody cannot run " << MESHLINT_BINARY
                   << ": skipping the unreadable-file case";
    // nobody writes the reports into root_.
    ::chmod(root_.c_str(), 0777);
  }
  const Outcome o = Lint("text", {}, {"in"}, prefix);
  ExpectSurvived(o, 1, "unreadable");
  EXPECT_EQ(Join(RuleLines(o.out, "invalid-manifest")),
            "in/closed:1:1: error [invalid-manifest] cannot read directory: Permission denied\n"
            "in/locked.yaml:1:1: error [invalid-manifest] cannot open: Permission denied\n");
  EXPECT_NE(o.out.find("in/good.yaml:7:3: warning [serviceentry-exported-to-all]"),
            std::string::npos)
      << o.out;
  const json s = json::parse(Lint("sarif", {}, {"in"}, prefix).out, nullptr, false);
  EXPECT_FALSE(s.is_discarded());
  // Named on the command line, an unreadable file is a usage error (exit 2).
  const Outcome named = Lint("text", {}, {"in/locked.yaml", "in/good.yaml"}, prefix);
  ExpectSurvived(named, 2, "named unreadable");
  EXPECT_NE(named.err.find("meshlint: in/locked.yaml: cannot open: Permission denied"),
            std::string::npos)
      << named.err;
}

TEST_F(Hostile, SymlinksNeverLeaveTheTree) {
  // A secret outside the linted directory, named so that reading it would show.
  Write("secret/token.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
        "metadata: {name: TOPSECRET, namespace: shop}\nspec:\n  hosts: [TOPSECRET.example.com]\n");
  fs::create_symlink("../secret/token.yaml", root_ / "in/steal.yaml");
  fs::create_symlink(root_ / "secret/token.yaml", root_ / "in/absolute.yaml");
  fs::create_symlink("../secret", root_ / "in/vendor");
  fs::create_symlink("good.yaml", root_ / "in/alias.yaml");  // inside: read once
  fs::create_directories(root_ / "in/sub");
  fs::create_symlink("..", root_ / "in/sub/up");  // a directory loop: not followed
  fs::create_symlink("loop-b.yaml", root_ / "in/loop-a.yaml");
  fs::create_symlink("loop-a.yaml", root_ / "in/loop-b.yaml");
  fs::create_symlink("self.yaml", root_ / "in/self.yaml");
  fs::create_symlink("missing.yaml", root_ / "in/dangling.yaml");
  // A link to a FIFO outside: opening it would block until the kill limit.
  ASSERT_EQ(::mkfifo((root_ / "secret/pipe.yaml").c_str(), 0644), 0);
  fs::create_symlink("../secret/pipe.yaml", root_ / "in/pipe.yaml");
  const Limits limits{30, 512, 60};
  const std::string text = LintEverywhere(
      {
          "in/absolute.yaml:1:1: error [invalid-manifest] symbolic link points outside in: not read",
          "in/dangling.yaml:1:1: error [invalid-manifest] symbolic link to a missing file: not read",
          "in/loop-a.yaml:1:1: error [invalid-manifest] symbolic link loop: not read",
          "in/loop-b.yaml:1:1: error [invalid-manifest] symbolic link loop: not read",
          "in/pipe.yaml:1:1: error [invalid-manifest] symbolic link points outside in: not read",
          "in/self.yaml:1:1: error [invalid-manifest] symbolic link loop: not read",
          "in/steal.yaml:1:1: error [invalid-manifest] symbolic link points outside in: not read",
          "in/vendor:1:1: error [invalid-manifest] symbolic link to a directory outside in: not followed",
      },
      1, limits);
  // A link inside the tree names a file the walk reads anyway: read once,
  // under its own name, and the link is a note.
  EXPECT_EQ(text.find("in/alias.yaml:"), std::string::npos) << text;
  EXPECT_NE(
      Lint("text", limits)
          .err.find(
              "meshlint: note: in/alias.yaml: the same file as in/good.yaml, reached through a "
              "symbolic link: read once, as in/good.yaml\n"),
      std::string::npos);
  for (const char* format : {"text", "json", "sarif"})
    EXPECT_EQ(Lint(format, limits).out.find("TOPSECRET"), std::string::npos) << format;

  // A symlinked directory named on the command line is walked; links in it
  // are judged against where it really is.
  fs::create_symlink("in", root_ / "linked");
  const Outcome o = Lint("text", limits, {"linked"});
  ExpectSurvived(o, 1, "linked dir");
  EXPECT_NE(o.out.find("linked/good.yaml:7:3: warning [serviceentry-exported-to-all]"),
            std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.find("TOPSECRET"), std::string::npos);
}

TEST_F(Hostile, FifosAndDevices) {
  ASSERT_EQ(::mkfifo((root_ / "in/fifo.yaml").c_str(), 0644), 0);
  bool have_device = ::mknod((root_ / "in/null.yaml").c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0;
  std::vector<std::string> expected = {
      "in/fifo.yaml:1:1: error [invalid-manifest] not a regular file (a FIFO): not read"};
  if (have_device)
    expected.push_back(
        "in/null.yaml:1:1: error [invalid-manifest] not a regular file (a character device): not read");
  // A FIFO that is opened blocks forever: the wall-clock limit would kill it.
  LintEverywhere(expected, 1, Limits{30, 512, 60});

  // Named on the command line: a device is refused (exit 2), a pipe is read
  // (process substitution, `<(helm template ...)`).
  const Outcome dev = Lint("text", Limits{30, 512, 60}, {"/dev/zero", "in/good.yaml"});
  ExpectSurvived(dev, 2, "/dev/zero");
  EXPECT_NE(dev.err.find("meshlint: /dev/zero: not a regular file (a character device): not read"),
            std::string::npos)
      << dev.err;
  fs::remove(root_ / "in/fifo.yaml");
  if (have_device) fs::remove(root_ / "in/null.yaml");
  ASSERT_EQ(::mkfifo((root_ / "pipe").c_str(), 0644), 0);
  const Outcome piped =
      Run({"lint", "--mesh-config", "cfg/mesh.yaml", "--fail-on", "error", "pipe"},
          Limits{30, 512, 60}, "", "(timeout 60 cat in/good.yaml > pipe &)");
  ExpectSurvived(piped, 0, "pipe");
  EXPECT_NE(piped.out.find("pipe:7:3: warning [serviceentry-exported-to-all]"), std::string::npos)
      << piped.out << piped.err;
}

// --- names and output escaping -------------------------------------------------

TEST_F(Hostile, FileNamesAreEscapedInEveryFormat) {
  const std::vector<std::string> names = {
      "with space.yaml",          "caf\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC.yaml",
      "quote\"s'.yaml",           "new\nline.yaml",
      "back\\slash.yaml",         "esc\x1B[31mred.yaml",
      "tab\tname.yaml",           "percent%41.yaml",
      "bidi\xE2\x80\xAEvvv.yaml",
  };
  for (std::size_t i = 0; i < names.size(); ++i)
    Write("in/" + names[i], GoodNamed("good-" + std::to_string(i)));
  const std::string text = LintEverywhere({}, 0);
  for (const char* expected :
       {"in/with space.yaml:7:3:", "in/caf\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC.yaml:7:3:",
        "in/quote\"s'.yaml:7:3:", "in/new\\x0Aline.yaml:7:3:", "in/back\\slash.yaml:7:3:",
        "in/esc\\x1B[31mred.yaml:7:3:", "in/tab\\x09name.yaml:7:3:", "in/percent%41.yaml:7:3:",
        "in/bidi\\u202Evvv.yaml:7:3:"})
    EXPECT_NE(text.find("\n" + std::string(expected)), std::string::npos) << expected << "\n"
                                                                          << text;

  // JSON and SARIF carry each name exactly.
  const json j = json::parse(Lint("json").out);
  std::set<std::string> json_files;
  for (const json& f : j["findings"]) json_files.insert(f["file"].get<std::string>());
  const json s = json::parse(Lint("sarif").out);
  std::set<std::string> sarif_files;
  for (const json& r : s["runs"][0]["results"]) {
    const json& a = r["locations"][0]["physicalLocation"]["artifactLocation"];
    EXPECT_EQ(a["uriBaseId"], "%SRCROOT%");
    const std::string uri = a["uri"].get<std::string>();
    for (char c : uri)
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-._~/%", c))
          << "not a URI character in " << uri;
    sarif_files.insert(PercentDecode(uri));
  }
  for (const auto& n : names) {
    EXPECT_TRUE(json_files.count("in/" + n)) << n;
    EXPECT_TRUE(sarif_files.count("in/" + n)) << n;
  }
}

TEST_F(Hostile, TerminalEscapesFromManifestsAreNeutralised) {
  // Values flow into messages: a name with ESC sequences (a YAML "\e"
  // escape), a C1 CSI, a bidi override, and a raw invalid name.
  Write("in/evil.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
        "metadata:\n  name: \"x\\e]0;pwned\\a\\e[2J\\u009b31m\\u202Eevil\\r\\n\"\n"
        "  namespace: shop\nspec:\n  hosts: [\"a.example.com\"]\n");
  const std::string text = LintEverywhere({}, 0);
  EXPECT_NE(text.find("ServiceEntry 'x\\x1B]0;pwned\\x07\\x1B[2J\\u009B31m\\u202Eevil\\x0D\\x0A'"),
            std::string::npos)
      << text;
  const json j = json::parse(Lint("json").out);
  bool found = false;
  for (const json& f : j["findings"])
    if (f["object"].is_object() && f["object"]["name"] ==
                                       "x\x1B]0;pwned\a\x1B[2J\xC2\x9B"
                                       "31m\xE2\x80\xAE"
                                       "evil\r\n")
      found = true;
  EXPECT_TRUE(found) << "JSON must carry the name exactly";
}

// Every text the tool prints (lint, the egress report, one --from/--to
// explanation) shows names from manifests escaped: no raw control byte, C1
// control or bidi override reaches the terminal.
TEST_F(Hostile, EveryTextOutputIsTerminalSafe) {
  const std::string evil = "\\e[2J\\u009b1m\\u202E";  // YAML escapes, in double quotes
  Write("in/evil-mesh.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: \"ns" + evil +
                                 "\"}\n---\n"
                                 "apiVersion: networking.istio.io/v1\nkind: Sidecar\n"
                                 "metadata: {name: \"sc" +
                                 evil + "\", namespace: \"ns" + evil +
                                 "\"}\n"
                                 "spec:\n  egress:\n  - hosts: [\"*/h" +
                                 evil +
                                 ".example.com\"]\n---\n"
                                 "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                                 "metadata: {name: \"se" +
                                 evil + "\", namespace: \"ns" + evil +
                                 "\"}\n"
                                 "spec:\n  hosts: [\"h" +
                                 evil + ".example.com\"]\n");
  const std::string ns =
      "ns\x1B[2J\xC2\x9B"
      "1m\xE2\x80\xAE";
  const std::string host =
      "h\x1B[2J\xC2\x9B"
      "1m\xE2\x80\xAE.example.com";
  const std::vector<std::vector<std::string>> runs = {
      {"lint", "--mesh-config", "cfg/mesh.yaml", "in"},
      {"egress", "--mesh-config", "cfg/mesh.yaml", "in"},
      {"egress", "--mesh-config", "cfg/mesh.yaml", "in", "--from", ns, "--to", host},
  };
  for (const auto& args : runs) {
    const Outcome o = Run(args);
    SCOPED_TRACE(args[0] + (args.size() > 4 ? " --from/--to" : ""));
    EXPECT_TRUE(o.status >= 0 && o.status <= 2) << o.status << "\n" << o.err;
    EXPECT_FALSE(o.out.empty()) << o.err;
    for (const std::string& stream : {o.out, o.err}) {
      EXPECT_EQ(stream.find('\x1B'), std::string::npos) << stream;
      EXPECT_EQ(stream.find("\xC2\x9B"), std::string::npos) << stream;
      EXPECT_EQ(stream.find("\xE2\x80\xAE"), std::string::npos) << stream;
    }
  }
}

// .meshlint.yaml comes with the pull request too. Each of these once hung,
// or could: yaml-cpp's LoadAll looped forever on `,data:`; deep nesting,
// binary bytes and aliased suppressions (each an RE2 pattern) must stay
// bounded.
TEST_F(Hostile, ProjectConfigFromThePullRequest) {
  std::string aliased = "x: &p \"" + std::string(2000, 'a') + "\"\nsuppressions:\n";
  for (int i = 0; i < 2000; ++i)
    aliased += "- {rule: serviceentry-exported-to-all, object: *p, reason: *p}\n";
  const std::vector<std::pair<std::string, std::string>> configs = {
      {"stray-comma", ",data:"},
      {"deep", "rules: " + Repeat("[", 100000) + "\n"},
      {"block-deep", Repeat("- ", 100000) + "x\n"},
      {"binary", std::string("rules:\0\x01\xFF\n", 10)},
      {"aliased-suppressions", aliased},
      {"two-documents", "failOn: error\n---\nfailOn: note\n"},
  };
  for (const auto& [name, text] : configs) {
    SCOPED_TRACE(name);
    Write(".meshlint.yaml", text);
    const Outcome o = Run({"lint", "--mesh-config", "cfg/mesh.yaml", "in"}, Limits{30, 512, 120});
    EXPECT_TRUE(o.status >= 0 && o.status <= 2) << "killed or crashed (status " << o.status << ")\n"
                                                << o.err.substr(0, 2000);
    EXPECT_EQ(o.err.find("Sanitizer"), std::string::npos) << o.err;
    if (o.status == 2) {
      EXPECT_NE(o.err.find(".meshlint.yaml:"), std::string::npos) << o.err.substr(0, 2000);
    }
  }
}

// The SARIF of the hostile inputs validates with the Microsoft SARIF
// Multitool (ci/test installs it and sets MESHLINT_SARIF_MULTITOOL).
TEST_F(Hostile, SarifOfHostileInputValidates) {
  const char* tool = std::getenv("MESHLINT_SARIF_MULTITOOL");
  if (!tool || !fs::exists(tool)) GTEST_SKIP() << "MESHLINT_SARIF_MULTITOOL not set: not validated";
  Write("in/new\nline \"q\".yaml", kGood);
  Write("in/syntax.yaml", "a: [\n");
  Write("in/nul.yaml", std::string("a\0", 2));
  Write("in/evil.yaml",
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
        "metadata: {name: \"\\e[2J\\u202E\", namespace: shop}\nspec:\n  hosts: [a]\n");
  fs::create_symlink("/etc/passwd", root_ / "in/passwd.yaml");
  const Outcome o = Lint("sarif", {}, {"in", "--output", "report.sarif"});
  ExpectSurvived(o, 1, "sarif");
  // The SARIF rules and GitHub's ingestion rules: a good log yields no result.
  const std::string cmd = Quote(tool) + " validate --rule-kind 'Sarif;Gh' -o " +
                          Quote((root_ / "validation.sarif").string()) + " " +
                          Quote((root_ / "report.sarif").string()) + " >" +
                          Quote((root_ / "validate.log").string()) + " 2>&1";
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << meshlint::testing::ReadFileText((root_ / "validate.log").string());
  const json v = json::parse(meshlint::testing::ReadFileText((root_ / "validation.sarif").string()),
                             nullptr, false);
  ASSERT_FALSE(v.is_discarded()) << meshlint::testing::ReadFileText(
      (root_ / "validate.log").string());
  const json results = v["runs"][0].value("results", json::array());
  EXPECT_TRUE(results.empty()) << results.dump(2).substr(0, 4000);
}

// --- TerminalSafe itself ------------------------------------------------------

TEST(TerminalSafe, KeepsTextAndEscapesWhatATerminalWouldAct) {
  using meshlint::TerminalSafe;
  EXPECT_EQ(TerminalSafe("plain text, caf\xC3\xA9, \xE6\x97\xA5, \xF0\x9F\x98\x80"),
            "plain text, caf\xC3\xA9, \xE6\x97\xA5, \xF0\x9F\x98\x80");
  EXPECT_EQ(TerminalSafe("a\x1B[31mb"), "a\\x1B[31mb");
  EXPECT_EQ(TerminalSafe(std::string("\0\t\n\r\x7F", 5)), "\\x00\\x09\\x0A\\x0D\\x7F");
  EXPECT_EQ(TerminalSafe("\xC2\x9B"
                         "31m"),
            "\\u009B31m");                          // C1 CSI
  EXPECT_EQ(TerminalSafe("\xC2\x85"), "\\u0085");   // C1 NEL
  EXPECT_EQ(TerminalSafe("\xC2\xA0"), "\xC2\xA0");  // NBSP is text
  EXPECT_EQ(TerminalSafe("a\xE2\x80\xAE"
                         "b\xE2\x81\xA6"
                         "c"),
            "a\\u202Eb\\u2066c");
  EXPECT_EQ(TerminalSafe("\xFF\xC3"), "\\xFF\\xC3");                    // not UTF-8, cut off
  EXPECT_EQ(TerminalSafe("\xC0\xAF"), "\\xC0\\xAF");                    // overlong
  EXPECT_EQ(TerminalSafe("\xED\xA0\x80"), "\\xED\\xA0\\x80");           // surrogate
  EXPECT_EQ(TerminalSafe("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST(TerminalSafe, AppendsWhatItReturns) {
  // AppendTerminalSafe (the text report's) keeps what the buffer holds and
  // adds TerminalSafe's text, for plain ASCII (its fast path) and the rest.
  for (const std::string text :
       {"plain ascii ~", "", "a\x1B[31mb", "caf\xC3\xA9", "\xFF", "x\x7F", "tab\there"}) {
    std::string out = "kept|";
    meshlint::AppendTerminalSafe(out, text);
    EXPECT_EQ(out, "kept|" + meshlint::TerminalSafe(text)) << text;
  }
  std::string out = "kept|";
  meshlint::AppendTerminalSafe(out, "a\x1B[31mb \xE2\x80\xAE");
  EXPECT_EQ(out, "kept|a\\x1B[31mb \\u202E");
}

}  // namespace
