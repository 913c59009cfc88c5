#include "cli/file_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <random>

namespace meshlint {
namespace fs = std::filesystem;

FdStreambuf::FdStreambuf(int fd) : fd_(fd), buffer_(1 << 16) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

FdStreambuf::~FdStreambuf() { Drain(); }

bool FdStreambuf::WriteAll(const char* data, std::size_t size) {
  while (size > 0 && error_ == 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n < 0 ? errno : EIO;
      break;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return error_ == 0;
}

bool FdStreambuf::Drain() {
  const std::size_t pending = static_cast<std::size_t>(pptr() - pbase());
  // After a failure nothing more is written: the stream is bad anyway, and
  // a later write succeeding would hide that bytes are missing.
  const bool ok = error_ == 0 && WriteAll(pbase(), pending);
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return ok;
}

FdStreambuf::int_type FdStreambuf::overflow(int_type c) {
  if (!Drain()) return traits_type::eof();
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

std::streamsize FdStreambuf::xsputn(const char* s, std::streamsize n) {
  const std::size_t size = static_cast<std::size_t>(n);
  if (size <= static_cast<std::size_t>(epptr() - pptr())) {
    std::memcpy(pptr(), s, size);
    pbump(static_cast<int>(size));
    return n;
  }
  if (!Drain() || !WriteAll(s, size)) return 0;
  return n;
}

int FdStreambuf::sync() { return Drain() ? 0 : -1; }

std::string StreamFailure(const std::ostream& stream) {
  const auto* buf = dynamic_cast<const FdStreambuf*>(stream.rdbuf());
  return buf && buf->error() ? std::strerror(buf->error()) : "";
}

namespace {

enum class Way {
  kRefuse,         // `refusal` says why
  kReplace,        // a new file renamed over the path (absent or a regular file)
  kInPlace,        // opened and appended to: a device or FIFO the user named
  kInPlaceNoWait,  // the same, but a FIFO nobody reads fails instead of blocking
  kDescriptor,     // one of this process's open descriptors, `fd`
};

struct Plan {
  Way way = Way::kRefuse;
  std::string refusal;
  int fd = -1;
};

Plan Refuse(std::string why) { return Plan{Way::kRefuse, std::move(why)}; }

// This process's descriptor directory as the kernel names it (/proc/PID/fd).
const std::string& OwnFdDir() {
  static const std::string dir = [] {
    std::error_code ec;
    const fs::path p = fs::canonical("/proc/self/fd", ec);
    return ec ? std::string() : p.string();
  }();
  return dir;
}

// The descriptor of this process that `path` reaches (/dev/stdout,
// /dev/fd/1, /proc/self/fd/1), following the links one at a time to one
// that lies in this process's descriptor directory; -1 when it reaches none.
// The report is written to that descriptor itself: reopening it by name
// would need permission to open what it refers to (a pipe or a file the
// shell made for another user), which the descriptor already has.
int OwnDescriptor(const std::string& path) {
  if (OwnFdDir().empty()) return -1;
  fs::path p = path;
  for (int hop = 0; hop < 40; ++hop) {
    std::error_code ec;
    const fs::path parent = fs::canonical(p.has_parent_path() ? p.parent_path() : ".", ec);
    if (!ec && parent == OwnFdDir()) {
      const std::string name = p.filename().string();
      if (name.empty() || name.size() > 9 ||
          name.find_first_not_of("0123456789") != std::string::npos)
        return -1;
      return std::stoi(name);
    }
    if (!fs::is_symlink(p, ec)) return -1;
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) return -1;
    p = target.is_absolute() ? target : (p.parent_path() / target);
  }
  return -1;
}

// The devices a link may lead a report to: terminals and the null, zero and
// full devices. Not memory, ports, disks or anything whose open acts.
bool IsHarmlessDevice(dev_t rdev) {
  const unsigned ma = major(rdev), mi = minor(rdev);
  if (ma == 1) return mi == 3 || mi == 5 || mi == 7;      // null, zero, full
  return ma == 4 || ma == 5 || (ma >= 136 && ma <= 143);  // ttys, /dev/tty, ptys
}

const char* KindName(mode_t mode) {
  if (S_ISREG(mode)) return "a file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISCHR(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a FIFO";
}

Plan ThroughLink(const std::string& path) {
  struct stat st {};
  if (const int fd = OwnDescriptor(path); fd >= 0) {
    if (::fstat(fd, &st) != 0) return Refuse(std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return Refuse("it is a directory");
    return Plan{Way::kDescriptor, "", fd};
  }
  if (::stat(path.c_str(), &st) != 0)
    return Refuse("it is a symbolic link that leads nowhere (" + std::string(std::strerror(errno)) +
                  "); reports are not written through links");
  if (S_ISFIFO(st.st_mode) || (S_ISCHR(st.st_mode) && IsHarmlessDevice(st.st_rdev)))
    return Plan{Way::kInPlaceNoWait, ""};
  return Refuse(std::string("it is a symbolic link to ") + KindName(st.st_mode) +
                "; reports are not written through links (name the file itself)");
}

Plan Decide(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Plan{Way::kReplace, ""};
    return Refuse(std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) return ThroughLink(path);
  if (S_ISREG(st.st_mode)) {
    // The rename would replace a read-only file as if it were writable (and
    // root may write any file): the mode decides, for every user alike.
    const bool no_write_bit = (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0;
    if (no_write_bit || (::access(path.c_str(), W_OK) != 0 && errno == EACCES))
      return Refuse(
          "the file is read-only (a report replaces its file; make it writable or "
          "remove it)");
    return Plan{Way::kReplace, ""};
  }
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) return Plan{Way::kInPlace, ""};
  return Refuse(std::string("it is ") + KindName(st.st_mode));
}

// Renders into `fd`; "" or why writing failed. Closes `fd`.
std::string Render(int fd, const std::function<void(std::ostream&)>& write) {
  int error = 0;
  {
    FdStreambuf buf(fd);
    std::ostream stream(&buf);
    write(stream);
    stream.flush();
    error = buf.error();
    if (!error && !stream) error = EIO;
  }
  if (::close(fd) != 0 && !error) error = errno;
  return error ? std::strerror(error) : "";
}

std::optional<std::string> WriteInPlace(const std::string& path, bool no_wait,
                                        const std::function<void(std::ostream&)>& write) {
  const int flags = O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC | (no_wait ? O_NONBLOCK : 0);
  int fd;
  do fd = ::open(path.c_str(), flags);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == ENXIO) return "cannot write " + path + ": no process reads it";
    return "cannot write " + path + ": " + std::strerror(errno);
  }
  if (no_wait) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  const std::string failed = Render(fd, write);
  if (!failed.empty()) return "error writing " + path + ": " + failed;
  return std::nullopt;
}

std::optional<std::string> WriteToDescriptor(const std::string& path, int fd,
                                             const std::function<void(std::ostream&)>& write) {
  // A copy, so that closing it leaves the descriptor the shell gave us open.
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0) return "cannot write " + path + ": " + std::strerror(errno);
  const std::string failed = Render(copy, write);
  if (!failed.empty()) return "error writing " + path + ": " + failed;
  return std::nullopt;
}

// ".<name>.<random>.meshlint-tmp" beside `path`.
std::string TemporaryName(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  static std::random_device device;
  const std::uint64_t bits =
      (std::uint64_t{device()} << 32) ^ device() ^ (std::uint64_t(::getpid()) << 16) ^ counter++;
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(bits));
  std::string name = path.filename().string();
  if (name.size() > 200) name.resize(200);  // room for the rest under NAME_MAX
  return (path.parent_path() / ("." + name + "." + suffix + ".meshlint-tmp")).string();
}

