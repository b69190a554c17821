// Potential duplicates in the register (duplicates.h), on the names and mistakes a
// commune worker meets: diacritics left out, a letter doubled, day and month swapped.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sotay/duplicates.h"

using namespace sotay;

namespace {

DuplicateProfile P(const std::string& id, const std::string& name, const std::string& dob,
                   const std::string& sex = "male", const std::string& pid = "", const std::string& area = "01234") {
  return DuplicateProfile{id, name, dob, sex, pid, area};
}

// The one candidate between two profiles, or none.
std::vector<DuplicateCandidate> Pair(const DuplicateProfile& a, const DuplicateProfile& b) {
  return FindDuplicates({a, b});
}

bool Found(const std::vector<DuplicateCandidate>& got, DuplicateReason reason) {
  return got.size() == 1 && got[0].reason == reason;
}

}  // namespace

TEST_CASE("duplicates: the same name without diacritics and the same birth date", "[duplicates]") {
  auto got = Pair(P("r2", "Nguyễn Văn An", "2015-03-21"), P("r1", "nguyen  van AN", "2015-03-21", ""));
  REQUIRE(Found(got, DuplicateReason::kSameNameAndBirth));
  CHECK(got[0].first_id == "r1");
  CHECK(got[0].second_id == "r2");
  CHECK(got[0].same_area);
  CHECK(Found(Pair(P("a", "Đặng Thị Đào", "2014-11-02", "female"), P("b", "Dang Thi Dao", "2014-11-02", "female")),
              DuplicateReason::kSameNameAndBirth));
  // The same name and birth date are asked about even when the sex differs: a wrong
  // sex is a mistake too.
  CHECK(Found(Pair(P("a", "Lê Minh Châu", "2016-01-09", "female"), P("b", "Le Minh Chau", "2016-01-09", "male")),
              DuplicateReason::kSameNameAndBirth));
}

TEST_CASE("duplicates: the same valid personal number, whatever the names", "[duplicates]") {
  auto got = Pair(P("a", "Nguyễn Văn An", "2015-03-21", "male", "001215012345", "01234"),
                  P("b", "Trần Thị Bình", "2012-01-01", "female", "001215012345", "05678"));
  REQUIRE(Found(got, DuplicateReason::kSamePersonalId));
  CHECK_FALSE(got[0].same_area);
  // A placeholder typed for many children is not a reason.
  CHECK(Pair(P("a", "Nguyễn Văn An", "2015-03-21", "male", "000000000000"),
             P("b", "Trần Thị Bình", "2012-01-01", "female", "000000000000"))
            .empty());
  // The strongest reason is the one named.
  CHECK(Found(Pair(P("a", "Nguyễn Văn An", "2015-03-21", "male", "001215012345"),
                   P("b", "Nguyen Van An", "2015-03-21", "male", "001215012345")),
              DuplicateReason::kSamePersonalId));
}

TEST_CASE("duplicates: a typing mistake in the name with the same birth date", "[duplicates]") {
  CHECK(Found(Pair(P("a", "Nguyễn Văn An", "2015-03-21"), P("b", "Nguyễn Văn Ann", "2015-03-21")),
              DuplicateReason::kSimilarNameAndBirth));
  CHECK(Found(Pair(P("a", "Phạm Thị Hương", "2013-08-30", "female"), P("b", "Phạm Thị Huơng", "2013-08-30", "female")),
              DuplicateReason::kSameNameAndBirth));  // a misplaced tone folds away
  CHECK(Found(Pair(P("a", "Hoàng Đức Thắng", "2013-08-30"), P("b", "Hoàng Đưc Thăgn", "2013-08-30")),
              DuplicateReason::kSimilarNameAndBirth));  // two mistakes in a long name
  CHECK(Found(Pair(P("a", "Văn An Nguyễn", "2015-03-21"), P("b", "Nguyễn Văn An", "2015-03-21")),
              DuplicateReason::kSimilarNameAndBirth));  // family name written last
  CHECK(Pair(P("a", "Nguyễn Đức Minh", "2015-03-21"), P("b", "Nguyễn Minh Đức", "2015-03-21")).empty());  // two names
  // Same sex is required for a similar name.
  CHECK(Pair(P("a", "Nguyễn Văn An", "2015-03-21", "male"), P("b", "Nguyễn Văn Ann", "2015-03-21", "female")).empty());
  // Three mistakes is another name.
  CHECK(Pair(P("a", "Nguyễn Văn An", "2015-03-21"), P("b", "Nguyễn Văn Bình", "2015-03-21")).empty());
}

