// The repository boundary for files the project config names: only regular
// files inside the repository, reached as the directory walk would.
#include "loader/repo_boundary.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_util.h"

namespace meshlint {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(RepositoryBoundary, OnlyRegularFilesInsideTheRepository) {
  TempDir dir;
  fs::create_directories(dir.path() / "repo/.git");
  dir.Write("repo/team/mesh.yaml", "meshConfig: {}\n");
  dir.Write("secret/token", "SECRET\n");
  fs::create_symlink("mesh.yaml", dir.path() / "repo/team/inside.yaml");
  fs::create_symlink("../../secret/token", dir.path() / "repo/team/steal.yaml");
  fs::create_symlink("loop.yaml", dir.path() / "repo/team/loop.yaml");
  fs::create_symlink("/dev/zero", dir.path() / "repo/team/zero.yaml");
  ASSERT_EQ(::mkfifo((dir.path() / "repo/team/fifo.yaml").c_str(), 0644), 0);
  const std::string team = (dir.path() / "repo/team").string();
  const std::string root = RepositoryRoot(team);
  EXPECT_EQ(root, (dir.path() / "repo").string());
  const std::string real = fs::canonical(dir.path() / "repo/team/mesh.yaml").string();
  EXPECT_EQ(ResolveInRepository("mesh.yaml", team, root).path, real);
  EXPECT_EQ(ResolveInRepository("inside.yaml", team, root).path, real);
  EXPECT_EQ(ResolveInRepository("../team/./mesh.yaml", team, root).path, real);
  const std::string real_root = fs::canonical(root).string();
  for (const auto& [path, refusal] : std::vector<std::pair<std::string, std::string>>{
           {"steal.yaml", "'steal.yaml' is a symbolic link to a file outside the repository (" +
                              real_root + "): not read"},
           {"/etc/passwd",
            "'/etc/passwd' lies outside the repository (" + real_root + "): not read"},
           {"../../secret/token",
            "'../../secret/token' lies outside the repository (" + real_root + "): not read"},
           {"loop.yaml", "'loop.yaml': symbolic link loop: not read"},
           {"zero.yaml", "'zero.yaml' is a symbolic link to a file outside the repository (" +
                             real_root + "): not read"},
           {"fifo.yaml", "'fifo.yaml': not a regular file (a FIFO): not read"},
           {".", "'.' is a directory, not a file: not read"},
           {"nope.yaml",
            "'nope.yaml': no such file (paths are relative to the config file's directory)"},
       }) {
    const RepositoryFile f = ResolveInRepository(path, team, root);
    EXPECT_EQ(f.refusal, refusal) << path;
    EXPECT_TRUE(f.path.empty()) << path;
    EXPECT_EQ(f.refusal.find("SECRET"), std::string::npos);
  }
  std::string resolved;
  const Location where{3, 4, 5, 4, 9};
  auto problem = CheckInRepository("steal.yaml", team, root, where, resolved);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->loc, where);
  EXPECT_FALSE(CheckInRepository("mesh.yaml", team, root, where, resolved));
  EXPECT_EQ(resolved, real);
  // Outside a git work tree the config's directory is the repository.
  EXPECT_EQ(RepositoryRoot((dir.path() / "secret").string()), (dir.path() / "secret").string());
}

}  // namespace
}  // namespace meshlint
