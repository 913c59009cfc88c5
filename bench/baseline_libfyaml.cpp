// libfyaml, the other conformant C parser Debian ships, read two ways:
//   baseline_libfyaml events PATH...     every event, building nothing (as
//                                        baseline_libyaml does with libyaml)
//   baseline_libfyaml documents PATH...  each document built as a tree and freed
// Single-threaded; directories are walked for .yaml/.yml/.json. Built only
// when CMake finds libfyaml (ci/setup installs libfyaml-dev).
#include <libfyaml.h>

#include <cstring>
#include <iostream>

#include "inputs.h"

namespace {

struct Counts {
  std::size_t documents = 0, events = 0, errors = 0;
};

// Errors are counted, not printed: a diagnostic object that writes nothing.
fy_diag* SilentDiag() {
  fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = nullptr;
  dcfg.output_fn = [](fy_diag*, void*, const char*, size_t) {};
  return fy_diag_create(&dcfg);
}

fy_parser* NewParser(fy_diag* diag) {
  fy_parse_cfg cfg;
  std::memset(&cfg, 0, sizeof cfg);
  cfg.diag = diag;
  // Sloppy flow indentation: a flow collection closed at its key's own
  // indentation is common in real manifests, and yaml-cpp and libyaml read it.
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 |
                                              FYPCF_JSON_NONE | FYPCF_SLOPPY_FLOW_INDENTATION);
  return fy_parser_create(&cfg);
}

void ParseEvents(fy_parser* parser, Counts& counts) {
  while (fy_event* event = fy_parser_parse(parser)) {
    ++counts.events;
    if (event->type == FYET_DOCUMENT_START) ++counts.documents;
    fy_parser_event_free(parser, event);
  }
}

void ParseDocuments(fy_parser* parser, Counts& counts) {
  while (fy_document* doc = fy_parse_load_document(parser)) {
    ++counts.documents;
    fy_parse_document_destroy(parser, doc);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool documents = argc > 1 && std::strcmp(argv[1], "documents") == 0;
  if (argc < 2 || (!documents && std::strcmp(argv[1], "events") != 0)) {
    std::cerr << "usage: baseline_libfyaml events|documents PATH...\n";
    return 2;
  }
  Counts counts;
  std::size_t files = 0, bytes = 0;
  fy_diag* diag = SilentDiag();
  for (const auto& path : bench::ListInputs(argc, argv, 2)) {
    const std::string text = bench::ReadAll(path);
    ++files;
    bytes += text.size();
    fy_parser* parser = NewParser(diag);
    if (parser == nullptr || fy_parser_set_string(parser, text.data(), text.size()) != 0) {
      ++counts.errors;
    } else {
      if (documents) ParseDocuments(parser, counts);
      else ParseEvents(parser, counts);
      if (fy_parser_get_stream_error(parser)) ++counts.errors;  // the generated inputs have none
    }
    if (parser != nullptr) fy_parser_destroy(parser);
  }
  if (diag != nullptr) fy_diag_destroy(diag);
  std::cout << files << " files, " << counts.documents << " documents, " << counts.events
            << " events, " << bytes << " bytes, " << counts.errors << " files with YAML errors\n";
  return 0;
}
