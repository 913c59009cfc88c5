#include "cli/color.h"

#include <sys/ioctl.h>
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

namespace {

// The terminal `out` writes to, or -1.
int TerminalFd(const std::ostream& out) {
  int fd = -1;
  if (&out == &std::cout) fd = STDOUT_FILENO;
  else if (const auto* buf = dynamic_cast<const FdStreambuf*>(out.rdbuf())) fd = buf->fd();
  return fd >= 0 && ::isatty(fd) == 1 ? fd : -1;
}

}  // namespace

bool UseColor(ColorWhen when, const std::ostream& out) {
  if (when != ColorWhen::kAuto) return when == ColorWhen::kAlways;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::string_view(term) == "dumb")
    return false;
  return TerminalFd(out) >= 0;
}

std::size_t TerminalColumns(const std::ostream& out) {
  const int fd = TerminalFd(out);
  if (fd < 0) return 0;
  // Narrower than this, wrapping would leave a word or two a line.
  constexpr std::size_t kMin = 20, kMax = 10000;
  if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(columns, &end, 10);
    if (*end == '\0' && n >= kMin && n <= kMax) return n;
  }
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= kMin && ws.ws_col <= kMax) return ws.ws_col;
  return 0;
}

}  // namespace meshlint
