#include "cli/color.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/commands.h"
#include "cli/file_output.h"
#include "cli/settings.h"
#include "loader/suggest.h"

namespace meshlint {

ColorWhen ParseColorWhen(const std::string& value) {
  if (value == "auto") return ColorWhen::kAuto;
  if (value == "always") return ColorWhen::kAlways;
  if (value == "never") return ColorWhen::kNever;
  throw UsageError("--color must be auto, always or never, got '" + value + "'" +
                   DidYouMean(value, OptionChoices("lint", "color")));
}

bool UseColor(ColorWhen when, const std::ostream& out) {
  if (when != ColorWhen::kAuto) return when == ColorWhen::kAlways;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::string_view(term) == "dumb")
    return false;
  int fd = -1;
  if (&out == &std::cout) fd = STDOUT_FILENO;
  else if (const auto* buf = dynamic_cast<const FdStreambuf*>(out.rdbuf())) fd = buf->fd();
  return fd >= 0 && ::isatty(fd) == 1;
}

}  // namespace meshlint
