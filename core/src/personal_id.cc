// The personal identification number's structure (personal_id.h).

#include "sotay/personal_id.h"

#include <algorithm>
#include <iterator>


namespace sotay {

namespace {

struct Province {
  const char* code;
  const char* name;
};

// The 63 province codes of Circular 07/2016/TT-BCA, appendix I (the same numbers as
// the General Statistics Office's province codes, Decision 124/2004/QĐ-TTg, with a
// leading 0). Numbers already issued keep their code after the 2025 merger into 34
// provinces, and each merged province kept the code of one of its parts, so this
// list covers numbers issued before and after. Names as the list gives them.
constexpr Province kProvinces[] = {
    {"001", "Hà Nội"},          {"002", "Hà Giang"},        {"004", "Cao Bằng"},
    {"006", "Bắc Kạn"},         {"008", "Tuyên Quang"},     {"010", "Lào Cai"},
    {"011", "Điện Biên"},       {"012", "Lai Châu"},        {"014", "Sơn La"},
    {"015", "Yên Bái"},         {"017", "Hòa Bình"},        {"019", "Thái Nguyên"},
    {"020", "Lạng Sơn"},        {"022", "Quảng Ninh"},      {"024", "Bắc Giang"},
    {"025", "Phú Thọ"},         {"026", "Vĩnh Phúc"},       {"027", "Bắc Ninh"},
    {"030", "Hải Dương"},       {"031", "Hải Phòng"},       {"033", "Hưng Yên"},
    {"034", "Thái Bình"},       {"035", "Hà Nam"},          {"036", "Nam Định"},
    {"037", "Ninh Bình"},       {"038", "Thanh Hóa"},       {"040", "Nghệ An"},
    {"042", "Hà Tĩnh"},         {"044", "Quảng Bình"},      {"045", "Quảng Trị"},
    {"046", "Thừa Thiên Huế"},  {"048", "Đà Nẵng"},         {"049", "Quảng Nam"},
    {"051", "Quảng Ngãi"},      {"052", "Bình Định"},       {"054", "Phú Yên"},
    {"056", "Khánh Hòa"},       {"058", "Ninh Thuận"},      {"060", "Bình Thuận"},
    {"062", "Kon Tum"},         {"064", "Gia Lai"},         {"066", "Đắk Lắk"},
    {"067", "Đắk Nông"},        {"068", "Lâm Đồng"},        {"070", "Bình Phước"},
    {"072", "Tây Ninh"},        {"074", "Bình Dương"},      {"075", "Đồng Nai"},
    {"077", "Bà Rịa - Vũng Tàu"}, {"079", "Hồ Chí Minh"},   {"080", "Long An"},
    {"082", "Tiền Giang"},      {"083", "Bến Tre"},         {"084", "Trà Vinh"},
    {"086", "Vĩnh Long"},       {"087", "Đồng Tháp"},       {"089", "An Giang"},
    {"091", "Kiên Giang"},      {"092", "Cần Thơ"},         {"093", "Hậu Giang"},
    {"094", "Sóc Trăng"},       {"095", "Bạc Liêu"},        {"096", "Cà Mau"},
};
static_assert(std::size(kProvinces) == 63, "the pre-2025 list has 63 provinces");

// A birth registered abroad carries the country's code, appendix II of the same
// circular (101 Afghanistan ... 295 Zimbabwe). The whole range 100-299 is accepted so
// that a country added to the appendix later is not refused.
bool IsCountryCode(std::string_view code) { return code[0] == '1' || code[0] == '2'; }

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int FirstYearOfCentury(char digit4) { return 1900 + (digit4 - '0') / 2 * 100; }

std::string CenturyText(char digit4) {
  const int first = FirstYearOfCentury(digit4);
  return std::to_string(first) + "–" + std::to_string(first + 99);
}

PersonalIdIssue Issue(PersonalIdProblem p, std::string vi, std::string en) {
  return PersonalIdIssue{p, std::move(vi), std::move(en)};
}

// UTF-8 characters, so that "12 chữ số" counts what the worker sees.
size_t CountChars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Not twelve ASCII digits: how many characters, or which one is not a digit.
PersonalIdIssue ShapeIssue(std::string_view number) {
  const size_t chars = CountChars(number);
  if (chars != 12) {
    return Issue(PersonalIdProblem::kNotTwelveDigits,
                 "Số định danh cá nhân gồm đúng 12 chữ số; đã nhập " + std::to_string(chars) + " ký tự.",
                 "The personal identification number has exactly 12 digits; " + std::to_string(chars) +
                     " characters were entered.");
  }
  size_t at = 0;
  while (at < number.size() && number[at] >= '0' && number[at] <= '9') ++at;
  const std::string pos = std::to_string(at + 1);
  return Issue(PersonalIdProblem::kNotTwelveDigits,
               "Số định danh cá nhân chỉ gồm chữ số; ký tự thứ " + pos + " không phải chữ số.",
               "The personal identification number is digits only; character " + pos + " is not a digit.");
}

}  // namespace

const char* ProvinceName(std::string_view code) {
  for (const Province& p : kProvinces) {
    if (code == p.code) return p.name;
  }
  return nullptr;
}

std::vector<PersonalIdIssue> CheckPersonalId(std::string_view number, const PersonalIdAnswers& answered) {
  std::vector<PersonalIdIssue> out;
  if (number.size() != 12 || !AllDigits(number)) {
    out.push_back(ShapeIssue(number));
    return out;
  }
  const std::string place(number.substr(0, 3));
  if (ProvinceName(place) == nullptr && !IsCountryCode(place)) {
    out.push_back(Issue(PersonalIdProblem::kUnknownPlace,
                        "3 chữ số đầu " + place +
                            " không phải mã tỉnh, thành phố (001 Hà Nội … 096 Cà Mau) hay mã quốc gia nơi đăng ký khai sinh.",
                        "The first 3 digits " + place +
                            " are neither a province code (001 Hà Nội … 096 Cà Mau) nor the code of a country where the birth was registered."));
  }
  if (std::all_of(number.begin(), number.end(), [&](char c) { return c == number[0]; })) {
    out.push_back(Issue(PersonalIdProblem::kPlaceholder, "Số định danh cá nhân không thể là một chữ số lặp lại.",
                        "A personal identification number is not one digit repeated."));
  } else if (number.substr(6) == "000000") {
    out.push_back(Issue(PersonalIdProblem::kPlaceholder,
                        "6 chữ số cuối là 000000; không có số định danh cá nhân nào như vậy.",
                        "The last 6 digits are 000000, which no personal identification number has."));
  }

  const char d4 = number[3];
  const bool female = (d4 - '0') % 2 == 1;
  const std::string d4s(1, d4);
  if ((answered.sex == "male" && female) || (answered.sex == "female" && !female)) {
    const std::string says_vi = female ? "nữ" : "nam", says_en = female ? "female" : "male";
    const std::string ans_vi = female ? "nam" : "nữ", ans_en = female ? "male" : "female";
    out.push_back(Issue(PersonalIdProblem::kSexDisagrees,
                        "Chữ số thứ 4 là " + d4s + ", nghĩa là " + says_vi + ", sinh năm " + CenturyText(d4) +
                            "; câu trả lời là " + ans_vi + ".",
                        "The 4th digit " + d4s + " says " + says_en + ", born " + CenturyText(d4) +
                            "; the answer says " + ans_en + "."));
  }
  if (answered.birth_year) {
    const int year = *answered.birth_year;
    const int first = FirstYearOfCentury(d4);
    const std::string answered_year = std::to_string(year);
    if (year < first || year > first + 99) {
      out.push_back(Issue(PersonalIdProblem::kBirthDisagrees,
                          "Chữ số thứ 4 là " + d4s + ", nghĩa là sinh năm " + CenturyText(d4) +
                              "; ngày sinh đã trả lời là năm " + answered_year + ".",
                          "The 4th digit " + d4s + " says born " + CenturyText(d4) +
                              "; the answered date of birth is in " + answered_year + "."));
    } else if (const int id_year = first + std::stoi(std::string(number.substr(4, 2))); id_year != year) {
      const std::string yy(number.substr(4, 2)), id_year_s = std::to_string(id_year);
      out.push_back(Issue(PersonalIdProblem::kBirthDisagrees,
                          "Chữ số thứ 5–6 là " + yy + ", nghĩa là sinh năm " + id_year_s +
                              "; ngày sinh đã trả lời là năm " + answered_year + ".",
                          "Digits 5–6 are " + yy + ", which says born in " + id_year_s +
                              "; the answered date of birth is in " + answered_year + "."));
    }
  }
  return out;
}

std::optional<PersonalIdParts> DecodePersonalId(std::string_view number) {
  // Without answers only the structure is checked.
  if (!CheckPersonalId(number).empty()) return std::nullopt;
  PersonalIdParts parts;
  parts.place_code = std::string(number.substr(0, 3));
  parts.female = (number[3] - '0') % 2 == 1;
  parts.birth_year = FirstYearOfCentury(number[3]) + std::stoi(std::string(number.substr(4, 2)));
  return parts;
}

}  // namespace sotay
