// Vietnamese text: search that ignores diacritics, and dictionary order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>

#include "sotay/text.h"

using namespace sotay;

TEST_CASE("text: searching 'nguyen' finds 'Nguyễn'", "[text]") {
  CHECK(FoldForSearch("Nguyễn Thị Ánh") == "nguyen thi anh");
  CHECK(FoldForSearch("ĐẶNG  Văn\tĐức ") == "dang van duc");
  CHECK(MatchesSearch("Nguyễn Thị Ánh", "nguyen"));
  CHECK(MatchesSearch("Nguyễn Thị Ánh", "NGUYEN anh"));
  CHECK(MatchesSearch("Nguyễn Thị Ánh", "thị ánh"));
  CHECK_FALSE(MatchesSearch("Nguyễn Thị Ánh", "tran"));
  CHECK(MatchesSearch("anything", ""));
}

TEST_CASE("text: every Vietnamese vowel with every tone folds to its base", "[text]") {
  const char* rows[][2] = {
      {"aàảãáạăằẳẵắặâầẩẫấậ", "a"}, {"AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬ", "a"}, {"eèẻẽéẹêềểễếệ", "e"},
      {"EÈẺẼÉẸÊỀỂỄẾỆ", "e"},       {"iìỉĩíị", "i"},             {"IÌỈĨÍỊ", "i"},
      {"oòỏõóọôồổỗốộơờởỡớợ", "o"}, {"OÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢ", "o"}, {"uùủũúụưừửữứự", "u"},
      {"UÙỦŨÚỤƯỪỬỮỨỰ", "u"},       {"yỳỷỹýỵ", "y"},             {"YỲỶỸÝỴ", "y"},
      {"đĐ", "d"}};
  for (const auto& row : rows) {
    std::string folded = FoldForSearch(row[0]);
    INFO(row[0]);
    CHECK(folded == std::string(folded.size(), row[1][0]));
    CHECK(!folded.empty());
  }
}

TEST_CASE("text: decomposed input from some phones folds the same", "[text]") {
  // "Nguyễn" typed as e + circumflex + tilde (combining marks).
  CHECK(FoldForSearch("Nguye\xCC\x82\xCC\x83n") == "nguyen");
  CHECK(CollationKey("Nguye\xCC\x82\xCC\x83n") == CollationKey("Nguyễn"));
  CHECK(CollationKey("A\xCC\x80nh") == CollationKey("Ành"));
}

TEST_CASE("text: invalid UTF-8 is recognised", "[text]") {
  CHECK(IsValidUtf8("Nguyễn"));
  CHECK_FALSE(IsValidUtf8("\xC3\x28"));        // bad continuation
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));        // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));    // surrogate
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80")); // above U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xE1\xBB"));         // truncated
  // Long runs of ASCII are read eight bytes at a time: a bad byte anywhere after,
  // inside or between them is still found, and a good text still passes.
  const std::string ascii = "Nha cach truong 3 km, duong deo. ";
  CHECK(IsValidUtf8(ascii + "Cháu ở với bà ngoại, bà 70 tuổi." + ascii + ascii));
  for (size_t at = 0; at <= ascii.size(); ++at) {
    for (const std::string bad : {"\xC3\x28", "\xED\xA0\x80", "\xFF", "\xE1\xBB"}) {
      std::string text = ascii;
      text.insert(at, bad);
      INFO("bad bytes at " << at);
      CHECK_FALSE(IsValidUtf8(text + ascii));
      CHECK_FALSE(IsValidUtf8(text));
    }
  }
  CHECK_FALSE(IsValidUtf8(ascii + "\xE1\xBB"));  // truncated at the very end
  CHECK(FoldForSearch("a\xFF" "b") == "ab");
}

TEST_CASE("text: names sort in Vietnamese dictionary order", "[text]") {
  std::vector<std::string> expected{"An", "Ánh", "Ân", "Bảo", "Bình", "Cường", "Dũng", "Đào", "Đức",
                                    "Giang", "Hà", "Hải", "Hùng", "Lê", "Lý", "Ngô", "Nguyễn", "Ông",
                                    "Phạm", "Trần", "Ứng", "Vũ"};
  std::vector<std::string> names = expected;
  std::reverse(names.begin(), names.end());
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return CollationKey(a) < CollationKey(b); });
  CHECK(names == expected);
}

