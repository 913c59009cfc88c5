#include "loader/suggest.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace meshlint {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

namespace {

template <typename T>
std::string_view NearestOf(std::string_view word, std::span<const T> candidates) {
  if (word.empty()) return {};
  // Bounded: a word far longer than every candidate is no near miss, and the
  // distance costs |word| x |candidate|.
  constexpr std::size_t kMaxWord = 256;
  if (word.size() > kMaxWord) return {};
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 4);
  std::string_view best, prefixed;
  std::size_t best_distance = limit + 1, prefixes = 0;
  for (const T& c : candidates) {
    const std::string_view candidate = c;
    if (candidate == word) return {};
    if (word.size() >= 3 && candidate.starts_with(word)) {
      ++prefixes;
      prefixed = candidate;
    }
    const std::size_t d = EditDistance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (!best.empty()) return best;
  return prefixes == 1 ? prefixed : std::string_view();
}

std::string Phrase(std::string_view nearest) {
  return nearest.empty() ? std::string() : ": did you mean '" + std::string(nearest) + "'?";
}

}  // namespace

std::string_view Nearest(std::string_view word, std::span<const std::string_view> candidates) {
  return NearestOf(word, candidates);
}

std::string Nearest(std::string_view word, std::span<const std::string> candidates) {
  return std::string(NearestOf(word, candidates));
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  return Phrase(Nearest(word, candidates));
}

std::string DidYouMean(std::string_view word, std::span<const std::string> candidates) {
  return Phrase(Nearest(word, candidates));
}

}  // namespace meshlint
