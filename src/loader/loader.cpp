// Scheduling: the inputs' files and documents are loaded in parallel batches
// and merged in input order, so the model never depends on the threads.
#include "loader/loader.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <system_error>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "loader/document.h"
#include "loader/inputs.h"
#include "loader/mesh_config.h"
#include "loader/phase_clock.h"
#include "loader/read_file.h"
#include "loader/split.h"
#include "loader/text.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

// Runs fn(0) ... fn(n - 1) on up to `jobs` threads; the calling thread, one
// of them, runs after_own() after each unit it ran (and the helpers never do).
template <typename Fn, typename After>
void ParallelFor(std::size_t n, unsigned jobs, Fn fn, After after_own) {
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, n));
  if (jobs <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      fn(i);
      after_own();
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  const auto work = [&](bool own) {
    for (std::size_t i = next++; i < n; i = next++) {
      fn(i);
      if (own) after_own();
    }
  };
  std::vector<std::thread> pool;
  // A thread the system will not give (a process limit) only means fewer
  // helpers: this thread works too, so the loop ends with none at all.
  for (unsigned t = 1; t < jobs; ++t) {
    try {
      pool.emplace_back(work, false);
    } catch (const std::system_error&) {
      break;
    }
  }
  work(true);
  for (auto& th : pool) th.join();
}

template <typename Fn>
void ParallelFor(std::size_t n, unsigned jobs, Fn fn) {
  ParallelFor(n, jobs, fn, [] {});
}

// Files are the unit of parallel work: a thread takes the next file, reads,
// splits, scans and classifies it whole, and leaves its objects in the
// file's slot; the calling thread, between its own files, moves the slots
// finished in input order into the model. No thread waits for a group to
// finish, and the only serial work is that concatenation. A big file (a
// rendered bundle) is cut into batches of documents instead, so it does not
// keep one core busy while the others idle. Either way results are merged in
// input order, so the model does not depend on `jobs`.
constexpr std::uintmax_t kBigFile = 1u << 20;
constexpr std::size_t kBatchBytes = 256u << 10;
// Pieces of a big file searched for document markers, one per unit of work.
constexpr std::size_t kPieceBytes = 256u << 10;
// How much of a big file is read at once (LoadWindows).
constexpr std::size_t kWindowBytes = std::size_t{8} << 20;

class Scheduler {
 public:
  Scheduler(std::vector<InputFile>& inputs, const LoadOptions& options, const fs::path& base,
            MeshModel& model, PhaseClock& clock)
      : inputs_(inputs), options_(options), base_(base), model_(model), clock_(clock) {
    for (const auto& f : inputs_) ids_.push_back(model_.files.Add(f.display, f.absolute));
    jobs_ = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    clock_.SetThreads(jobs_);
    // Helm `# Source:` templates become files of their own. They are
    // registered while a rendered stream is cut into documents, in document
    // order, before its documents load in parallel: file indices, and so the
    // output, do not depend on the threads.
    source_file_ = [this](const std::string& path) {
      auto [it, fresh] = sources_.emplace(path, 0);
      if (fresh) it->second = model_.files.Add(path, (base_ / path).lexically_normal().string());
      return it->second;
    };
  }

  void Run() {
    std::size_t i = 0;
    while (i < inputs_.size()) {
      if (InSequence(i)) {
        LoadBig(i);
        ++i;
        continue;
      }
      std::size_t j = i + 1;
      while (j < inputs_.size() && !InSequence(j)) ++j;
      LoadFiles(i, j);
      i = j;
    }
  }

 private:
  // Reads input i; false (with the problem in r) when it cannot be read.
  // With `big`: a file over kBigFile is not read, and *big set.
  bool Read(std::size_t i, std::string& content, Objects& r, bool* big = nullptr) {
    InputFile& f = inputs_[i];
    std::string error;
    if (f.skip_reason.empty()) {
      if (f.is_stdin || f.from_pipe) {
        if (big && f.preloaded.size() > kBigFile) {
          *big = true;
          return false;
        }
        content = std::move(f.preloaded);
        return true;
      }
      // Every file here was seen to be a regular file: by the walk, or when
      // named on the command line.
      bool deferred = false;
      auto failed = ReadKnownRegular(f.absolute, kMaxManifestFileBytes,
                                     big ? kBigFile : kMaxManifestFileBytes, deferred, content);
      if (deferred && big) {
        *big = true;
        return false;
      }
      if (!failed) return true;
      error = std::move(*failed);
    }
    ++r.stats.files;
    r.problems.push_back(
        {Location{ids_[i], 1, 1, 1, 1}, f.skip_reason.empty() ? error : f.skip_reason, {}, ""});
    return false;
  }

