// Finding identities shared by every machine-readable format and baselines,
// and the one switch over format names.
#include <filesystem>
#include <unordered_map>

#include "report/json_common.h"

namespace meshlint {

namespace {

// FNV-1a, 64 bits: stable across platforms and releases, unlike std::hash.
struct Fnv {
  std::uint64_t h = 1469598103934665603ULL;
  void Add(std::string_view text) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  }
};

// Sixteen lowercase hex digits, as "%016llx" writes them: snprintf was a
// fifth of the cost of a run's fingerprints.
std::string Hex(std::uint64_t h) {
  std::string out(16, '0');
  for (std::size_t i = 16; i-- > 0; h >>= 4) out[i] = "0123456789abcdef"[h & 0xf];
  return out;
}

// The FNV-1a of FingerprintKey(model, f), without building the key when the
// finding names an object (Finding::StableKey, digested piece by piece).
std::uint64_t KeyDigest(const MeshModel& model, const Finding& f) {
  Fnv fnv;
  if (f.diag.object.empty()) {
    fnv.Add(FingerprintKey(model, f));
    return fnv.h;
  }
  const ObjectRef& o = f.diag.object;
  fnv.Add(f.rule_id);
  fnv.Add("|");
  if (!o.ns.empty()) {
    fnv.Add(o.ns);
    fnv.Add("/");
  }
  fnv.Add(o.kind);
  fnv.Add("/");
  fnv.Add(o.name);
  fnv.Add("|");
  fnv.Add(f.diag.field);
  if (!f.environment.empty()) {
    fnv.Add("|");
    fnv.Add(f.environment);
  }
  return fnv.h;
}

}  // namespace

std::string FingerprintKey(const MeshModel& model, const Finding& finding) {
  if (!finding.diag.object.empty()) return finding.StableKey();
  // No object to name (a document that does not parse): the file is the
  // identity. Its path is the one users see, relative to the working directory.
  std::string key(finding.rule_id);
  key += "|file:";
  const Location& loc = finding.diag.loc;
  if (HasPosition(model.files, loc)) key += model.files.display(loc.file);
  key += '|';
  key += finding.diag.field;
  return key;
}

std::vector<std::string> ComputeFingerprints(const MeshModel& model,
                                             std::span<const Finding> findings) {
  std::vector<std::string> out;
  out.reserve(findings.size());
  // Equal digests are equal fingerprints: counted by the number.
  std::unordered_map<std::uint64_t, int> seen;
  seen.reserve(findings.size());
  for (const Finding& f : findings) {
    const std::uint64_t digest = KeyDigest(model, f);
    std::string fp = Hex(digest);
    const int n = ++seen[digest];
    if (n > 1) {
      fp += ':';
      fp += std::to_string(n);
    }
    out.push_back(std::move(fp));
  }
  return out;
}

std::vector<std::string> report_detail::FingerprintsOf(const ReportContext& ctx) {
  if (ctx.fingerprints.size() == ctx.findings.size())
    return {ctx.fingerprints.begin(), ctx.fingerprints.end()};
  return ComputeFingerprints(ctx.model, ctx.findings);
}

std::string report_detail::RootRelativePath(const ReportContext& ctx, const Location& loc) {
  if (!HasPosition(ctx.model.files, loc)) return "";
  const std::string& abs = ctx.model.files.absolute(loc.file);
  if (abs == "<stdin>") return "stdin";
  const std::filesystem::path rel = std::filesystem::path(abs).lexically_relative(ctx.source_root);
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return abs;
}

bool WriteReport(std::string_view format, std::ostream& out, const ReportContext& ctx) {
  if (format == "text") WriteText(out, ctx);
  else if (format == "json") WriteJson(out, ctx);
  else if (format == "sarif") WriteSarif(out, ctx);
  else if (format == "github") WriteGithub(out, ctx);
  else if (format == "gitlab") WriteGitlab(out, ctx);
  else return false;
  return true;
}

}  // namespace meshlint
