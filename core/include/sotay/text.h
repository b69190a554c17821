// Text helpers for Vietnamese and English in UTF-8: search that ignores diacritics
// ("Nguyễn" is found by "nguyen"), and an order that a Vietnamese reader expects
// (a < ă < â < b ... d < đ; tones sort after the base letter).
//
// Pure functions, no locale: the same result on a phone, Windows and the server.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sotay {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// The first character `s` may not hold in an answer or a form's text, if any: a C0
// control other than tab and newline (CR too: Canonical() turns CRLF into LF), DEL,
// a C1 control (U+0080-U+009F; U+009B is a terminal's CSI), or a bidirectional
// embedding, override or isolate (U+202A-U+202E, U+2066-U+2069), which make text read
// other than it is stored. Bytes that are not UTF-8 are not looked at (IsValidUtf8).
std::optional<uint32_t> FirstForbiddenChar(std::string_view s);

// "U+001B": how a message names a character without quoting the text around it.
std::string CodePointName(uint32_t cp);

// `s` safe to print on a terminal: every character FirstForbiddenChar() finds written
// as \u001b, every byte that is not UTF-8 as \xff; tab, newline and the rest kept.
// For anything printed that came from data, so text stored before the rule is
// harmless too.
std::string EscapeForTerminal(std::string_view s);

// Lower-cases and strips diacritics: "Nguyễn Thị Ánh" -> "nguyen thi anh",
// "Đặng" -> "dang". Other characters pass through lower-cased where Latin, and
// unchanged otherwise. Invalid bytes are dropped.
std::string FoldForSearch(std::string_view s);

// The words of `s` split at spaces, empty ones dropped: "a  b c" -> {a, b, c}. The
// separator of select_multiple answers ("a b c") and of search words.
std::vector<std::string> SplitAtSpaces(std::string_view s);

// True when every word of `query` (folded) occurs in `text` (folded).
bool MatchesSearch(std::string_view text, std::string_view query);

// A byte string that sorts (with std::string's <) in Vietnamese dictionary order:
// letters first by base letter in the Vietnamese alphabet, case and tone marks only
// breaking ties.
std::string CollationKey(std::string_view s);

// Removes leading and trailing ASCII white space.
std::string Trim(std::string_view s);

}  // namespace sotay
