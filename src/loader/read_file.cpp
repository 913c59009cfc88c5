#include "loader/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>

namespace meshlint {

namespace {

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

std::string NotRegular(mode_t mode) {
  using T = std::filesystem::file_type;
  return NotRegularFile(S_ISDIR(mode)    ? T::directory
                        : S_ISCHR(mode)  ? T::character
                        : S_ISBLK(mode)  ? T::block
                        : S_ISFIFO(mode) ? T::fifo
                        : S_ISSOCK(mode) ? T::socket
                                         : T::unknown);
}

std::string TooLarge(const ReadLimits& limits, std::optional<std::uintmax_t> size) {
  std::string message = "larger than the " + ByteSize(limits.max_bytes) + " meshlint reads";
  if (size) message += " (" + ByteSize(*size) + ")";
  return message + ": not read";
}

bool Acceptable(mode_t mode, const ReadLimits& limits) {
  return S_ISREG(mode) || (S_ISFIFO(mode) && limits.allow_pipe);
}

// Reads `fd` to its end into `content`, at most max_bytes + 1 bytes, straight
// into place: a 200 MB file costs 200 MB, not the copies a stream makes.
// `expected` is a regular file's size (0 for a pipe): a read that returns
// every byte it promised and fewer than asked has met the end of the file, so
// an unchanged file takes one read; one that grew since is read on to its end.
std::optional<std::string> ReadDescriptor(int fd, const ReadLimits& limits, std::size_t expected,
                                          std::string& content) {
  const std::size_t cap = limits.max_bytes + 1;
  content.resize(std::min(expected > 0 ? expected + 1 : std::size_t{1} << 16, cap));
  std::size_t total = 0;
  std::optional<std::string> error;
  for (;;) {
    if (total == content.size()) content.resize(std::min(content.size() * 2, cap));
    const std::size_t asked = content.size() - total;
    const ssize_t n = ::read(fd, content.data() + total, asked);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = Errno("cannot read");
      break;
    }
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
    if (total > limits.max_bytes) {
      error = TooLarge(limits, std::nullopt);
      break;
    }
    if (total == expected && static_cast<std::size_t>(n) < asked) break;
  }
  content.resize(error ? 0 : total);
  if (error) content.shrink_to_fit();
  return error;
}

}  // namespace

std::string NotRegularFile(std::filesystem::file_type type) {
  using T = std::filesystem::file_type;
  const char* what = type == T::directory   ? "a directory"
                     : type == T::character ? "a character device"
                     : type == T::block     ? "a block device"
                     : type == T::fifo      ? "a FIFO"
                     : type == T::socket    ? "a socket"
                                            : "not a file";
  return std::string("not a regular file (") + what + "): not read";
}

std::string ByteSize(std::uintmax_t bytes) {
  if (bytes >= (std::uintmax_t{1} << 20)) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (std::uintmax_t{1} << 10)) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

std::optional<std::string> ReadBounded(const std::string& path, const ReadLimits& limits,
                                       std::string& content) {
  content.clear();
  struct stat before;
  if (::stat(path.c_str(), &before) != 0) return Errno("cannot open");
  if (!Acceptable(before.st_mode, limits)) return NotRegular(before.st_mode);
  if (S_ISREG(before.st_mode) && static_cast<std::uintmax_t>(before.st_size) > limits.max_bytes)
    return TooLarge(limits, static_cast<std::uintmax_t>(before.st_size));
  // A FIFO named by the user is opened as `cat` would (its writer may come
  // later). Where a regular file was found, the open must not block even if
  // a FIFO took its place since: O_NONBLOCK, and the type checked again.
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
  if (!S_ISFIFO(before.st_mode)) flags |= O_NONBLOCK;
  int fd;
  do fd = ::open(path.c_str(), flags);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return Errno("cannot open");
  struct stat opened;
  std::optional<std::string> error;
  if (::fstat(fd, &opened) != 0) {
    error = Errno("cannot read");
  } else if ((opened.st_mode & S_IFMT) != (before.st_mode & S_IFMT)) {
    error = NotRegular(opened.st_mode);
  } else {
    const std::size_t expected =
        S_ISREG(opened.st_mode) ? static_cast<std::size_t>(opened.st_size) : 0;
    error = ReadDescriptor(fd, limits, expected, content);
  }
  ::close(fd);
  if (error) content.clear();
  return error;
}

