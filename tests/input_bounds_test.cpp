// What the loader reads of the files it is given, and what it refuses: sizes,
// devices and FIFOs, a file reached twice, paths past PATH_MAX.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "loader/config_file.h"
#include "loader/read_file.h"
#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Runs `fn` in a child process and returns what it returned, or "HUNG" when
// it did not end within `seconds` (then the child is killed): a read that
// blocks or never ends fails the test instead of stopping the suite.
std::string InChild(const std::function<std::string()>& fn, int seconds = 60) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    const std::string out = fn();
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  pollfd p{fds[0], POLLIN, 0};
  char buf[4096];
  bool hung = false;
  for (;;) {
    const int ready = ::poll(&p, 1, seconds * 1000);
    if (ready == 0) {
      hung = true;
      break;
    }
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  if (hung) ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(fds[0]);
  return hung ? "HUNG" : out;
}

std::string Reason(const std::string& path, const ReadLimits& limits) {
  std::string content;
  auto error = ReadBounded(path, limits, content);
  return error ? *error : "read " + std::to_string(content.size()) + " bytes";
}

// A file of `size` bytes that takes no disk space (and would take as much
// memory as its size if read whole).
void Sparse(const fs::path& path, off_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, size), 0);
  ::close(fd);
}

constexpr off_t kTwoGiB = off_t{2} << 30;

const char* const kSidecar =
    "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n"
    "  namespace: shop\nspec:\n  egress:\n  - hosts: [\"./*\"]\n";

// ------------------------------------------------------------- bounded reads

TEST(ReadBounded, RegularFilesUpToTheLimit) {
  TempDir dir;
  const std::string path = dir.Write("a.yaml", std::string(100, 'x'));
  EXPECT_EQ(Reason(path, {100, false}), "read 100 bytes");
  EXPECT_EQ(Reason(path, {99, false}),
            "larger than the 99 bytes meshlint reads (100 bytes): not read");
  EXPECT_EQ(Reason((dir.path() / "missing").string(), {100, false}),
            "cannot open: No such file or directory");
  EXPECT_EQ(Reason(dir.str(), {100, false}), "not a regular file (a directory): not read");
}

TEST(ReadBounded, SparseFileIsRefusedBySizeWithoutBeingRead) {
  TempDir dir;
  Sparse(dir.path() / "huge.yaml", kTwoGiB);
  EXPECT_EQ(Reason((dir.path() / "huge.yaml").string(), {kMaxManifestFileBytes, false}),
            "larger than the 256 MiB meshlint reads (2048 MiB): not read");
}

TEST(ReadBounded, DevicesAreRefusedDirectlyAndThroughLinks) {
  TempDir dir;
  fs::create_symlink("/dev/zero", dir.path() / "zero.yaml");
  const std::string link = (dir.path() / "zero.yaml").string();
  const std::string out = InChild([&] {
    return Reason("/dev/zero", {1024, false}) + "|" + Reason(link, {1024, false}) + "|" +
           Reason(link, {1024, true});
  });
  EXPECT_EQ(out,
            "not a regular file (a character device): not read|"
            "not a regular file (a character device): not read|"
            "not a regular file (a character device): not read");
}

TEST(ReadBounded, FifoWhereAFileIsRequiredIsRefusedWithoutBlocking) {
  TempDir dir;
  const fs::path fifo = dir.path() / "pipe.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  // Nobody writes to it: opening it to read would wait forever.
  EXPECT_EQ(InChild([&] {
              return Reason(fifo.string(), {1024, false});
            }),
            "not a regular file (a FIFO): not read");
}

std::string KnownReason(const std::string& path, const ReadLimits& limits,
                        std::size_t defer = std::size_t(-1)) {
  std::string content;
  bool deferred = true;  // must be reset
  auto error = ReadKnownRegular(path, limits.max_bytes, defer, deferred, content);
  if (deferred) return "deferred, " + std::to_string(content.size()) + " bytes";
  return error ? *error : "read " + content;
}

