// A case linked to the child's profile (issue 14, links) through the real `sotay`
// binary: the worker finds the child in the register by name without diacritics or
// by personal number and picks a number, or types '+' to make the profile on the
// spot; the case then offers the child's name, sex and birth date. An answers file
// names the profile by its id or the 8 characters older records used, and an id
// that names no profile is refused with the field named.
#include <catch2/catch.hpp>

#include <string>

#include "shell_runner.h"

using sotay::testing::Run;
using sotay::testing::Shell;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void Init(const Shell& sh) { REQUIRE(sh({"init", "--area", "01234", "--user", "worker-1"}).code == 0); }

// A profile saved from an answers file; returns its id.
std::string Profile(const Shell& sh, const std::string& name, const std::string& sex, const std::string& dob,
                    const std::string& number) {
  std::string json = R"({"full_name": ")" + name + R"(", "sex": ")" + sex + R"(", "dob": ")" + dob + R"(",
      "ethnicity": "tay", "village": "Thôn Đông", "living_with": "relatives",
      "caregiver_name": "Hoàng Thị Lan", "household_poverty": "poor", "in_school": "yes",
      "school_level": "primary", "health_insurance": "no", "disability": "no", )";
  json += number.empty() ? R"("birth_registered": "no"})"
                         : R"("birth_registered": "yes", "personal_id": ")" + number + R"("})";
  Run r = sh({"new", "child_profile", "--answers", sh.Write("profile.json", json)});
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::string id = r.out.substr(0, r.out.find('\n'));
  REQUIRE(id.size() == 36);
  return id;
}

// The injury's answers from the child's name on, once the child is picked and the
// name, sex and birth date offered by the profile are kept with Enter.
std::string InjuryAfterThePick() {
  return "\n\n\n"        // child_name, child_sex, child_dob: as the profile says
         "\n"            // village: as the profile says
         "\n"            // personal number: none
         "01/06/2025\n"  // incident date
         "2\n"           // traffic
         "3\n"           // on the road
         "\n"            // no description
         "2\n"           // not hospitalised
         "1\n"           // recovered
         "\n";           // no notes
}

// The last record id the shell said it saved.
std::string LastSaved(const std::string& out) {
  const std::string mark = "Đã lưu hồ sơ ";
  const size_t at = out.rfind(mark);
  REQUIRE(at != std::string::npos);
  return out.substr(at + mark.size(), 36);
}

}  // namespace

TEST_CASE("link picker: a name without diacritics finds the child, a number picks them", "[shell][links]") {
  Shell sh;
  Init(sh);
  const std::string an = Profile(sh, "Nguyễn Văn An", "male", "2015-03-21", "");
  Profile(sh, "Lò Văn Páo", "male", "2014-07-02", "001214012345");

  Run r = sh({"new", "injury_incident"}, "nguyen van an\n1\n" + InjuryAfterThePick());
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK(Has(r.out, "    1. Nguyễn Văn An · 21/03/2015 · Thôn Đông\n"));
  CHECK_FALSE(Has(r.out, "Lò Văn Páo"));  // the search shows only who matches
  CHECK(Has(r.out, "[Nguyễn Văn An]"));   // the profile's name offered as the child's
  const std::string injury = LastSaved(r.out);

  Run show = sh({"show", injury});
  INFO(show.out);
  CHECK(Has(show.out, "  Hồ sơ trẻ em trong sổ: " + an + "\n"));
  CHECK(Has(show.out, "  Họ và tên của trẻ: Nguyễn Văn An\n"));
  CHECK(Has(show.out, "  Ngày sinh: 21/03/2015\n"));
  CHECK(Has(show.out, "Thôn Đông"));
}

TEST_CASE("link picker: the personal number finds the child, and Enter after a list leaves it empty", "[shell][links]") {
  Shell sh;
  Init(sh);
  Profile(sh, "Lò Văn Páo", "male", "2014-07-02", "001214012345");

  const std::string typed = "001214012345\n"  // the number finds Páo
                            "\n"              // Enter: no link after all
                            "Lò Văn Páo\n2\n02/07/2014\nThôn Đông\n001214012345\n"
                            "01/06/2025\n2\n3\n\n2\n1\n\n";
  Run r = sh({"new", "injury_incident"}, typed);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK(Has(r.out, "    1. Lò Văn Páo · 02/07/2014 · Thôn Đông\n"));
  Run show = sh({"show", LastSaved(r.out)});
  CHECK_FALSE(Has(show.out, "Hồ sơ trẻ em trong sổ"));  // no link kept
}

TEST_CASE("link picker: '+' makes the child's profile on the spot and links it", "[shell][links]") {
  Shell sh;
  Init(sh);
  const std::string profile = "Lò Thị Mai\n"
                              "1\n"            // female
                              "02/02/2016\n"
                              "1\n"            // ethnicity
                              "2\n"            // birth not registered
                              + sotay::testing::ProfileAnswersFromVillage();
  Run r = sh({"new", "injury_incident"}, "+\n" + profile + InjuryAfterThePick());
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  const size_t first = r.out.find("Đã lưu hồ sơ ");
  REQUIRE(first != std::string::npos);
  const std::string made = r.out.substr(first + std::string("Đã lưu hồ sơ ").size(), 36);  // the profile, first
  const std::string injury = LastSaved(r.out);
  REQUIRE(made != injury);

  Run shown_profile = sh({"show", made});
  CHECK(Has(shown_profile.out, "Lò Thị Mai"));
  Run show = sh({"show", injury});
  INFO(show.out);
  CHECK(Has(show.out, "  Hồ sơ trẻ em trong sổ: " + made + "\n"));
  CHECK(Has(show.out, "  Họ và tên của trẻ: Lò Thị Mai\n"));
  CHECK(Has(show.out, "  Thôn, bản, tổ dân phố: Bản Phố\n"));
}

TEST_CASE("link picker: an answers file links by the 8-character prefix and keeps the full id", "[shell][links]") {
  Shell sh;
  Init(sh);
  const std::string an = Profile(sh, "Nguyễn Văn An", "male", "2015-03-21", "");
  auto injury = [&](const std::string& link) {
    return sh.Write("injury.json", R"({"child_record_id": ")" + link + R"(", "child_name": "Nguyễn Văn An",
        "child_sex": "male", "child_dob": "2015-03-21", "village": "Thôn Đông",
        "incident_date": "2025-06-01", "injury_type": "fall", "incident_place": "home",
        "hospitalised": "no", "outcome": "recovered"})");
  };
  Run r = sh({"new", "injury_incident", "--answers", injury(an.substr(0, 8))});
  INFO(r.err);
  REQUIRE(r.code == 0);
  Run show = sh({"show", r.out.substr(0, 36)});
  CHECK(Has(show.out, "  Hồ sơ trẻ em trong sổ: " + an + "\n"));

  // An id that names no profile here: refused, the field named, nothing saved.
  Run bad = sh({"--lang", "en", "new", "injury_incident", "--answers", injury("deadbeef")});
  CHECK(bad.code == 4);
  CHECK(Has(bad.err, "field 'child_record_id'"));
  CHECK(Has(bad.err, "no record of form 'child_profile' has the id 'deadbeef' in this notebook"));
  // The injury saved above is a record, but not a child's profile.
  Run not_a_profile = sh({"--lang", "en", "new", "injury_incident", "--answers", injury(r.out.substr(0, 36))});
  CHECK(not_a_profile.code == 4);
  CHECK(Has(not_a_profile.err, "field 'child_record_id'"));
}