TEST_CASE("text: the tones sort a, à, ả, ã, á, ạ and case breaks ties last", "[text]") {
  std::vector<std::string> tones{"ma", "mà", "mả", "mã", "má", "mạ"};
  for (size_t i = 1; i < tones.size(); ++i) CHECK(CollationKey(tones[i - 1]) < CollationKey(tones[i]));
  CHECK(CollationKey("an") < CollationKey("àn"));
  CHECK(CollationKey("àn") < CollationKey("anh"));  // letters first, tones only break ties
  CHECK(CollationKey("lan") < CollationKey("Lan"));
  CHECK(CollationKey("Lan") < CollationKey("lán"));
  CHECK(CollationKey("Bản 10") < CollationKey("Bản 2"));  // digits compare as text, as Excel does
  CHECK(CollationKey("9") < CollationKey("a"));
}

TEST_CASE("text: trim removes surrounding white space only", "[text]") {
  CHECK(Trim("  Bản Phố \r\n") == "Bản Phố");
  CHECK(Trim("") == "");
  CHECK(Trim(" \t ") == "");
}

TEST_CASE("text: what a terminal would run is escaped for printing, the rest is kept", "[text]") {
  CHECK(EscapeForTerminal("Nguyễn Thị Ánh\nBản Phố\tx") == "Nguyễn Thị Ánh\nBản Phố\tx");
  CHECK(EscapeForTerminal("A\x1b[31mB") == "A\\u001b[31mB");
  CHECK(EscapeForTerminal(std::string("A\0B", 3)) == "A\\u0000B");
  CHECK(EscapeForTerminal("A\rB\x7f") == "A\\u000dB\\u007f");
  CHECK(EscapeForTerminal("\xc2\x9b" "2J") == "\\u009b2J");
  CHECK(EscapeForTerminal("abc \xe2\x80\xae" "fed") == "abc \\u202efed");
  CHECK(EscapeForTerminal("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");
  CHECK(EscapeForTerminal("bad \xff byte") == "bad \\xff byte");
}

TEST_CASE("text: the first character a value may not hold is found", "[text]") {
  CHECK(FirstForbiddenChar("Nguyễn Thị Ánh\n\t") == std::nullopt);
  CHECK(FirstForbiddenChar("a\x1b") == std::optional<uint32_t>(0x1B));
  CHECK(FirstForbiddenChar("a\xe2\x80\xae\x1b") == std::optional<uint32_t>(0x202E));
  CHECK(FirstForbiddenChar("\xc2\x85") == std::optional<uint32_t>(0x85));
  CHECK(FirstForbiddenChar("\xc2\xa0") == std::nullopt);  // no-break space is text
  // A forbidden character at any place in, between or after runs of text is the one
  // found, and the bytes around the test's edges (space, tilde, tab, newline,
  // Vietnamese) are not.
  const std::string ascii = "Nha cach truong 3 km, duong deo ~ ";
  CHECK(FirstForbiddenChar(ascii + "\t\n" + ascii + "Cháu ở với bà ngoại." + ascii) == std::nullopt);
  const std::pair<std::string, uint32_t> bad[] = {
      {"\x01", 0x01}, {"\x1f", 0x1F}, {"\x7f", 0x7F}, {"\xc2\x85", 0x85}, {"\xe2\x80\xae", 0x202E}, {"\xe2\x81\xa6", 0x2066}};
  for (size_t at = 0; at <= ascii.size(); ++at) {
    for (const auto& [bytes, cp] : bad) {
      std::string text = ascii;
      text.insert(at, bytes);
      INFO("U+" << std::hex << cp << " at " << std::dec << at);
      CHECK(FirstForbiddenChar(text) == std::optional<uint32_t>(cp));
      CHECK(FirstForbiddenChar(text + ascii + "\x1b") == std::optional<uint32_t>(cp));
      CHECK(FirstForbiddenChar(ascii + ascii.substr(0, at % 9) + bytes) == std::optional<uint32_t>(cp));
    }
  }
  CHECK(CodePointName(0x1B) == "U+001B");
  CHECK(CodePointName(0x202E) == "U+202E");
}
