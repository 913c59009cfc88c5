// Reading a file meshlint was given, with a bound: every file a user or a
// pull request controls is read through here (manifests, --mesh-config,
// --policy, the project config and the files it names, baselines).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "model/problem.h"

namespace meshlint {

struct ReadLimits {
  // At most this many bytes: a larger file is refused, by its size before
  // reading when it has one, else after reading one byte more.
  std::size_t max_bytes = 0;
  // A pipe (a FIFO, `<(helm template ...)`) is read too; else only a regular
  // file is. Devices, sockets and directories never are.
  bool allow_pipe = false;
};

// Per-file bounds (README: Security and threat model).
inline constexpr std::size_t kMaxManifestFileBytes = std::size_t{256} << 20;
inline constexpr std::size_t kMaxSettingsFileBytes = std::size_t{32}
                                                     << 20;  // mesh config, policy, project config

// Reads the file at `path` (following symbolic links) into `content`:
// stat first, refuse what is not a regular file (or a pipe, when allowed) and
// what is larger than the limit, then read through the one open at most
// limit + 1 bytes. A FIFO is opened so that the open itself cannot block when
// a regular file was required (one swapped in after the stat). Returns why it
// was not read, as a sentence ("not a regular file (a character device): not
// read"), or nullopt with the bytes in `content`. Never quotes the file.
std::optional<std::string> ReadBounded(const std::string& path, const ReadLimits& limits,
                                       std::string& content);

// ReadBounded for a path the caller has already seen to be a regular file
// (a directory walk's entry, a file named on the command line), at most
// `max_bytes`, with the same checks and messages in about half the system
// calls: opened first, never blocking, its type checked on the descriptor
// before a byte is read, and read in one call when the file has the size it
// had when opened. Only if something was swapped in since the caller looked
// (a race) is a FIFO or device opened, and then refused unread. A file larger
// than `defer` bytes is closed unread and `deferred` set: the caller reads it
// its own way.
std::optional<std::string> ReadKnownRegular(const std::string& path, std::size_t max_bytes,
                                            std::size_t defer, bool& deferred,
                                            std::string& content);

// A regular file read a window at a time, so that a big one is never in
// memory whole: opened and checked as ReadKnownRegular does, with its
// messages, and bounded in all by `max_bytes`.
class WindowedFile {
 public:
  WindowedFile() = default;
  WindowedFile(const WindowedFile&) = delete;
  WindowedFile& operator=(const WindowedFile&) = delete;
  ~WindowedFile();

  // Why the file cannot be read, or nullopt.
  std::optional<std::string> Open(const std::string& path, std::size_t max_bytes);
  // Appends up to `bytes` more of the file to `buffer`, and sets `end` when
  // the file has no more (or on an error). Why reading failed (the file grew
  // past the bound, a read error), or nullopt.
  std::optional<std::string> Append(std::string& buffer, std::size_t bytes, bool& end);
  // The file's size when it was opened (it may change while it is read).
  std::size_t size() const { return size_; }

 private:
  int fd_ = -1;
  std::size_t max_bytes_ = 0;
  std::size_t total_ = 0;  // bytes read so far
  std::size_t size_ = 0;
};

// The same, the reason as a Problem about file `file` (an index into the
// run's FileTable) as a whole.
std::optional<Problem> ReadBounded(const std::string& path, std::uint32_t file,
                                   const ReadLimits& limits, std::string& content);

// Reads standard input to its end, at most limits.max_bytes (a larger input
// is refused after one byte more).
std::optional<std::string> ReadStandardInput(const ReadLimits& limits, std::string& content);

// "not a regular file (a character device): not read": why a path of that
// type is refused where a file is required.
std::string NotRegularFile(std::filesystem::file_type type);

// "256 MiB", "1.5 KiB": a byte count for messages.
std::string ByteSize(std::uintmax_t bytes);

}  // namespace meshlint
