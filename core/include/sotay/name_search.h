// Finding and ordering people by name, as a district officer types and reads them
// (issue 15): "nguyen thi anh" finds "Nguyễn Thị Ánh" and "Nguyễn Thị Anh Đào" but
// never "Khánh", "Thanh" or "Hạnh" (whole-word prefixes, not substrings); and a list
// in the order of a Vietnamese class register: by given name (the last word), then
// the family and middle names.
//
// Diacritics: a query word typed without any is matched folded ("anh" finds Anh,
// Ánh, Ảnh); a word typed with them is matched as typed, case aside ("ánh" finds
// Ánh, not Anh): whoever typed the marks meant them. Decomposed input (a base letter
// and combining marks) matches its composed spelling.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sotay {

// One word of a name or query, prepared once for many comparisons.
struct SearchWord {
  std::string folded;   // FoldForSearch
  std::string letters;  // the word's Vietnamese letters (base and shape: a ă â, d đ), case-free
  std::string tones;    // one tone per letter
  bool marked = false;  // typed with a diacritic (any non-ASCII character)
};
using SearchWords = std::vector<SearchWord>;

SearchWords ToSearchWords(std::string_view text);

// How well a text answers a query, best last so ranks compare with <.
enum class NameMatch {
  kNone,    // some query word is not a prefix of a later word
  kPrefix,  // every query word starts a word, in order ("ng th a" in "Nguyễn Thị Ánh")
  kWords,   // every query word is a whole word, in order ("nguyen thi anh" in "Nguyễn Thị Anh Đào")
  kExact,   // the query is the whole name
};

// The query's words in order, each the start of a later word of `text`. An empty
// query matches nothing.
NameMatch MatchWords(const SearchWords& text, const SearchWords& query);
inline NameMatch MatchName(std::string_view text, std::string_view query) {
  return MatchWords(ToSearchWords(text), ToSearchWords(query));
}

// A byte string that sorts (with std::string's <) given name first, then the
// other words, each in Vietnamese dictionary order (CollationKey): "Lê Thị Anh" <
// "Nguyễn Thị Anh" < "Trần Văn Bình".
std::string PersonNameSortKey(std::string_view name);

}  // namespace sotay