TEST_CASE("duplicates: day and month swapped, or a few days apart", "[duplicates]") {
  CHECK(Found(Pair(P("a", "Bùi Thị Lan", "2015-03-07", "female"), P("b", "Bui Thi Lan", "2015-07-03", "female")),
              DuplicateReason::kSimilarNameAndBirth));
  CHECK(Found(Pair(P("a", "Bùi Thị Lan", "2015-03-07", "female"), P("b", "Bùi Thị Lann", "2015-07-03", "female")),
              DuplicateReason::kSimilarNameAndBirth));
  CHECK(Found(Pair(P("a", "Bùi Thị Lan", "2015-12-30", "female"), P("b", "Bùi Thị Lan", "2016-01-01", "female")),
              DuplicateReason::kSimilarNameAndBirth));
  CHECK(Pair(P("a", "Bùi Thị Lan", "2015-03-07", "female"), P("b", "Bùi Thị Lan", "2015-03-17", "female")).empty());
  CHECK(Pair(P("a", "Bùi Thị Lan", "2015-03-07", "female"), P("b", "Bùi Thị Lan", "2016-03-07", "female")).empty());
  // A typo and a close date together, but not a typo and a far date.
  CHECK(Found(Pair(P("a", "Bùi Thị Lan", "2015-03-07", "female"), P("b", "Bùi Thị Lann", "2015-03-09", "female")),
              DuplicateReason::kSimilarNameAndBirth));
  CHECK(Pair(P("a", "Bùi Thị Lan", "2015-03-07", "female"), P("b", "Bùi Thị Lann", "2015-03-11", "female")).empty());
  // Without a birth date nothing but the number can say it is the same child.
  CHECK(Pair(P("a", "Bùi Thị Lan", "", "female"), P("b", "Bùi Thị Lan", "", "female")).empty());
}

TEST_CASE("duplicates: two common names one letter apart are two children", "[duplicates]") {
  std::vector<DuplicateProfile> register_;
  for (int i = 0; i < 3; ++i) {
    const std::string month = std::to_string(1 + 3 * i);  // months apart: no pair among them
    register_.push_back(P("an" + std::to_string(i), "Nguyễn Văn An", "2010-0" + month + "-20"));
    register_.push_back(P("anh" + std::to_string(i), "Nguyễn Văn Anh", "2011-0" + month + "-20"));
  }
  register_.push_back(P("x", "Nguyễn Văn An", "2015-03-21"));
  register_.push_back(P("y", "Nguyễn Văn Anh", "2015-03-21"));
  register_.push_back(P("z", "Nguyễn Văn Ann", "2015-03-21"));
  std::vector<DuplicateCandidate> got = FindDuplicates(register_);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const DuplicateCandidate& c : got) pairs.emplace_back(c.first_id, c.second_id);
  // "Ann" is rare: a mistake for An or Anh; An and Anh are both names.
  CHECK(pairs == std::vector<std::pair<std::string, std::string>>{{"x", "z"}, {"y", "z"}});
}

TEST_CASE("duplicates: different valid numbers say two children, and 'not the same' is remembered", "[duplicates]") {
  CHECK(Pair(P("a", "Nguyễn Văn An", "2015-03-21", "male", "001215012345"),
             P("b", "Nguyễn Văn Ann", "2015-03-21", "male", "001215054321"))
            .empty());
  std::vector<DuplicateProfile> two{P("b", "Nguyễn Văn An", "2015-03-21"), P("a", "Nguyen Van An", "2015-03-21")};
  REQUIRE(FindDuplicates(two).size() == 1);
  CHECK(FindDuplicates(two, {DuplicatePairKey("b", "a")}).empty());
  CHECK(DuplicatePairKey("b", "a") == std::make_pair(std::string("a"), std::string("b")));
  // A record is not its own duplicate, and a profile without an id is left out.
  CHECK(FindDuplicates({P("a", "Nguyễn Văn An", "2015-03-21"), P("a", "Nguyễn Văn An", "2015-03-21")}).empty());
  CHECK(FindDuplicates({P("", "Nguyễn Văn An", "2015-03-21"), P("a", "Nguyễn Văn An", "2015-03-21")}).empty());
}
