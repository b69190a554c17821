// Potential duplicates in the register (duplicates.h), on the names and mistakes a
// commune worker meets: diacritics left out, a letter doubled, day and month swapped.
#include <catch2/catch.hpp>

#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "sotay/duplicates.h"
#include "sotay/expr.h"

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

TEST_CASE("duplicates: a register read a year of births at a time gives the pairs of the whole",
          "[duplicates]") {
  // A register with namesakes, typing mistakes, swapped days and months, births a
  // day or two apart across New Year, shared personal numbers with and without births.
  const std::vector<std::string> family = {"Nguyễn", "Trần", "Lò", "Vàng", "Hà", "Giàng"};
  const std::vector<std::string> middle = {"Văn", "Thị", "A", "Thị Thu"};
  const std::vector<std::string> given = {"An", "Bình", "Mai", "Páo", "Dợ", "Sinh", "Lan", "Tú"};
  std::vector<DuplicateProfile> all;
  uint32_t seed = 7;
  auto next = [&](uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
  };
  auto date = [](int y, int m, int d) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
    return std::string(text);
  };
  for (int i = 0; i < 3000; ++i) {
    const std::string name = family[next(6)] + " " + middle[next(4)] + " " + given[next(8)];
    const int year = 2008 + static_cast<int>(next(10));
    std::string dob = date(year, 1 + static_cast<int>(next(12)), 1 + static_cast<int>(next(28)));
    if (next(20) == 0) dob = next(2) == 0 ? "" : date(year, 12, 30 + static_cast<int>(next(2)));
    const std::string pid = next(30) == 0 ? "001215012" + std::to_string(100 + next(20)) : "";
    all.push_back(P("p" + std::to_string(i), name, dob, next(2) == 0 ? "male" : "female", pid));
  }
  // The ones a year's edge or a typing mistake make.
  all.push_back(P("x1", "Nguyễn Văn An", "2012-12-31"));
  all.push_back(P("x2", "Nguyen Van An", "2013-01-02"));
  all.push_back(P("x3", "Lò Thị Mai", "2014-03-11", "female"));
  all.push_back(P("x4", "Lò Thị Maii", "2014-11-03", "female"));
  all.push_back(P("x5", "Vàng A Páo", "", "male", "001215012345"));
  all.push_back(P("x6", "Vàng A Pao", "2011-05-05", "male", "001215012345"));

  const std::vector<DuplicateCandidate> whole = FindDuplicates(all);
  int readings = 0;
  const DuplicateProfileSource read = [&](const DuplicateSlice& slice,
                                          const std::function<void(DuplicateProfile&&)>& take) {
    ++readings;
    for (const DuplicateProfile& p : all) {
      auto born = ParseIsoDate(p.birth_date);
      if (slice.born_from && (!born || *born < *slice.born_from || *born > *slice.born_to)) continue;
      DuplicateProfile copy = p;
      take(std::move(copy));
    }
    return Status::OK();
  };
  size_t compared = 0;
  auto sliced = FindDuplicatesBySlices(read, &compared);
  REQUIRE(sliced.ok());
  REQUIRE(whole.size() > 20);
  REQUIRE(sliced->size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    INFO(whole[i].first_id << " " << whole[i].second_id);
    CHECK((*sliced)[i].first_id == whole[i].first_id);
    CHECK((*sliced)[i].second_id == whole[i].second_id);
    CHECK((*sliced)[i].reason == whole[i].reason);
    CHECK((*sliced)[i].same_area == whole[i].same_area);
  }
  CHECK(compared == all.size());
  std::set<std::string> years;
  for (const DuplicateProfile& p : all) {
    if (ParseIsoDate(p.birth_date)) years.insert(p.birth_date.substr(0, 4));
  }
  CHECK(readings == static_cast<int>(2 + years.size()));  // all, each year of births once, all again
  auto pair_of = [&](const std::string& a, const std::string& b) {
    for (const DuplicateCandidate& c : *sliced) {
      if (c.first_id == a && c.second_id == b) return true;
    }
    return false;
  };
  CHECK(pair_of("x1", "x2"));  // across New Year
  CHECK(pair_of("x5", "x6"));  // one with no birth date, by the number
  // A failing reading fails the scan.
  // A reading that fails part way fails the scan.
  readings = 0;
  const DuplicateProfileSource broken = [&](const DuplicateSlice& slice,
                                            const std::function<void(DuplicateProfile&&)>& take) {
    return readings == 3 ? Status::IOError("the database went away") : read(slice, take);
  };
  auto failed = FindDuplicatesBySlices(broken, nullptr);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message() == "the database went away");
}
