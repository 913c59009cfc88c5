// The floor for reading YAML at all: libyaml's event parser over every byte of
// every input, single-threaded, building nothing (each event is dropped as
// soon as it is made). A conformant parser cannot do much less work than this,
// so a linter that reads YAML faster is skipping parts of it.
//
//   baseline_libyaml PATH...   (directories are walked for .yaml/.yml/.json)
#include <yaml.h>

#include <iostream>

#include "inputs.h"

namespace {

struct Counts {
  std::size_t documents = 0, events = 0, errors = 0;
};

void ParseEvents(const std::string& text, Counts& counts) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    ++counts.errors;
    return;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  for (;;) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      ++counts.errors;  // counted; the generated inputs have none
      break;
    }
    ++counts.events;
    const yaml_event_type_t type = event.type;
    if (type == YAML_DOCUMENT_START_EVENT) ++counts.documents;
    yaml_event_delete(&event);
    if (type == YAML_STREAM_END_EVENT) break;
  }
  yaml_parser_delete(&parser);
}

}  // namespace

int main(int argc, char** argv) {
  Counts counts;
  std::size_t files = 0, bytes = 0;
  for (const auto& path : bench::ListInputs(argc, argv, 1)) {
    const std::string text = bench::ReadAll(path);
    ++files;
    bytes += text.size();
    ParseEvents(text, counts);
  }
  std::cout << files << " files, " << counts.documents << " documents, " << counts.events
            << " events, " << bytes << " bytes, " << counts.errors << " files with YAML errors\n";
  return 0;
}
