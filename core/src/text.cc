// Vietnamese-aware text: diacritic-insensitive search and dictionary order.
// Tables are built once from the letters themselves, so a reader can check them.
#include "sotay/text.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace sotay {

namespace {

// Decodes one code point at `i`; returns false (and skips one byte) on bad UTF-8.
bool Decode(std::string_view s, size_t& i, uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return false;
  }
  cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return false;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return false;
  }
  i += len;
  return true;
}

void Encode(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The Vietnamese alphabet, with f j w z where Latin puts them.
constexpr std::array<const char*, 33> kAlphabet{
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"};

struct Letter {
  char base = 0;      // ASCII letter without marks, lower case
  uint8_t rank = 0;   // position in kAlphabet, from 1
  uint8_t tone = 0;   // 0 none, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng
  bool upper = false;
};

// Each row: one letter with no tone, huyền, hỏi, ngã, sắc, nặng.
constexpr const char* kToneRows[] = {
    "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị", "oòỏõóọ", "ôồổỗốộ",
    "ơờởỡớợ", "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ",
    "AÀẢÃÁẠ", "ĂẰẲẴẮẶ", "ÂẦẨẪẤẬ", "EÈẺẼÉẸ", "ÊỀỂỄẾỆ", "IÌỈĨÍỊ", "OÒỎÕÓỌ", "ÔỒỔỖỐỘ",
    "ƠỜỞỠỚỢ", "UÙỦŨÚỤ", "ƯỪỬỮỨỰ", "YỲỶỸÝỴ"};
// Other Latin letters a name may carry, folded to their base.
constexpr const char* kOtherLatin[][2] = {
    {"äåāą", "a"}, {"ÄÅĀĄ", "A"}, {"çćč", "c"}, {"ÇĆČ", "C"}, {"ëēėę", "e"}, {"ËĒĖĘ", "E"},
    {"ïîī", "i"},  {"ÏÎĪ", "I"},  {"ñń", "n"},  {"ÑŃ", "N"},  {"öøō", "o"},  {"ÖØŌ", "O"},
    {"üûū", "u"},  {"ÜÛŪ", "U"},  {"ÿ", "y"},   {"š", "s"},   {"Š", "S"},   {"ž", "z"}, {"Ž", "Z"}};

uint32_t First(std::string_view s) {
  size_t i = 0;
  uint32_t cp = 0;
  Decode(s, i, cp);
  return cp;
}

uint8_t RankOf(uint32_t lower_cp) {
  for (size_t r = 0; r < kAlphabet.size(); ++r) {
    if (First(kAlphabet[r]) == lower_cp) return static_cast<uint8_t>(r + 1);
  }
  return 0;
}

const std::unordered_map<uint32_t, Letter>& Letters() {
  static const std::unordered_map<uint32_t, Letter> table = [] {
    std::unordered_map<uint32_t, Letter> t;
    for (char c = 'a'; c <= 'z'; ++c) {
      t[static_cast<uint32_t>(c)] = Letter{c, RankOf(static_cast<uint32_t>(c)), 0, false};
      t[static_cast<uint32_t>(c - 'a' + 'A')] = Letter{c, RankOf(static_cast<uint32_t>(c)), 0, true};
    }
    const size_t rows = sizeof kToneRows / sizeof kToneRows[0];
    for (size_t r = 0; r < rows; ++r) {
      std::string_view row = kToneRows[r];
      const bool upper = r >= rows / 2;
      const uint32_t lower_first = First(kToneRows[r % (rows / 2)]);
      const uint8_t rank = RankOf(lower_first);
      size_t i = 0;
      uint8_t tone = 0;
      uint32_t cp = 0;
      while (i < row.size() && Decode(row, i, cp)) {
        t[cp] = Letter{0, rank, tone++, upper};
      }
    }
    // The ASCII base of each Vietnamese letter.
    for (auto& [cp, letter] : t) {
      if (letter.base != 0) continue;
      const char* name = kAlphabet[letter.rank - 1];
      const uint32_t lower = First(name);
      letter.base = lower < 0x80 ? static_cast<char>(lower)
                    : lower == First("ă") || lower == First("â") ? 'a'
                    : lower == First("ê") ? 'e'
                    : lower == First("ô") || lower == First("ơ") ? 'o'
                    : lower == First("ư") ? 'u'
                    : '?';
    }
    t[First("đ")] = Letter{'d', RankOf(First("đ")), 0, false};
    t[First("Đ")] = Letter{'d', RankOf(First("đ")), 0, true};
    for (const auto& pair : kOtherLatin) {
      std::string_view row = pair[0];
      const char base = static_cast<char>(pair[1][0] | 0x20);
      const bool upper = pair[1][0] < 'a';
      size_t i = 0;
      uint32_t cp = 0;
      while (i < row.size() && Decode(row, i, cp)) {
        t[cp] = Letter{base, RankOf(static_cast<uint32_t>(base)), 0, upper};
      }
    }
    return t;
  }();
  return table;
}

bool IsCombining(uint32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

// A combining mark's effect on the letter before it: a tone, or a new letter (ă â ê ô ơ ư).
uint8_t ToneOfMark(uint32_t cp) {
  switch (cp) {
    case 0x0300: return 1;  // grave: huyền
    case 0x0309: return 2;  // hook above: hỏi
    case 0x0303: return 3;  // tilde: ngã
    case 0x0301: return 4;  // acute: sắc
    case 0x0323: return 5;  // dot below: nặng
    default: return 0;
  }
}

uint8_t RankWithMark(uint8_t rank, uint32_t mark) {
  const uint8_t a = RankOf('a'), e = RankOf('e'), o = RankOf('o'), u = RankOf('u');
  if (mark == 0x0306 && rank == a) return RankOf(First("ă"));
  if (mark == 0x0302 && rank == a) return RankOf(First("â"));
  if (mark == 0x0302 && rank == e) return RankOf(First("ê"));
  if (mark == 0x0302 && rank == o) return RankOf(First("ô"));
  if (mark == 0x031B && rank == o) return RankOf(First("ơ"));
  if (mark == 0x031B && rank == u) return RankOf(First("ư"));
  return rank;
}

bool IsSpace(uint32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0; }

}  // namespace

bool IsValidUtf8(std::string_view s) {
  // Eight bytes at a time while they are ASCII (field names, codes, dates, most of
  // a note): the server checks every value it receives, twice.
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  size_t i = 0;
  uint32_t cp = 0;
  while (i < s.size()) {
    if (s.size() - i >= 8) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
    } else if (!Decode(s, i, cp)) {
      return false;
    }
  }
  return true;
}

std::optional<uint32_t> FirstForbiddenChar(std::string_view s) {
  // By bytes: in UTF-8 a lead byte never appears inside another character, and this
  // runs for every edit the server receives.
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20) {
      if (b != '\t' && b != '\n') return b;
    } else if (b == 0x7F) {
      return b;
    } else if (b == 0xC2 && i + 1 < n) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (b1 >= 0x80 && b1 <= 0x9F) return b1;  // U+0080-U+009F
    } else if (b == 0xE2 && i + 2 < n) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      const auto b2 = static_cast<unsigned char>(s[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        return 0x2000u + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
      }
    }
  }
  return std::nullopt;
}

