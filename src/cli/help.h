// `meshlint --help`, `meshlint help COMMAND` and `COMMAND --help`, written
// from the commands' table and options (cli/commands.h), in the layout of
// the tools people know: a usage line, a paragraph, grouped options with
// their argument and default, examples.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace meshlint {

// One option as the help, the man page and the completions show it.
struct OptionView {
  std::string long_name;      // "format"
  char short_name = 0;        // 'f', or 0
  std::string argument;       // "FORMAT", or "" for a flag
  std::string default_value;  // "text", or ""
  std::string description;
};
struct OptionGroup {
  std::string title;  // "Output options"
  std::vector<OptionView> options;
};
// The groups of `options`, as the help shows them.
std::vector<OptionGroup> Groups(const OptionSet& options);

void WriteMainHelp(std::ostream& out);
void WriteCommandHelp(std::ostream& out, const CommandDoc& command);
// -V / --version: the version, the commit and build it was made from, and
// the libraries it was built with.
void WriteVersion(std::ostream& out);

// The hidden generators (cli/generate.cpp), run at build time to make the
// man page and the completions that cmake --install puts in place.
void WriteManPage(std::ostream& out);
// `shell`: bash, zsh or fish; false for another.
bool WriteCompletion(std::ostream& out, std::string_view shell);

}  // namespace meshlint