namespace {

// ReadKnownRegular's open and checks: the descriptor (in `fd`, -1 on
// failure) and its status, or why the file is not read.
std::optional<std::string> OpenKnownRegular(const std::string& path, const ReadLimits& limits,
                                            int& fd, struct stat& st) {
  do fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    // The answer ReadBounded gives, in its order: what the path is, then its
    // size, then why it could not be opened (a file too large and unreadable
    // is "larger than", not "permission denied").
    const int open_errno = errno;
    if (::stat(path.c_str(), &st) == 0) {
      if (!Acceptable(st.st_mode, limits)) return NotRegular(st.st_mode);
      if (static_cast<std::uintmax_t>(st.st_size) > limits.max_bytes)
        return TooLarge(limits, static_cast<std::uintmax_t>(st.st_size));
    }
    errno = open_errno;
    return Errno("cannot open");
  }
  std::optional<std::string> error;
  if (::fstat(fd, &st) != 0) error = Errno("cannot read");
  else if (!S_ISREG(st.st_mode)) error = NotRegular(st.st_mode);
  else if (static_cast<std::uintmax_t>(st.st_size) > limits.max_bytes)
    error = TooLarge(limits, static_cast<std::uintmax_t>(st.st_size));
  if (error) {
    ::close(fd);
    fd = -1;
  }
  return error;
}

}  // namespace

std::optional<std::string> ReadKnownRegular(const std::string& path, std::size_t max_bytes,
                                            std::size_t defer, bool& deferred,
                                            std::string& content) {
  content.clear();
  deferred = false;
  const ReadLimits limits{max_bytes, false};
  int fd = -1;
  struct stat st;
  if (auto error = OpenKnownRegular(path, limits, fd, st)) return error;
  std::optional<std::string> error;
  if (static_cast<std::uintmax_t>(st.st_size) > defer) deferred = true;
  else error = ReadDescriptor(fd, limits, static_cast<std::size_t>(st.st_size), content);
  ::close(fd);
  return error;
}

WindowedFile::~WindowedFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> WindowedFile::Open(const std::string& path, std::size_t max_bytes) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  max_bytes_ = max_bytes;
  total_ = 0;
  size_ = 0;
  struct stat st;
  auto error = OpenKnownRegular(path, {max_bytes, false}, fd_, st);
  if (!error) size_ = static_cast<std::size_t>(st.st_size);
  return error;
}

std::optional<std::string> WindowedFile::Append(std::string& buffer, std::size_t bytes, bool& end) {
  end = false;
  if (fd_ < 0) {
    end = true;
    return std::nullopt;
  }
  // One byte past the bound tells a file that grew past it since it was
  // opened from one that ends there. Not past the size it had then either
  // (and a byte to see its end), so that a buffer given room for the file
  // is not outgrown; one that has grown since is read on in small steps.
  const std::size_t left = size_ >= total_ ? size_ - total_ + 1 : 0;
  bytes = std::min({bytes, max_bytes_ + 1 - total_, std::max<std::size_t>(left, 64u << 10)});
  const std::size_t at = buffer.size();
  buffer.resize(at + bytes);
  std::size_t got = 0;
  std::optional<std::string> error;
  while (got < bytes) {
    const ssize_t n = ::read(fd_, buffer.data() + at + got, bytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = Errno("cannot read");
      break;
    }
    if (n == 0) {
      end = true;
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  buffer.resize(at + got);
  total_ += got;
  if (!error && total_ > max_bytes_) error = TooLarge({max_bytes_, false}, std::nullopt);
  if (error || end) {
    ::close(fd_);
    fd_ = -1;
    end = true;
  }
  return error;
}

std::optional<Problem> ReadBounded(const std::string& path, std::uint32_t file,
                                   const ReadLimits& limits, std::string& content) {
  auto error = ReadBounded(path, limits, content);
  if (!error) return std::nullopt;
  return Problem{Location{file, 0, 0, 0, 0}, std::move(*error), {}, ""};
}

std::optional<std::string> ReadStandardInput(const ReadLimits& limits, std::string& content) {
  content.clear();
  // Through std::cin's buffer, so that a caller that gave std::cin another
  // one (an in-process run) is read from.
  std::streambuf* in = std::cin.rdbuf();
  if (!in) return std::nullopt;
  char chunk[1 << 16];
  for (;;) {
    const std::size_t room = limits.max_bytes + 1 - content.size();
    const std::streamsize n =
        in->sgetn(chunk, static_cast<std::streamsize>(std::min(sizeof chunk, room)));
    if (n <= 0) return std::nullopt;
    content.append(chunk, static_cast<std::size_t>(n));
    if (content.size() > limits.max_bytes) {
      content.clear();
      content.shrink_to_fit();
      return TooLarge(limits, std::nullopt);
    }
  }
}

}  // namespace meshlint