std::string CodePointName(uint32_t cp) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "U+";
  const int digits = cp > 0xFFFF ? 6 : 4;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
  return out;
}

std::string EscapeForTerminal(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t from = i;
    uint32_t cp = 0;
    if (!Decode(s, i, cp)) {
      const auto b = static_cast<unsigned char>(s[from]);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
      continue;
    }
    const std::string_view one = s.substr(from, i - from);
    if (FirstForbiddenChar(one)) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
    } else {
      out += one;
    }
  }
  return out;
}

std::string FoldForSearch(std::string_view s) {
  const auto& letters = Letters();
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp = 0;
    if (!Decode(s, i, cp) || IsCombining(cp)) continue;
    if (IsSpace(cp)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    auto it = letters.find(cp);
    if (it != letters.end()) out += it->second.base;
    else Encode(cp, out);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> SplitAtSpaces(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool MatchesSearch(std::string_view text, std::string_view query) {
  const std::string haystack = FoldForSearch(text);
  for (const std::string& word : SplitAtSpaces(FoldForSearch(query))) {
    if (haystack.find(word) == std::string::npos) return false;
  }
  return true;
}

std::string CollationKey(std::string_view s) {
  const auto& letters = Letters();
  // Three levels, each a byte string: base letters, then tones, then case.
  std::string primary, secondary, tertiary;
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp = 0;
    if (!Decode(s, i, cp)) continue;
    if (IsCombining(cp)) {
      if (primary.empty() || secondary.empty()) continue;
      const auto last = static_cast<uint8_t>(primary.back());
      if (last >= 0x20 && last < 0x20 + 64) {
        const uint8_t rank = RankWithMark(static_cast<uint8_t>(last - 0x20), cp);
        primary.back() = static_cast<char>(0x20 + rank);
        if (uint8_t tone = ToneOfMark(cp)) secondary.back() = static_cast<char>(0x01 + tone);
      }
      continue;
    }
    auto it = letters.find(cp);
    if (it != letters.end()) {
      primary += static_cast<char>(0x20 + it->second.rank);
      secondary += static_cast<char>(0x01 + it->second.tone);
      tertiary += static_cast<char>(it->second.upper ? 0x02 : 0x01);
    } else if (cp >= '0' && cp <= '9') {
      primary += static_cast<char>(0x10 + (cp - '0'));
      secondary += '\x01';
      tertiary += '\x01';
    } else if (IsSpace(cp)) {
      primary += '\x01';
      secondary += '\x01';
      tertiary += '\x01';
    } else {
      // Anything else after the letters, by code point.
      primary += '\x7f';
      Encode(cp, primary);
      secondary += '\x01';
      tertiary += '\x01';
    }
  }
  return primary + '\0' + secondary + '\0' + tertiary;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r' || s[b] == '\f' || s[b] == '\v')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == '\f' || s[e - 1] == '\v')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace sotay