// The loader's read of a walked file: ReadBounded's answers, in fewer calls.
TEST(ReadKnownRegular, SameAnswersAsReadBounded) {
  TempDir dir;
  const std::string path = dir.Write("a.yaml", "0123456789");
  EXPECT_EQ(KnownReason(path, {10, false}), "read 0123456789");
  EXPECT_EQ(KnownReason(path, {9, false}),
            "larger than the 9 bytes meshlint reads (10 bytes): not read");
  EXPECT_EQ(KnownReason(dir.Write("empty.yaml", ""), {10, false}), "read ");
  EXPECT_EQ(KnownReason((dir.path() / "missing").string(), {100, false}),
            "cannot open: No such file or directory");
  EXPECT_EQ(KnownReason(dir.str(), {100, false}), "not a regular file (a directory): not read");
  Sparse(dir.path() / "huge.yaml", kTwoGiB);
  EXPECT_EQ(KnownReason((dir.path() / "huge.yaml").string(), {kMaxManifestFileBytes, false}),
            "larger than the 256 MiB meshlint reads (2048 MiB): not read");
}

// A file that cannot be opened is still refused for what it is first, as
// ReadBounded refuses it: too large, then unreadable.
TEST(ReadKnownRegular, UnreadableFileIsJudgedByItsSizeFirst) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads a file of mode 000";
  TempDir dir;
  Sparse(dir.path() / "huge.yaml", kTwoGiB);
  const std::string huge = (dir.path() / "huge.yaml").string();
  const std::string small = dir.Write("small.yaml", "a: b\n");
  ASSERT_EQ(::chmod(huge.c_str(), 0), 0);
  ASSERT_EQ(::chmod(small.c_str(), 0), 0);
  EXPECT_EQ(KnownReason(huge, {kMaxManifestFileBytes, false}),
            Reason(huge, {kMaxManifestFileBytes, false}));
  EXPECT_EQ(KnownReason(small, {100, false}), "cannot open: Permission denied");
  EXPECT_EQ(Reason(small, {100, false}), "cannot open: Permission denied");
}

TEST(ReadKnownRegular, LargerThanTheDeferSizeIsLeftUnread) {
  TempDir dir;
  const std::string path = dir.Write("a.yaml", "0123456789");
  EXPECT_EQ(KnownReason(path, {100, false}, 9), "deferred, 0 bytes");
  EXPECT_EQ(KnownReason(path, {100, false}, 10), "read 0123456789");
  // The size limit comes first: a file too large is refused, not deferred.
  EXPECT_EQ(KnownReason(path, {5, false}, 2),
            "larger than the 5 bytes meshlint reads (10 bytes): not read");
}

// Swapped for a FIFO or a device after the walk saw a file: refused without
// blocking and without a read.
TEST(ReadKnownRegular, FifoOrDeviceInPlaceOfTheFileIsRefusedWithoutBlocking) {
  TempDir dir;
  const fs::path fifo = dir.path() / "pipe.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  fs::create_symlink("/dev/zero", dir.path() / "zero.yaml");
  EXPECT_EQ(InChild([&] {
              return KnownReason(fifo.string(), {1024, false}) + "|" +
                     KnownReason((dir.path() / "zero.yaml").string(), {1024, false});
            }),
            "not a regular file (a FIFO): not read|"
            "not a regular file (a character device): not read");
}

// A file whose size says nothing of its content (as in /proc) is read to its
// end, within the limit.
TEST(ReadKnownRegular, ContentBeyondTheSizeIsReadToTheEndWithinTheLimit) {
  std::string content;
  bool deferred = false;
  const auto ok = ReadKnownRegular("/proc/self/status", 1 << 20, 1 << 20, deferred, content);
  ASSERT_FALSE(ok.has_value()) << *ok;
  EXPECT_NE(content.find("Name:"), std::string::npos);
  EXPECT_NE(content.find("Pid:"), std::string::npos);
  EXPECT_EQ(KnownReason("/proc/self/status", {10, false}),
            "larger than the 10 bytes meshlint reads: not read");
}

