// A new profile against the register (MatchNewProfiles in duplicates.h) and an
// import's rows marked by it (MarkDuplicateRows in import.h): what the device asks a
// worker about before a child is saved twice.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sotay/duplicates.h"
#include "sotay/import.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

DuplicateProfile P(const std::string& id, const std::string& name, const std::string& dob,
                   const std::string& sex = "male", const std::string& pid = "") {
  return DuplicateProfile{id, name, dob, sex, pid, "01234"};
}

const Form& ChildProfile() { return sotay::testing::PackForm("child_profile"); }

CheckEnv Today() { return sotay::testing::CheckDay("2026-11-22"); }

}  // namespace

TEST_CASE("new profiles: matched against the register and earlier new ones, strongest first", "[duplicates]") {
  const std::vector<DuplicateProfile> existing{
      P("r1", "Nguyễn Văn An", "2015-03-21"),
      P("r2", "Lò Văn Páo", "2014-01-01", "male", "001214012345"),
      P("r3", "Nguyễn Văn An", "2015-03-21"),  // already a pair with r1: not reported
  };
  const std::vector<DuplicateProfile> incoming{
      P("", "nguyen van an", "2015-03-21"),
      P("", "Trần Văn Bình", "2014-01-01", "male", "001214012345"),
      P("", "Phạm Thị Cúc", "2013-05-05", "female"),
      P("", "Pham Thi Cuc", "2013-05-05", "female"),
  };
  auto got = MatchNewProfiles(existing, incoming, DuplicateReason::kSameNameAndBirth);
  REQUIRE(got.size() == 4);
  REQUIRE(got[0].size() == 2);
  CHECK(got[0][0].other == 0);
  CHECK_FALSE(got[0][0].in_incoming);
  CHECK(got[0][0].reason == DuplicateReason::kSameNameAndBirth);
  CHECK(got[0][1].other == 2);
  REQUIRE(got[1].size() == 1);
  CHECK(got[1][0].other == 1);
  CHECK(got[1][0].reason == DuplicateReason::kSamePersonalId);
  CHECK(got[2].empty());  // a later line does not make an earlier one a duplicate
  REQUIRE(got[3].size() == 1);
  CHECK(got[3][0].in_incoming);
  CHECK(got[3][0].other == 2);
}

TEST_CASE("new profiles: a similar name is left to the district unless asked for", "[duplicates]") {
  const std::vector<DuplicateProfile> existing{P("r1", "Nguyễn Văn An", "2015-03-21")};
  const std::vector<DuplicateProfile> swapped{P("", "Nguyễn Văn An", "2015-21-03")};  // not a date
  const std::vector<DuplicateProfile> typo{P("", "Nguyễn Văn Ann", "2015-03-21")};
  CHECK(MatchNewProfiles(existing, typo, DuplicateReason::kSameNameAndBirth)[0].empty());
  auto all = MatchNewProfiles(existing, typo);
  REQUIRE(all[0].size() == 1);
  CHECK(all[0][0].reason == DuplicateReason::kSimilarNameAndBirth);
  CHECK(MatchNewProfiles(existing, swapped)[0].empty());
  CHECK(MatchNewProfiles({}, {}).empty());
}

TEST_CASE("new profiles: the identity facts are read from a profile's answers", "[duplicates]") {
  DuplicateProfile p = ProfileFromAnswers(
      "r9", {{"full_name", "Hà Thị F"}, {"dob", "2016-06-01"}, {"sex", "female"}, {"village", "Bản 3"}}, "01234");
  CHECK(p.id == "r9");
  CHECK(p.full_name == "Hà Thị F");
  CHECK(p.birth_date == "2016-06-01");
  CHECK(p.sex == "female");
  CHECK(p.personal_id.empty());
  CHECK(p.area == "01234");
  CHECK(std::string(DuplicateReasonLabel(DuplicateReason::kSameNameAndBirth, "vi")) == "cùng họ tên và ngày sinh");
  CHECK(std::string(DuplicateReasonLabel(DuplicateReason::kSamePersonalId, "en")) ==
        "same personal identification number");
}

TEST_CASE("import: rows that repeat a record or an earlier valid row are marked", "[import][duplicates]") {
  const std::string header =
      "full_name,sex,dob,ethnicity,birth_registered,village,living_with,caregiver_name,"
      "household_poverty,in_school,school_level,health_insurance,disability\n";
  const std::string tail = ",kinh,no,Bản 1,relatives,Lò Văn B,poor,yes,primary,yes,no\n";
  const std::string csv = header +
                          "Nguyen Van An,male,2015-03-21" + tail +   // line 2: the record
                          "Lê Thị Hoa,female,2031-01-01" + tail +    // line 3: refused (future)
                          "Le Thi Hoa,female,2031-01-01" + tail +    // line 4: refused, not a twin of 3
                          "Phạm Văn Tú,male,2013-06-01" + tail +     // line 5
                          "pham van tu,male,2013-06-01" + tail;      // line 6: twin of line 5
  auto plan = PlanCsvImport(ChildProfile(), csv, Today());
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 5);
  MarkDuplicateRows(ChildProfile(), {P("rec-1", "Nguyễn Văn An", "2015-03-21")}, *plan);
  REQUIRE((*plan)[0].duplicate);
  CHECK((*plan)[0].duplicate->record_id == "rec-1");
  CHECK((*plan)[0].duplicate->reason == DuplicateReason::kSameNameAndBirth);
  CHECK_FALSE((*plan)[1].duplicate);
  CHECK_FALSE((*plan)[2].duplicate);
  CHECK_FALSE((*plan)[3].duplicate);
  REQUIRE((*plan)[4].duplicate);
  CHECK((*plan)[4].duplicate->record_id.empty());
  CHECK((*plan)[4].duplicate->line == 5);
}
