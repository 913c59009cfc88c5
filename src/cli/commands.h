// The commands and their options: one source for parsing, `--help`, the man
// page and the shell completions (cli/help.cpp, cli/generate.cpp).
#pragma once

#include <boost/program_options.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace meshlint {

// What the help, the man page and the completions say about a command.
struct CommandDoc {
  std::string_view name;         // "lint"
  std::string_view summary;      // one line, for the command list
  std::string_view usage;        // "meshlint lint [PATH...] [options]", lines
  std::string_view description;  // a paragraph
  std::string_view examples;     // "command  # what it does" lines
  std::string_view exit_status;  // one line
  bool takes_paths = false;      // positional PATHs (files, directories, -)
};

std::span<const CommandDoc> Commands();
const CommandDoc* FindCommand(std::string_view name);
// The names of the commands, for "did you mean".
std::vector<std::string> CommandNames();

// The options of a command, in the groups --help shows them in.
struct OptionSet {
  struct Group {
    std::string title;  // "Output options"
    std::vector<boost::shared_ptr<boost::program_options::option_description>> options;
  };
  std::vector<Group> groups;
  // All of them in one description, for parsing.
  boost::program_options::options_description All() const;
};

// The options of `command` (one of Commands(); none for another).
OptionSet CommandOptions(std::string_view command);

// The values an option takes, for completions and "did you mean": the
// formats of --format, the levels of --fail-on, ... Empty for a free value.
std::vector<std::string> OptionChoices(std::string_view command, std::string_view option);

}  // namespace meshlint