// The loader's window-at-a-time read of a big file: opened and refused as
// ReadKnownRegular refuses, read in the steps asked for, and bounded in all
// even when the file grows after it was opened.
TEST(WindowedFile, ReadsInStepsWithinTheBound) {
  TempDir dir;
  const std::string path = dir.Write("a.yaml", "0123456789");
  WindowedFile file;
  ASSERT_FALSE(file.Open(path, 100).has_value());
  EXPECT_EQ(file.size(), 10u);
  std::string buffer = "x";
  bool end = true;  // must be reset
  EXPECT_FALSE(file.Append(buffer, 4, end).has_value());
  EXPECT_EQ(buffer, "x0123");
  EXPECT_FALSE(end);
  EXPECT_FALSE(file.Append(buffer, 100, end).has_value());
  EXPECT_EQ(buffer, "x0123456789");
  EXPECT_TRUE(end);
  EXPECT_FALSE(file.Append(buffer, 100, end).has_value());  // closed: nothing more
  EXPECT_EQ(buffer, "x0123456789");
  EXPECT_TRUE(end);

  // Empty: the end at once, no error.
  ASSERT_FALSE(file.Open(dir.Write("empty.yaml", ""), 100).has_value());
  buffer.clear();
  EXPECT_FALSE(file.Append(buffer, 8, end).has_value());
  EXPECT_TRUE(buffer.empty());
  EXPECT_TRUE(end);

  // The same refusals, in the same words, as ReadKnownRegular.
  for (const std::string& refused : {(dir.path() / "missing").string(), dir.str(), path}) {
    const auto error = file.Open(refused, 9);
    ASSERT_TRUE(error.has_value()) << refused;
    EXPECT_EQ(*error, KnownReason(refused, {9, false})) << refused;
  }

  // Grown past the bound after it was opened: refused when read.
  ASSERT_FALSE(file.Open(path, 12).has_value());
  std::ofstream(path, std::ios::app) << "abcdef";
  buffer.clear();
  EXPECT_FALSE(file.Append(buffer, 10, end).has_value());
  EXPECT_FALSE(end);
  const auto error = file.Append(buffer, 10, end);
  ASSERT_TRUE(error.has_value()) << buffer;
  EXPECT_EQ(*error, "larger than the 12 bytes meshlint reads: not read");
  EXPECT_TRUE(end);
}

TEST(ReadBounded, PipeIsReadThroughOneOpenAndBounded) {
  TempDir dir;
  const fs::path fifo = dir.path() / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const std::string out = InChild([&] {
    // A writer that never stops (like `yes`), and one that writes a little.
    std::thread endless([&] {
      const int fd = ::open(fifo.c_str(), O_WRONLY);
      const std::string block(4096, 'y');
      while (::write(fd, block.data(), block.size()) > 0) {}
      ::close(fd);
    });
    ::signal(SIGPIPE, SIG_IGN);
    std::string first = Reason(fifo.string(), {1 << 20, true});
    endless.join();
    std::thread small([&] {
      const int fd = ::open(fifo.c_str(), O_WRONLY);
      (void)!::write(fd, "abc", 3);
      ::close(fd);
    });
    std::string second = Reason(fifo.string(), {1 << 20, true});
    small.join();
    return first + "|" + second;
  });
  EXPECT_EQ(out, "larger than the 1 MiB meshlint reads: not read|read 3 bytes");
}

