// --color auto|always|never: whether the text report on stdout is coloured
// (severity, rule id, location). auto colours a terminal only, and not when
// NO_COLOR is set to anything but "" (https://no-color.org) or TERM is dumb;
// always and never win over both.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace meshlint {

enum class ColorWhen { kAuto, kAlways, kNever };

// --color's value; UsageError (with a suggestion) for another word.
ColorWhen ParseColorWhen(const std::string& value);

// Whether to colour what is written to `out`: for auto, `out` must write to
// a terminal (std::cout, or an FdStreambuf on one, as main() gives RunCli).
bool UseColor(ColorWhen when, const std::ostream& out);

// The width to wrap the text report at: 0 unless `out` writes to a terminal
// (as for UseColor: never in a pipe or a file); then COLUMNS when it is a
// number, else the terminal's own (TIOCGWINSZ), else 0.
std::size_t TerminalColumns(const std::ostream& out);

}  // namespace meshlint
