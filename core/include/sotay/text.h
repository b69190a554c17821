// Text helpers for Vietnamese and English in UTF-8: search that ignores diacritics
// ("Nguyễn" is found by "nguyen"), and an order that a Vietnamese reader expects
// (a < ă < â < b ... d < đ; tones sort after the base letter).
//
// Pure functions, no locale: the same result on a phone, Windows and the server.
#pragma once

#include <string>
#include <string_view>

namespace sotay {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Lower-cases and strips diacritics: "Nguyễn Thị Ánh" -> "nguyen thi anh",
// "Đặng" -> "dang". Other characters pass through lower-cased where Latin, and
// unchanged otherwise. Invalid bytes are dropped.
std::string FoldForSearch(std::string_view s);

// True when every word of `query` (folded) occurs in `text` (folded).
bool MatchesSearch(std::string_view text, std::string_view query);

// A byte string that sorts (with std::string's <) in Vietnamese dictionary order:
// letters first by base letter in the Vietnamese alphabet, case and tone marks only
// breaking ties.
std::string CollationKey(std::string_view s);

// Removes leading and trailing ASCII white space.
std::string Trim(std::string_view s);

}  // namespace sotay
