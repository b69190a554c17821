// The personal identification number (personal_id.h) as a worker types it, and the
// child profile's question that uses it through personal-id-ok().
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sotay/personal_id.h"
#include "sotay/validate.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

std::vector<PersonalIdProblem> Problems(const std::string& number, const PersonalIdAnswers& answered = {}) {
  std::vector<PersonalIdProblem> out;
  for (const PersonalIdIssue& i : CheckPersonalId(number, answered)) out.push_back(i.problem);
  return out;
}

PersonalIdAnswers Answered(const std::string& sex, std::optional<int> year) {
  PersonalIdAnswers a;
  a.sex = sex;
  a.birth_year = year;
  return a;
}

}  // namespace

TEST_CASE("personal id: a real-shaped number passes and says where, sex and year", "[personal_id]") {
  CHECK(CheckPersonalId("001215012345").empty());
  CHECK(CheckPersonalId("001215012345", Answered("male", 2015)).empty());
  CHECK(CheckPersonalId("079310000123", Answered("female", 2010)).empty());
  auto parts = DecodePersonalId("079310000123");
  REQUIRE(parts.has_value());
  CHECK(parts->place_code == "079");
  CHECK(ProvinceName(parts->place_code) == std::string("Hồ Chí Minh"));
  CHECK(parts->female);
  CHECK(parts->birth_year == 2010);
  CHECK(DecodePersonalId("001915012345")->birth_year == 2315);  // 8/9: 2300-2399
  CHECK(ProvinceName("001") == std::string("Hà Nội"));
  CHECK(ProvinceName("096") == std::string("Cà Mau"));
  CHECK(ProvinceName("003") == nullptr);  // no province has 003
}

TEST_CASE("personal id: a birth registered abroad carries the country's code", "[personal_id]") {
  CHECK(CheckPersonalId("139215012345").empty());  // 139: Cambodia
  CHECK(Problems("315012345678") == std::vector<PersonalIdProblem>{PersonalIdProblem::kUnknownPlace});
}

TEST_CASE("personal id: zeros and placeholders are refused", "[personal_id]") {
  CHECK(Problems("000000000000") ==
        std::vector<PersonalIdProblem>{PersonalIdProblem::kUnknownPlace, PersonalIdProblem::kPlaceholder});
  CHECK(Problems("111111111111") == std::vector<PersonalIdProblem>{PersonalIdProblem::kPlaceholder});
  CHECK(Problems("001215000000") == std::vector<PersonalIdProblem>{PersonalIdProblem::kPlaceholder});
  CHECK_FALSE(DecodePersonalId("001215000000").has_value());
}

TEST_CASE("personal id: the wrong length or a letter is named in both languages", "[personal_id]") {
  auto short_one = CheckPersonalId("0012150123");
  REQUIRE(short_one.size() == 1);
  CHECK(short_one[0].en == "The personal identification number has exactly 12 digits; 10 characters were entered.");
  CHECK(short_one[0].vi == "Số định danh cá nhân gồm đúng 12 chữ số; đã nhập 10 ký tự.");
  CHECK(CheckPersonalId("001 215 012 345")[0].en.find("15 characters") != std::string::npos);
  auto letter = CheckPersonalId("00121501234O");  // a letter O for a zero
  REQUIRE(letter.size() == 1);
  CHECK(letter[0].en == "The personal identification number is digits only; character 12 is not a digit.");
  CHECK(CheckPersonalId("")[0].problem == PersonalIdProblem::kNotTwelveDigits);
  auto place = CheckPersonalId("003215012345");
  REQUIRE(place.size() == 1);
  CHECK(place[0].vi.find("3 chữ số đầu 003 không phải mã tỉnh") == 0);
}

TEST_CASE("personal id: disagreement with the answered sex and birth year is named precisely", "[personal_id]") {
  auto sex = CheckPersonalId("001315012345", Answered("male", 2015));
  REQUIRE(sex.size() == 1);
  CHECK(sex[0].problem == PersonalIdProblem::kSexDisagrees);
  CHECK(sex[0].en == "The 4th digit 3 says female, born 2000–2099; the answer says male.");
  CHECK(sex[0].vi == "Chữ số thứ 4 là 3, nghĩa là nữ, sinh năm 2000–2099; câu trả lời là nam.");

  auto year = CheckPersonalId("001215012345", Answered("male", 2016));
  REQUIRE(year.size() == 1);
  CHECK(year[0].problem == PersonalIdProblem::kBirthDisagrees);
  CHECK(year[0].en == "Digits 5–6 are 15, which says born in 2015; the answered date of birth is in 2016.");
  CHECK(year[0].vi == "Chữ số thứ 5–6 là 15, nghĩa là sinh năm 2015; ngày sinh đã trả lời là năm 2016.");

  auto century = CheckPersonalId("001015012345", Answered("", 2015));
  REQUIRE(century.size() == 1);
  CHECK(century[0].en == "The 4th digit 0 says born 1900–1999; the answered date of birth is in 2015.");

  CHECK(Problems("001315012345", Answered("male", 2016)) ==
        std::vector<PersonalIdProblem>{PersonalIdProblem::kSexDisagrees, PersonalIdProblem::kBirthDisagrees});
  CHECK(CheckPersonalId("001315012345", Answered("other", std::nullopt)).empty());  // nothing to compare
}

TEST_CASE("personal id: messages name digits, never the whole number", "[personal_id]") {
  for (const std::string number : {"001315012345", "003215012345", "001215000000"}) {
    for (const PersonalIdIssue& i : CheckPersonalId(number, Answered("male", 2016))) {
      CHECK(i.en.find(number) == std::string::npos);
      CHECK(i.vi.find(number) == std::string::npos);
      if (i.problem != PersonalIdProblem::kPlaceholder) {
        CHECK(i.en.find(number.substr(6)) == std::string::npos);  // nor the serial
      }
    }
  }
}

TEST_CASE("personal id: the child profile refuses a number that disagrees with the child", "[personal_id][validate]") {
  const Form& form = sotay::testing::PackForm("child_profile");
  const CheckEnv env = sotay::testing::CheckDay("2026-11-22", "en");
  Answers a{{"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"},        {"dob", "2015-03-21"},
            {"ethnicity", "mong"},           {"birth_registered", "yes"},
            {"village", "Bản Phố"},          {"living_with", "relatives"}, {"caregiver_name", "Vừ Thị Mai"},
            {"household_poverty", "poor"},   {"in_school", "yes"},       {"school_level", "primary"},
            {"health_insurance", "yes"},     {"disability", "no"},       {"personal_id", "001315012345"}};
  CHECK(CheckAnswers(form, a, env).ok());
  for (const char* wrong : {"001215012345", "001316012345", "000000000000", "003315012345"}) {
    a["personal_id"] = wrong;
    Checked c = CheckAnswers(form, a, env);
    REQUIRE(c.issues.size() == 1);
    CHECK(c.issues[0].field == "personal_id");
  }
}
