#include "sotay/name_search.h"

#include "sotay/text.h"

namespace sotay {

namespace {

bool StartsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// Whether query word `q` starts name word `w`, and whether it is all of it.
bool Starts(const SearchWord& w, const SearchWord& q) {
  if (!q.marked) return StartsWith(w.folded, q.folded);
  return StartsWith(w.letters, q.letters) && StartsWith(w.tones, q.tones);
}
bool Equals(const SearchWord& w, const SearchWord& q) {
  return q.marked ? w.letters == q.letters && w.tones == q.tones : w.folded == q.folded;
}

}  // namespace

SearchWords ToSearchWords(std::string_view text) {
  SearchWords out;
  // Words split at ASCII white space, as a name is typed.
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r') ++j;
    if (j == i) break;
    const std::string_view raw = text.substr(i, j - i);
    i = j;
    SearchWord w;
    w.folded = FoldForSearch(raw);
    if (w.folded.empty()) continue;
    // CollationKey's first two levels: letters (case-free) and tones, one byte per
    // Vietnamese letter, combining marks already merged into their letter.
    const std::string key = CollationKey(raw);
    const size_t a = key.find('\0');
    const size_t b = key.find('\0', a + 1);
    w.letters = key.substr(0, a);
    w.tones = key.substr(a + 1, b - a - 1);
    for (char c : raw) w.marked = w.marked || static_cast<unsigned char>(c) >= 0x80;
    out.push_back(std::move(w));
  }
  return out;
}

NameMatch MatchWords(const SearchWords& text, const SearchWords& query) {
  if (query.empty()) return NameMatch::kNone;
  // Earliest match per query word: if any in-order matching exists, this finds one.
  size_t at = 0;
  bool whole = true;
  for (const SearchWord& q : query) {
    while (at < text.size() && !Starts(text[at], q)) ++at;
    if (at == text.size()) return NameMatch::kNone;
    ++at;
  }
  // The same words as whole words, in order, for the better rank: "anh" as a whole
  // word may come after an earlier word it only starts ("Anhxa Anh").
  at = 0;
  for (const SearchWord& q : query) {
    while (at < text.size() && !Equals(text[at], q)) ++at;
    if (at == text.size()) {
      whole = false;
      break;
    }
    ++at;
  }
  if (!whole) return NameMatch::kPrefix;
  if (query.size() == text.size()) {
    for (size_t k = 0; k < query.size(); ++k) {
      if (!Equals(text[k], query[k])) return NameMatch::kWords;
    }
    return NameMatch::kExact;
  }
  return NameMatch::kWords;
}

std::string PersonNameSortKey(std::string_view name) {
  const std::string trimmed = Trim(name);
  const size_t last = trimmed.find_last_of(' ');
  if (last == std::string::npos) return CollationKey(trimmed);
  // Keys end in their tertiary level and equal first levels have equal lengths, so
  // one key is never a proper prefix of another that differs: a '\0' joins them.
  return CollationKey(trimmed.substr(last + 1)) + '\0' + CollationKey(trimmed.substr(0, last));
}

}  // namespace sotay