std::optional<std::string> WriteReplacing(const std::string& path,
                                          const std::function<void(std::ostream&)>& write) {
  std::string tmp;
  int fd = -1;
  // O_EXCL with O_CREAT never follows a link, and fails on any existing
  // name, so nothing planted under a temporary name is opened.
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = TemporaryName(path);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST && errno != EINTR) break;
  }
  if (fd < 0) return "cannot write " + path + ": " + std::strerror(errno);
  const std::string failed = Render(fd, write);
  if (!failed.empty()) {
    ::unlink(tmp.c_str());
    return "error writing " + path + ": " + failed;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + std::strerror(error);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> WriteOutputFile(const std::string& path,
                                           const std::function<void(std::ostream&)>& write) {
  if (path.empty()) return "cannot write a report to a file with no name";
  const Plan plan = Decide(path);
  switch (plan.way) {
    case Way::kRefuse: return "cannot write " + path + ": " + plan.refusal;
    case Way::kReplace: return WriteReplacing(path, write);
    case Way::kInPlace: return WriteInPlace(path, false, write);
    case Way::kInPlaceNoWait: return WriteInPlace(path, true, write);
    case Way::kDescriptor: return WriteToDescriptor(path, plan.fd, write);
  }
  return std::nullopt;
}

}  // namespace meshlint