  // A rendered stream (stdin, a pipe, a rendered kustomization) registers
  // its `# Source:` files as it is cut: loaded on its own, in input order.
  bool InSequence(std::size_t i) const {
    return inputs_[i].skip_reason.empty() && inputs_[i].rendered;
  }

  // Files [i, j), none in sequence, a file per unit. A big one is only
  // noted by the threads; it loads in batches when its turn to merge comes.
  void LoadFiles(std::size_t i, std::size_t j) {
    const std::size_t n = j - i;
    std::vector<Objects> results(n);
    std::vector<char> big(n, 0);
    std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]);
    for (std::size_t k = 0; k < n; ++k) done[k].store(false, std::memory_order_relaxed);
    std::size_t merged = 0;  // results before it are in the model
    const auto merge_finished = [&] {
      while (merged < n && done[merged].load(std::memory_order_acquire) && !big[merged])
        model_.Append(std::move(results[merged++]));
    };
    ParallelFor(
        n, jobs_,
        [&](std::size_t k) {
          BusyTimer timer(&clock_);
          const std::size_t f = i + k;
          // Each thread reads its files into one buffer (under kBigFile:
          // a big file is only noted here): a fresh one per file was new
          // pages to fault in for every file, and its freed pages to give
          // back. Nothing read from it keeps a view into it.
          thread_local std::string content;
          content.clear();
          bool is_big = false;
          if (Read(f, content, results[k], &is_big))
            LoadContent(content, ids_[f], inputs_[f].is_json, options_, results[k]);
          big[k] = is_big;
          done[k].store(true, std::memory_order_release);
        },
        merge_finished);
    for (; merged < n; ++merged) {
      if (big[merged]) LoadBig(i + merged);
      else model_.Append(std::move(results[merged]));
    }
  }

  // `region` cut into documents as SplitContent cuts it, its pieces checked
  // for binary data (FindBinary) and searched for document markers on the
  // threads: done by SplitContent on one thread, that was a tenth of the
  // instructions of loading a 12 MB kustomize bundle, with the other cores
  // idle. The region is a whole file's text, or a window of one from the
  // start of a line to just after a line break or to the file's end; `bom`:
  // it begins the file, and a BOM there is not text. The chunks' lines count
  // from the region's first; `line_breaks` is set to the region's. False
  // when a piece is not text.
  bool SplitRegion(std::string_view region, bool bom, std::vector<DocumentChunk>& chunks,
                   std::uint32_t& line_breaks) {
    const std::string_view text = bom ? StripBom(region) : region;
    const auto ranges = CutAtLines(text, kPieceBytes);
    std::vector<PieceMarkers> pieces(ranges.size());
    std::vector<char> binary(ranges.size(), 0);
    ParallelFor(ranges.size(), jobs_, [&](std::size_t k) {
      BusyTimer timer(&clock_);
      const auto [begin, end] = ranges[k];
      binary[k] =
          FindBinary(bom ? PieceWithBom(region, ranges[k]) : text.substr(begin, end - begin))
              .has_value();
      pieces[k] = FindMarkers(text, begin, end);
    });
    for (const char b : binary)
      if (b) return false;
    chunks = ChunksFromMarkers(text, pieces);
    line_breaks = 0;
    for (const PieceMarkers& p : pieces) line_breaks += p.line_breaks;
    return true;
  }

  // A big file is read a window at a time (WindowedFile) when it is a plain
  // YAML file on disk: JSON is one document, and stdin, pipes and rendered
  // kustomizations are in memory already.
  bool Windowed(std::size_t i) const {
    const InputFile& f = inputs_[i];
    return f.skip_reason.empty() && !f.is_stdin && !f.from_pipe && !f.rendered && !f.is_json;
  }

  // Big file i into the model, batches of documents per unit.
  void LoadBig(std::size_t i) {
    if (Windowed(i) && LoadWindows(i)) return;
    Objects head;
    std::string content;
    std::vector<DocumentChunk> chunks;
    bool split = Read(i, content, head);
    if (split && !inputs_[i].is_json) {
      std::uint32_t lines = 0;
      if (SplitRegion(content, true, chunks, lines)) ++head.stats.files;
      else split = SplitContent(content, ids_[i], false, head, chunks);  // says where
    } else if (split) {
      split = SplitContent(content, ids_[i], true, head, chunks);
    }
    model_.Append(std::move(head));
    if (split) LoadChunks(i, chunks);
  }

  // Big file i read a window at a time, each window cut just before its
  // last document marker and loaded before the next is read: only about a
  // window of the file is in memory, not all of it (a 60 MB rendered overlay
  // cost its size again on top of the model). It loads as the whole file
  // would. False, with nothing of it in the model, when a window is not
  // text: the whole file is then read for SplitContent to say where.
  bool LoadWindows(std::size_t i) {
    const Objects::Marker mark = model_.Mark();
    Objects head;
    ++head.stats.files;
    // As Read reports a file it cannot read: nothing of it is loaded.
    const auto unreadable = [&](std::string error) {
      model_.Truncate(mark);
      head.problems.push_back({Location{ids_[i], 1, 1, 1, 1}, std::move(error), {}, ""});
      model_.Append(std::move(head));
      return true;
    };
    WindowedFile file;
    if (auto error = file.Open(inputs_[i].absolute, kMaxManifestFileBytes))
      return unreadable(std::move(*error));
    const std::size_t window = options_.window_bytes ? options_.window_bytes : kWindowBytes;
    std::string buffer;
    std::uint32_t first_line = 1;  // of the buffer's first byte, in the file
    std::size_t searched = 0;      // where LastMarkerLine looks from
    std::size_t looked = 0;        // how much of the buffer it has seen
    std::size_t dropped = 0;       // bytes of the file before the buffer's
    std::size_t want = window;
    bool end = false;
    for (bool first = true;;) {
      while (!end && buffer.size() < want)
        if (auto error = file.Append(buffer, want - buffer.size(), end))
          return unreadable(std::move(*error));
      // Only a line that ended since the last look can be a new marker
      // line: without one, a long line is not searched again.
      const std::string_view fresh = std::string_view(buffer).substr(looked);
      const std::size_t cut = end ? buffer.size()
                              : fresh.find('\n') == std::string_view::npos
                                  ? 0
                                  : LastMarkerLine(buffer, searched);
      if (!end && cut == 0) {
        // No marker since the last look: one document longer than a window.
        // The next look starts at the line still open (a marker line may
        // be cut by the read), and the buffer is given room for the rest
        // of the file at once rather than doubled as it grows.
        const std::size_t open = fresh.rfind('\n');
        if (open != std::string_view::npos) searched = looked + open + 1;
        looked = buffer.size();
        const std::size_t rest = file.size() > dropped ? file.size() - dropped : 0;
        buffer.reserve(rest + 1);  // not more: past its capacity it would double
        want = buffer.size() + window;
        continue;
      }
      std::vector<DocumentChunk> chunks;
      std::uint32_t lines = 0;
      if (!SplitRegion(std::string_view(buffer).substr(0, cut), first, chunks, lines)) {
        model_.Truncate(mark);
        return false;
      }
      for (DocumentChunk& chunk : chunks) chunk.first_line += first_line - 1;
      LoadChunks(i, chunks);
      if (end) break;
      buffer.erase(0, cut);
      dropped += cut;
      if (buffer.capacity() > 4 * window) buffer.shrink_to_fit();  // after a long document
      first_line += lines;
      first = false;
      searched = looked = 0;
      want = window;
    }
    model_.Append(std::move(head));
    return true;
  }

  // Chunks of big file i, batches of documents per unit, into the model:
  // the calling thread, between its own batches, moves those finished in
  // order into the model, so that little is left to merge when the last
  // batch ends.
  void LoadChunks(std::size_t i, std::vector<DocumentChunk>& chunks) {
    std::vector<std::uint32_t> files(chunks.size());
    for (std::size_t c = 0; c < chunks.size(); ++c)
      files[c] = AttributeSource(chunks[c], ids_[i], inputs_[i].is_json,
                                 inputs_[i].rendered ? &source_file_ : nullptr);
    std::vector<std::pair<std::size_t, std::size_t>> batches;  // [first, last) chunks
    for (std::size_t c = 0; c < chunks.size();) {
      std::size_t e = c, bytes = 0;
      while (e < chunks.size() && (e == c || bytes < kBatchBytes)) bytes += chunks[e++].text.size();
      batches.emplace_back(c, e);
      c = e;
    }
    const std::size_t n = batches.size();
    std::vector<Objects> results(n);
    std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]);
    for (std::size_t b = 0; b < n; ++b) done[b].store(false, std::memory_order_relaxed);
    const bool note = inputs_[i].rendered && !inputs_[i].is_stdin;
    std::size_t merged = 0;  // batches before it are in the model
    const auto merge_finished = [&] {
      for (; merged < n && done[merged].load(std::memory_order_acquire); ++merged) {
        if (note) NoteRenderer(inputs_[i].display, results[merged]);
        model_.Append(std::move(results[merged]));
      }
    };
    ParallelFor(
        n, jobs_,
        [&](std::size_t b) {
          {
            BusyTimer timer(&clock_);
            for (std::size_t c = batches[b].first; c < batches[b].second; ++c)
              LoadChunk(chunks[c], files[c], options_, results[b]);
          }
          done[b].store(true, std::memory_order_release);
        },
        merge_finished);
    merge_finished();
  }

  // Each object a kustomization rendered remembers it, by its file.
  void NoteRenderer(const std::string& kustomization, const Objects& r) {
    r.ForEachMeta([&](const ObjectMeta& meta) {
      auto& by = model_.load_report.rendered_by[meta.ref.FullyQualifiedName()];
      if (std::find(by.begin(), by.end(), kustomization) == by.end()) by.push_back(kustomization);
    });
  }

  std::vector<InputFile>& inputs_;
  const LoadOptions& options_;
  const fs::path& base_;
  MeshModel& model_;
  PhaseClock& clock_;
  std::vector<std::uint32_t> ids_;
  unsigned jobs_ = 1;
  std::map<std::string, std::uint32_t> sources_;
  SourceFileFn source_file_;
};

