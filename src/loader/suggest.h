// "Did you mean ...?": the nearest of a few known words to one a user typed,
// for the config's keys and the command line's commands, options, formats
// and rule ids alike.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace meshlint {

// Levenshtein distance, ASCII letters compared without case.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is a near miss: at most 2 edits
// (a quarter of the word's length for long words), or the only candidate
// that `word` starts (at least 3 characters). "" when none is near, or when
// `word` is itself a candidate.
std::string_view Nearest(std::string_view word, std::span<const std::string_view> candidates);
std::string Nearest(std::string_view word, std::span<const std::string> candidates);

// ": did you mean 'x'?" for Nearest(), or "".
std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates);
std::string DidYouMean(std::string_view word, std::span<const std::string> candidates);

}  // namespace meshlint
