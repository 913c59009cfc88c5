// Writing reports to files and streams without following what a pull request
// planted: every report file (--output, --report, --write-baseline, egress
// -o) goes through WriteOutputFile, stdout and stderr through FdStreambuf.
// docs/security.md ("Report files") describes the behaviour for users.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

namespace meshlint {

// An unowned file descriptor as a stream buffer that remembers why a write
// failed (errno), which std::ofstream and std::cout do not tell.
class FdStreambuf : public std::streambuf {
 public:
  explicit FdStreambuf(int fd);
  ~FdStreambuf() override;
  FdStreambuf(const FdStreambuf&) = delete;
  FdStreambuf& operator=(const FdStreambuf&) = delete;

  // errno of the first failed write, 0 when none failed.
  int error() const { return error_; }
  // The descriptor written to (--color auto asks whether it is a terminal).
  int fd() const { return fd_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  bool Drain();
  bool WriteAll(const char* data, std::size_t size);

  int fd_;
  int error_ = 0;
  std::vector<char> buffer_;
};

// Why writing to `stream` failed, as strerror says it, when it writes
// through an FdStreambuf that recorded the reason; else "".
std::string StreamFailure(const std::ostream& stream);

// Writes what `write` renders to the file at `path`; nullopt when all of it
// was written, else the sentence to print after "meshlint: " (it names the
// path, unescaped, and always gives the reason):
// - absent or a regular file: a new file, created exclusively beside it
//   under a random name (never following a link, mode from the umask), is
//   written, closed and renamed over it, so a reader sees the old report or
//   the new one, and concurrent runs never share a temporary file. An
//   existing read-only file is refused: the rename would replace it anyway.
// - a FIFO, a character device, or one of this process's own descriptors
//   (/dev/stdout, /dev/fd/N): written in place, appending, never truncated
//   or replaced.
// - a symbolic link (other than to this process's descriptors) is followed
//   only to a FIFO, a terminal, /dev/null, /dev/zero or /dev/full; a link to
//   a file, a directory or another device, and a dangling link, are refused,
//   so a link committed where the report goes cannot redirect it.
// - a directory, a block device or a socket: refused.
std::optional<std::string> WriteOutputFile(const std::string& path,
                                           const std::function<void(std::ostream&)>& write);

}  // namespace meshlint