// The file texts, trees and per-file results freed while loading (and the
// validation's, while finalizing) leave free pages inside the threads' malloc
// arenas, still counted in the RSS until something reuses them. Given back to
// the system here: egress on ci/bench's 100k block mesh peaks about 11 MB
// lower (docs/performance.md, "Memory"). Only glibc has it; nothing else
// depends on it.
void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace

void LoadText(std::string_view text, const std::string& display_name, const LoadOptions& options,
              MeshModel& model) {
  std::uint32_t id = model.files.Add(display_name, display_name);
  Objects r;
  std::map<std::string, std::uint32_t> sources;
  SourceFileFn source_file = [&](const std::string& path) {
    auto [it, fresh] = sources.emplace(path, 0);
    if (fresh) it->second = model.files.Add(path, path);
    return it->second;
  };
  LoadContent(text, id, display_name.ends_with(".json"), options, r,
              display_name == "<stdin>" ? &source_file : nullptr);
  model.Append(std::move(r));
}

void LoadMeshConfigText(std::string_view text, const std::string& display_name,
                        const LoadOptions& options, MeshModel& model) {
  std::uint32_t id = model.files.Add(display_name, display_name);
  Objects r;
  LoadMeshConfigContent(text, id, options, r);
  model.Append(std::move(r));
}