TEST(LoaderBounds, EveryFileTheLoaderReadsIsBounded) {
  TempDir dir;
  dir.Write("in/sidecar.yaml", kSidecar);
  Sparse(dir.path() / "in/huge.yaml", kTwoGiB);
  Sparse(dir.path() / "policy.yaml", kTwoGiB);
  fs::create_symlink("/dev/zero", dir.path() / "zero.yaml");
  const std::string out = InChild([&] {
    std::string result;
    // A manifest in a tree: a finding, the other files still read.
    {
      LoadOptions options;
      options.base_dir = dir.str();
      MeshModel m;
      auto errors = LoadInputs({(dir.path() / "in").string()}, options, m);
      result += std::to_string(errors.size()) + " " + std::to_string(m.sidecars.size());
      for (const Problem& p : m.problems)
        result +=
            " " + m.files.display(p.loc.file) + ":" + std::to_string(p.loc.line) + " " + p.message;
    }
    // --mesh-config, directly and through a link: an input error.
    for (const std::string& mesh : {std::string("/dev/zero"), (dir.path() / "zero.yaml").string(),
                                    (dir.path() / "policy.yaml").string()}) {
      LoadOptions options;
      options.mesh_config_file = mesh;
      MeshModel m;
      for (const InputError& e :
           LoadInputs({(dir.path() / "in/sidecar.yaml").string()}, options, m))
        result += "|" + e.message;
    }
    // --policy and the project config.
    for (const std::string& path :
         {std::string("/dev/zero"), (dir.path() / "policy.yaml").string()}) {
      MeshModel m;
      for (const Problem& p : LoadEgressPolicy(path, {}, m)) result += "|" + p.message;
      ProjectConfig config;
      for (const ConfigError& e : ReadConfigFile(path, "c", config)) result += "|" + e.message;
    }
    return result;
  });
  EXPECT_EQ(out,
            "0 1 in/huge.yaml:1 larger than the 256 MiB meshlint reads (2048 MiB): not read"
            "|not a regular file (a character device): not read"
            "|not a regular file (a character device): not read"
            "|larger than the 32 MiB meshlint reads (2048 MiB): not read"
            "|not a regular file (a character device): not read"
            "|not a regular file (a character device): not read"
            "|larger than the 32 MiB meshlint reads (2048 MiB): not read"
            "|larger than the 32 MiB meshlint reads (2048 MiB): not read");
}

TEST(LoaderBounds, BaselineIsReadBoundedToo) {
  TempDir dir;
  dir.Write("in/sidecar.yaml", kSidecar);
  const std::string out = InChild([&] {
    auto r =
        testing::RunMeshlint({"lint", "in", "--no-config", "--baseline", "/dev/zero"}, dir.str());
    return std::to_string(r.status) + " " + r.err;
  });
  EXPECT_EQ(out.rfind("2 meshlint: cannot read baseline /dev/zero: not a regular file (a character "
                      "device): not read\n",
                      0),
            0u)
      << out;
}

// ------------------------------------------------------------- one file, one read

TEST(LoaderInputs, FileReachedThroughALinkIsReadOnce) {
  TempDir dir;
  dir.Write("in/sidecar.yaml", kSidecar);
  fs::create_symlink("sidecar.yaml", dir.path() / "in/again.yaml");
  fs::create_directories(dir.path() / "in/sub");
  fs::create_symlink("../sidecar.yaml", dir.path() / "in/sub/deeper.yaml");
  LoadOptions options;
  options.base_dir = dir.str();
  MeshModel m;
  // The tree, and the file named again on the command line.
  EXPECT_TRUE(LoadInputs({(dir.path() / "in").string(), (dir.path() / "in/sidecar.yaml").string()},
                         options, m)
                  .empty());
  ASSERT_EQ(m.sidecars.size(), 1u);
  EXPECT_EQ(m.files.display(m.sidecars[0].meta.loc.file), "in/sidecar.yaml");
  ASSERT_EQ(m.input_notes.size(), 2u);
  EXPECT_EQ(m.input_notes[0].path, "in/again.yaml");
  EXPECT_EQ(m.input_notes[0].message,
            "the same file as in/sidecar.yaml, reached through a symbolic link: read once, as "
            "in/sidecar.yaml");
  EXPECT_EQ(m.input_notes[1].path, "in/sub/deeper.yaml");
  // Two copies of one default Sidecar were two false errors.
  for (const Finding& f : RunRules(m, {}))
    EXPECT_NE(f.rule_id, "multiple-default-sidecars") << f.diag.message;
}

TEST(LoaderInputs, LinkIsReadWhenItIsTheOnlyWayToItsFile) {
  TempDir dir;
  dir.Write("in/data/sidecar.txt", kSidecar);  // no manifest extension: not walked
  fs::create_symlink("data/sidecar.txt", dir.path() / "in/sidecar.yaml");
  LoadOptions options;
  options.base_dir = dir.str();
  MeshModel m;
  EXPECT_TRUE(LoadInputs({(dir.path() / "in").string()}, options, m).empty());
  ASSERT_EQ(m.sidecars.size(), 1u);
  EXPECT_EQ(m.files.display(m.sidecars[0].meta.loc.file), "in/sidecar.yaml");
  EXPECT_TRUE(m.input_notes.empty());
}

