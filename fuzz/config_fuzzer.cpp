// Fuzzes the project configuration parser (.meshlint.yaml: rules, severities,
// paths, suppressions with RE2 object patterns, inline egress policy) and its
// validation. The config comes with the repository, so a pull request can
// change it: any bytes must end as errors with a position, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/config.h"
#include "loader/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  meshlint::ProjectConfig config;
  // A directory that does not exist: paths the config names are looked up
  // relative to it and never found, so the fuzzer reads no real file.
  const auto errors =
      meshlint::ParseConfig(text, "/nonexistent-meshlint-fuzz/.meshlint.yaml", config);
  for (const auto& e : errors)
    if (e.message.empty()) std::abort();  // every error says what is wrong
  if (errors.empty()) meshlint::ValidateConfig(config);
  return 0;
}