std::vector<InputError> LoadInputs(const std::vector<std::string>& paths,
                                   const LoadOptions& options, MeshModel& model) {
  PhaseClock clock;
  std::vector<InputError> errors;
  const fs::path base = options.base_dir.empty() ? fs::current_path() : fs::path(options.base_dir);
  std::vector<InputFile> inputs =
      EnumerateInputs(paths, options, base, errors, model.input_notes, model.load_report);
  clock.Mark("inputs");
  Scheduler(inputs, options, base, model, clock).Run();
  ReleaseFreeMemory();
  clock.Mark("load");

  if (!options.mesh_config_file.empty()) {
    fs::path p(options.mesh_config_file);
    std::string content;
    if (auto error = ReadBounded(p.string(), {kMaxSettingsFileBytes, false}, content)) {
      errors.push_back({options.mesh_config_file, *error});
    } else {
      std::string abs = fs::absolute(p).lexically_normal().string();
      std::uint32_t id = model.files.Add(DisplayPath(abs, base), abs);
      Objects r;
      LoadMeshConfigContent(content, id, options, r);
      // A file that holds no settings (a Deployment, an empty file) is a
      // mistake on the command line, not an empty MeshConfig.
      if (r.mesh_sources.empty() && r.problems.empty())
        errors.push_back({options.mesh_config_file,
                          "holds no mesh config (a MeshConfig document, an IstioOperator with "
                          "spec.meshConfig, a ConfigMap istio with data.mesh, istiod Helm values "
                          "with meshConfig, or a HelmRelease, Argo CD Application or Sail Istio "
                          "of the istiod chart)"});
      model.Append(std::move(r));
    }
  }
  MergeDuplicateObjects(model, model.load_report, options.jobs);
  clock.Mark("duplicates");
  model.istio_version = options.istio_version;
  model.Finalize();
  ReleaseFreeMemory();
  clock.Mark("finalize");
  return errors;
}

}  // namespace meshlint
