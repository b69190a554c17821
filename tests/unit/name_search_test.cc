// Finding a child by name the way an officer types it, and the register's order.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sotay/name_search.h"

using namespace sotay;

TEST_CASE("name search: whole-word prefixes in order, never a substring", "[text][name]") {
  CHECK(MatchName("Nguyễn Thị Ánh", "nguyen thi anh") == NameMatch::kExact);
  CHECK(MatchName("Nguyễn Thị Anh Đào", "nguyen thi anh") == NameMatch::kWords);
  CHECK(MatchName("Nguyễn Thị Ánh Dương", "ng th anh") == NameMatch::kPrefix);
  CHECK(MatchName("Nguyễn Thị Ánh", "nguyen anh") == NameMatch::kWords);  // the middle name left out
  for (const char* other : {"Lê Thị Khánh", "Trần Thị Thanh", "Hoàng Thị Hạnh", "Nguyễn Thị Khánh Linh"}) {
    INFO(other);
    CHECK(MatchName(other, "nguyen thi anh") == NameMatch::kNone);
    CHECK(MatchName(other, "anh") == NameMatch::kNone);
  }
  CHECK(MatchName("Nguyễn Thị Ánh", "anh thi") == NameMatch::kNone);  // out of order
  CHECK(MatchName("Nguyễn Thị Ánh", "") == NameMatch::kNone);
  CHECK(MatchName("Nguyễn Thị Ánh", "   ") == NameMatch::kNone);
  CHECK(MatchName("Nguyễn Thị Ánh", "nguyen nguyen") == NameMatch::kNone);  // one word answers one word
  // A whole word later ranks above a prefix earlier.
  CHECK(MatchName("Anhxa Anh", "anh") == NameMatch::kWords);
}

TEST_CASE("name search: diacritics typed are meant, left out are optional", "[text][name]") {
  CHECK(MatchName("Nguyễn Thị Anh", "ánh") == NameMatch::kNone);
  CHECK(MatchName("Nguyễn Thị Ánh", "ánh") == NameMatch::kWords);
  CHECK(MatchName("Nguyễn Thị Ánh", "ÁNH") == NameMatch::kWords);  // case never matters
  CHECK(MatchName("Nguyễn Thị Ảnh", "anh") == NameMatch::kWords);
  CHECK(MatchName("Đặng Văn Đức", "dang") == NameMatch::kWords);
  CHECK(MatchName("Dương Văn Dũng", "đ") == NameMatch::kNone);  // đ is its own letter
  CHECK(MatchName("Nguyễn Thị Ánh", "nguyễn thi") == NameMatch::kWords);  // each word by its own rule
  CHECK(MatchName("Nguyên Thị Ánh", "nguyễn") == NameMatch::kNone);
  // Typed decomposed (a letter, then combining marks): the same word.
  CHECK(MatchName("Nguyễn Thị Ánh", "A\xCC\x81nh") == NameMatch::kWords);
  CHECK(MatchName("Nguye\xCC\x82\xCC\x83n Thị Ánh", "nguyễn") == NameMatch::kWords);
}

TEST_CASE("name order: by given name, then family and middle names, in Vietnamese order", "[text][name]") {
  std::vector<std::string> names = {"Trần Văn Bình", "Nguyễn Thị Ánh", "Lê Thị Anh", "Nguyễn Thị Anh",
                                    "Đặng Văn An", "Bùi Thị Ánh", "Lò Văn Đức", "Hà Văn Dũng", "Mai"};
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return PersonNameSortKey(a) < PersonNameSortKey(b); });
  const std::vector<std::string> want = {"Đặng Văn An", "Lê Thị Anh", "Nguyễn Thị Anh", "Bùi Thị Ánh",
                                         "Nguyễn Thị Ánh", "Trần Văn Bình", "Hà Văn Dũng", "Lò Văn Đức", "Mai"};
  CHECK(names == want);
}
