// report_detail::JsonWriter, which the JSON and SARIF lint reports are
// written with: its bytes are those nlohmann dumps (report_detail::Dump) of
// the same document, for every kind of string and nesting.
#include "report/json_writer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace meshlint::report_detail {
namespace {

// Every byte value alone, the escapes among text, and bytes past ASCII both
// valid UTF-8 and not (nlohmann's replacement is kept as it is).
std::vector<std::string> Strings() {
  std::vector<std::string> out = {"",
                                  "plain",
                                  "quote \" and backslash \\ and slash /",
                                  "tab\tnewline\ncr\rback\bform\f",
                                  "bell\a esc\x1b del\x7f unit\x1f",
                                  "caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80",
                                  "bad \xFF byte",
                                  "cut \xE6\x97",
                                  "lone \x80 continuation",
                                  std::string("nul \0 inside", 12)};
  for (int b = 0; b < 256; ++b) out.push_back(std::string(1, static_cast<char>(b)));
  return out;
}

TEST(JsonWriter, StringsAreEscapedAsNlohmannDumpsThem) {
  for (const std::string& s : Strings()) {
    std::string ours;
    AppendJsonString(ours, s);
    EXPECT_EQ(ours, Dump(Json(s), 2)) << "string of " << s.size() << " bytes";
  }
}

TEST(JsonWriter, DocumentsAreTheBytesOfDump) {
  const Json raw = {{"a", Json::array({1, 2})}, {"b", {{"c", Json::object()}}}};
  Json expected;
  expected["empty object"] = Json::object();
  expected["empty array"] = Json::array();
  expected["n"] = 0;
  expected["big"] = 18446744073709551615ULL;
  expected["t"] = true;
  expected["f"] = false;
  expected["null"] = nullptr;
  expected["list"] = Json::array({"x", Json::array({Json::array()}), {{"k", "v"}}});
  expected["raw"] = Json::array({raw});
  for (const std::string& s : Strings()) expected["strings"].push_back(s);

  std::ostringstream out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("empty object");
  w.BeginObject();
  w.EndObject();
  w.Key("empty array");
  w.BeginArray();
  w.EndArray();
  w.Key("n");
  w.Unsigned(0);
  w.Key("big");
  w.Unsigned(18446744073709551615ULL);
  w.Key("t");
  w.Bool(true);
  w.Key("f");
  w.Bool(false);
  w.Key("null");
  w.Null();
  w.Key("list");
  w.BeginArray();
  w.String("x");
  w.BeginArray();
  w.BeginArray();
  w.EndArray();
  w.EndArray();
  w.BeginObject();
  w.Key("k");
  w.String("v");
  w.EndObject();
  w.EndArray();
  w.Key("raw");
  w.BeginArray();
  w.Raw(raw);
  w.EndArray();
  w.Key("strings");
  w.BeginArray();
  for (const std::string& s : Strings()) w.String(s);
  w.EndArray();
  w.EndObject();
  w.Finish();
  EXPECT_EQ(out.str(), Dump(expected, 2));
}

TEST(JsonWriter, LargeDocumentsAreWrittenWhole) {
  // Past the writer's block size: what is written in blocks is all there.
  Json expected = Json::array();
  std::ostringstream out;
  JsonWriter w(out);
  w.BeginArray();
  for (int i = 0; i < 20000; ++i) {
    const std::string s = "entry " + std::to_string(i);
    expected.push_back(s);
    w.String(s);
  }
  w.EndArray();
  w.Finish();
  EXPECT_EQ(out.str(), Dump(expected, 2));
}

}  // namespace
}  // namespace meshlint::report_detail
