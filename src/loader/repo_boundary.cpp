#include "loader/repo_boundary.h"

#include <climits>
#include <filesystem>
#include <system_error>

#include "loader/read_file.h"

namespace meshlint {
namespace fs = std::filesystem;

namespace {

bool IsWithin(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

std::string Refusal(const std::string& path, const std::error_code& ec) {
  const std::string quoted = "'" + path + "'";
  if (ec == std::errc::too_many_symbolic_link_levels)
    return quoted + ": symbolic link loop: not read";
  if (ec == std::errc::no_such_file_or_directory)
    return quoted + ": no such file (paths are relative to the config file's directory)";
  if (ec == std::errc::filename_too_long)
    return quoted + ": path longer than the system allows (PATH_MAX, " + std::to_string(PATH_MAX) +
           " bytes): not read";
  return quoted + ": cannot read: " + ec.message();
}

}  // namespace

std::string RepositoryRoot(const std::string& dir) {
  std::error_code ec;
  const fs::path start = fs::absolute(dir, ec).lexically_normal();
  if (ec) return dir;
  for (fs::path d = start;; d = d.parent_path()) {
    if (fs::exists(d / ".git", ec)) return d.string();
    if (d == d.parent_path()) break;
  }
  return start.string();
}

RepositoryFile ResolveInRepository(const std::string& path, const std::string& config_dir,
                                   const std::string& root) {
  if (path.empty()) return {"", "an empty path names no file"};
  fs::path p(path);
  if (p.is_relative()) p = fs::path(config_dir) / p;
  std::error_code ec;
  // The file first: a missing one is reported as missing, wherever the
  // root is (a config read from text names a directory that may not exist).
  const fs::path target = fs::canonical(p, ec);
  if (ec) return {"", Refusal(path, ec)};
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return {"", "the repository root " + root + " cannot be resolved: " + ec.message()};
  if (!IsWithin(target, real_root)) {
    const bool link = fs::is_symlink(p, ec);
    return {"", "'" + path + "'" +
                    (link ? " is a symbolic link to a file outside the repository"
                          : " lies outside the repository") +
                    " (" + real_root.string() + "): not read"};
  }
  const fs::file_status st = fs::status(target, ec);
  if (ec) return {"", Refusal(path, ec)};
  if (fs::is_directory(st)) return {"", "'" + path + "' is a directory, not a file: not read"};
  if (!fs::is_regular_file(st)) return {"", "'" + path + "': " + NotRegularFile(st.type())};
  return {target.string(), ""};
}

std::optional<Problem> CheckInRepository(const std::string& path, const std::string& config_dir,
                                         const std::string& root, const Location& where,
                                         std::string& resolved) {
  RepositoryFile file = ResolveInRepository(path, config_dir, root);
  if (!file.accepted()) return Problem{where, std::move(file.refusal), {}, ""};
  resolved = std::move(file.path);
  return std::nullopt;
}

}  // namespace meshlint