// ------------------------------------------------------------- PATH_MAX

// Builds dir/d.../d.../se.yaml with a path past PATH_MAX, through directory
// descriptors (no single path to it can be used), and removes it so.
class DeepTree {
 public:
  explicit DeepTree(const fs::path& root) : root_(root) {
    int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY);
    const std::string name(200, 'd');
    for (int i = 0; i < 25; ++i) {
      ::mkdirat(fd, name.c_str(), 0755);
      const int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
      ::close(fd);
      fd = next;
    }
    const int file = ::openat(fd, "se.yaml", O_WRONLY | O_CREAT, 0644);
    (void)!::write(file, kSidecar, std::strlen(kSidecar));
    ::close(file);
    ::close(fd);
  }
  ~DeepTree() { Remove(::open(root_.c_str(), O_RDONLY | O_DIRECTORY)); }

 private:
  static void Remove(int fd) {
    DIR* d = ::fdopendir(fd);
    if (!d) return;
    while (dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      if (e->d_type == DT_DIR) {
        Remove(::openat(fd, n.c_str(), O_RDONLY | O_DIRECTORY));
        ::unlinkat(fd, n.c_str(), AT_REMOVEDIR);
      } else {
        ::unlinkat(fd, n.c_str(), 0);
      }
    }
    ::closedir(d);
  }
  fs::path root_;
};

TEST(LoaderInputs, PathLongerThanPathMaxIsReported) {
  TempDir dir;
  fs::create_directories(dir.path() / "in");
  dir.Write("in/sidecar.yaml", kSidecar);
  DeepTree deep(dir.path() / "in");
  LoadOptions options;
  options.base_dir = dir.str();
  MeshModel m;
  EXPECT_TRUE(LoadInputs({(dir.path() / "in").string()}, options, m).empty());
  EXPECT_EQ(m.sidecars.size(), 1u);
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_EQ(m.problems[0].message,
            "path longer than the system allows (PATH_MAX, 4096 bytes): not read");
  EXPECT_GT(m.files.display(m.problems[0].loc.file).size(), 4096u);
}

// The walk builds each file's names from its directory's: the same names
// however the directory is spelled, and from a base inside the tree.
TEST(LoaderInputs, WalkedNamesDoNotDependOnHowTheRootIsSpelled) {
  TempDir dir;
  dir.Write("in/a.yaml", kSidecar);
  dir.Write("in/sub/b.json", "{}");
  dir.Write("in/sub/.yaml", kSidecar);  // a hidden file, no manifest extension
  const auto walk = [&](const std::string& root, const std::string& base) {
    LoadOptions options;
    options.base_dir = base;
    MeshModel m;
    EXPECT_TRUE(LoadInputs({root}, options, m).empty()) << root;
    std::string names;
    for (std::uint32_t i = 0; i < m.files.size(); ++i)
      names += m.files.display(i) + " " + m.files.absolute(i) + "\n";
    return names;
  };
  const std::string in = (dir.path() / "in").string();
  const std::string expected = "in/a.yaml " + in + "/a.yaml\nin/sub/b.json " + in + "/sub/b.json\n";
  for (const std::string& root :
       std::vector<std::string>{in, in + "/", in + "/.", in + "//sub/..", dir.str() + "/./in"})
    EXPECT_EQ(walk(root, dir.str()), expected) << root;
  EXPECT_EQ(walk(in, dir.str() + "/"), expected);
  // The base below the walked directory: its files are shown climbing out.
  EXPECT_EQ(walk(in, in + "/sub"), "../a.yaml " + in + "/a.yaml\nb.json " + in + "/sub/b.json\n");
  EXPECT_EQ(walk(in + "/sub", in + "/sub"), "b.json " + in + "/sub/b.json\n");
}

}  // namespace
}  // namespace meshlint
