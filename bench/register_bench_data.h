// The generated province of the register's benches (register_bench.cc,
// register_bench_server.cc): 100,000 children over 150 communes with Vietnamese
// names drawn at realistic frequencies, and 2% more records planted as duplicates
// of some of them, made the way workers make them: diacritics left out, a typing
// mistake, the family name written last, day and month swapped, a birth date a few
// days off, the number left out, the child entered again in another commune.
// Seeded: the same province on every run. Not thread-safe (one generator).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sotay/duplicates.h"
#include "sotay/expr.h"
#include "sotay/text.h"

namespace sotay::bench {

inline constexpr int kCommunes = 150;
inline constexpr double kDuplicateShare = 0.02;

struct Weighted {
  const char* text;
  double weight;
};

// Family names with their approximate share of the population (in %).
inline const std::vector<Weighted> kFamily = {
    {"Nguyễn", 38}, {"Trần", 11}, {"Lê", 9.5}, {"Phạm", 7.1}, {"Hoàng", 3.1}, {"Huỳnh", 2.0},
    {"Phan", 4.5}, {"Vũ", 2.0},   {"Võ", 1.9}, {"Đặng", 2.1}, {"Bùi", 2.0},   {"Đỗ", 1.4},
    {"Hồ", 1.3},   {"Ngô", 1.3},  {"Dương", 1.0}, {"Lý", 0.5}, {"Đinh", 0.5}, {"Đào", 0.5},
    {"Trương", 0.5}, {"Lương", 0.4}, {"Mai", 0.4}, {"Hà", 0.4}, {"Lâm", 0.3}, {"Cao", 0.3},
    {"Tạ", 0.2},   {"Vương", 0.2}, {"Triệu", 0.2}, {"Lò", 0.2}, {"Hứa", 0.1}, {"Quách", 0.1},
};

// Middle and given names, most frequent first, drawn with weights 1 / rank^s: s = 0.8
// for middle names (Văn, Thị: about one child in four) and 0.5 for given names (the
// most common about one in fifteen). The precision measured depends on this: the
// fewer the names, the more children share a name and a birthday by chance.
inline const std::vector<const char*> kMiddleMale = {
    "Văn", "Minh", "Gia", "Đức", "Bảo", "Quốc", "Hoàng", "Anh", "Thành", "Hữu", "Quang", "Tuấn",
    "Công", "Nhật", "Đăng", "Trung", "Thanh", "Duy", "Xuân", "Hải", "Phúc", "Khánh", "Tiến", "Mạnh"};
inline const std::vector<const char*> kMiddleFemale = {
    "Thị", "Ngọc", "Bảo", "Thu", "Minh", "Thanh", "Khánh", "Phương", "Hồng", "Kim", "Mai", "Thảo",
    "Gia", "Quỳnh", "Như", "Bích", "Hoài", "Diệu", "Tuệ", "Yến", "Hà", "Lan", "Cẩm", "Tường"};
inline const std::vector<const char*> kGivenMale = {
    "Huy", "Minh", "Khôi", "Bảo", "Nam", "Long", "Phúc", "Quân", "Anh", "Khang", "Đức", "Hoàng",
    "Dũng", "Hùng", "Tuấn", "Sơn", "Hải", "Hiếu", "Duy", "Đạt", "Khoa", "Kiên", "Lâm", "Nghĩa",
    "Nhân", "Phong", "Quang", "Tài", "Thắng", "Thành", "Tiến", "Trung", "Tú", "Tùng", "Việt",
    "Vinh", "Vũ", "An", "Bình", "Cường", "Chiến", "Công", "Danh", "Định", "Giang", "Hậu", "Hòa",
    "Kiệt", "Lộc", "Lợi", "Mạnh", "Nguyên", "Phát", "Quý", "Sang", "Tâm", "Thái", "Thịnh",
    "Toàn", "Trí"};
inline const std::vector<const char*> kGivenFemale = {
    "Anh", "Linh", "Ngọc", "Trang", "Vy", "Nhi", "Hà", "Mai", "Thảo", "Hương", "My", "Hân",
    "Chi", "Lan", "Huyền", "Phương", "Giang", "Yến", "Châu", "Ngân", "Trâm", "Thư", "Uyên", "Vân",
    "Quỳnh", "Hằng", "Hiền", "Hoa", "Dung", "Diệp", "Loan", "Ly", "Nga", "Nhung", "Oanh", "Quyên",
    "Tâm", "An", "Bích", "Diễm", "Duyên", "Hạnh", "Hồng", "Khuê", "Lam", "Liên", "Mến", "Nguyệt",
    "Nhàn", "Như", "Tiên", "Thủy", "Thúy", "Trinh", "Tuyết", "Vi", "Xuân", "Yên", "Hậu", "Minh"};

class Names {
 public:
  explicit Names(std::mt19937_64* rng) : rng_(rng) {
    std::vector<double> w;
    for (const Weighted& f : kFamily) w.push_back(f.weight);
    family_ = std::discrete_distribution<size_t>(w.begin(), w.end());
  }

  std::string Draw(bool male) {
    const auto& middle = male ? kMiddleMale : kMiddleFemale;
    const auto& given = male ? kGivenMale : kGivenFemale;
    std::string name = kFamily[family_(*rng_)].text;
    const size_t m1 = Zipf(middle.size(), 0.8);
    name += std::string(" ") + middle[m1];
    if (Chance(0.2)) {  // a second middle name: Nguyễn Ngọc Bảo Anh
      size_t m2 = Zipf(middle.size(), 0.8);
      if (m2 != m1 && m2 != 0) name += std::string(" ") + middle[m2];
    }
    return name + " " + given[Zipf(given.size(), 0.5)];
  }

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(*rng_) < p; }
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(*rng_); }

 private:
  size_t Zipf(size_t n, double s) {
    auto it = zipf_.find({n, s});
    if (it == zipf_.end()) {
      std::vector<double> w(n);
      for (size_t i = 0; i < n; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), s);
      it = zipf_.emplace(std::make_pair(n, s), std::discrete_distribution<size_t>(w.begin(), w.end())).first;
    }
    return it->second(*rng_);
  }

  std::mt19937_64* rng_;
  std::discrete_distribution<size_t> family_;
  std::map<std::pair<size_t, double>, std::discrete_distribution<size_t>> zipf_;
};

inline std::string JoinWords(const std::vector<std::string>& w) {
  std::string out;
  for (const std::string& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

// "Nguyễn Văn An" -> "Nguyen Van An": how a name is typed on a phone without Telex.
inline std::string WithoutDiacritics(const std::string& name) {
  std::vector<std::string> words = SplitAtSpaces(FoldForSearch(name));
  for (std::string& w : words) {
    if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 'a' + 'A');
  }
  return JoinWords(words);
}

// One typing mistake in one word: a letter dropped, doubled, swapped with its
// neighbour or replaced by the key beside it.
inline std::string WithTypo(const std::string& name, Names* r) {
  std::vector<std::string> words = SplitAtSpaces(name);
  std::string& w = words[r->Below(words.size())];
  std::vector<std::string> cps;
  for (size_t i = 0; i < w.size();) {
    size_t j = i + 1;
    while (j < w.size() && (static_cast<unsigned char>(w[j]) & 0xC0) == 0x80) ++j;
    cps.push_back(w.substr(i, j - i));
    i = j;
  }
  const size_t at = r->Below(cps.size());
  switch (r->Below(4)) {
    case 0: if (cps.size() > 2) cps.erase(cps.begin() + static_cast<long>(at)); break;
    case 1: cps.insert(cps.begin() + static_cast<long>(at), cps[at]); break;
    case 2: if (at + 1 < cps.size()) std::swap(cps[at], cps[at + 1]); else cps.push_back("h"); break;
    default: cps[at] = std::string(1, "qwertyuiopasdfghjklzxcvbnm"[r->Below(26)]); break;
  }
  w.clear();
  for (const std::string& c : cps) w += c;
  return JoinWords(words);
}

inline std::string Iso(int64_t days) { return FormatIsoDate(days); }


struct Province {
  std::vector<DuplicateProfile> profiles;  // the children, then the planted duplicates
  std::set<std::pair<std::string, std::string>> planted;          // DuplicatePairKey of each planted pair
  std::map<std::pair<std::string, std::string>, std::string> kind_of;  // how each was planted
  std::map<std::string, std::pair<int, int>> by_kind;              // kind -> (planted, found: 0 here)
  int duplicates = 0;
};

// Birth dates fall in 2010-01-01 .. 2025-12-31; communes are 14800 + 7k, k < 150.
inline Province GenerateProvince(int children) {
  Province out;
  std::vector<DuplicateProfile>& profiles = out.profiles;
  auto& planted = out.planted;
  auto& kind_of = out.kind_of;
  auto& by_kind = out.by_kind;
  std::mt19937_64 rng(20250701);
  Names names(&rng);
  const int64_t first_day = *ParseIsoDate("2010-01-01"), last_day = *ParseIsoDate("2025-12-31");

  profiles.reserve(static_cast<size_t>(children * (1 + kDuplicateShare)) + 1);
  std::set<std::string> numbers;
  for (int i = 0; i < children; ++i) {
    DuplicateProfile p;
    p.id = "c" + std::to_string(i);
    const bool male = names.Chance(0.515);
    p.sex = male ? "male" : "female";
    p.full_name = names.Draw(male);
    p.birth_date = Iso(first_day + static_cast<int64_t>(names.Below(static_cast<size_t>(last_day - first_day + 1))));
    p.area = std::to_string(14800 + 7 * static_cast<int>(names.Below(kCommunes)));
    if (names.Chance(0.8)) {  // birth registered, number known: 038 Thanh Hóa
      const int year = std::stoi(p.birth_date.substr(0, 4));
      std::string number;
      do {
        char buf[16];
        std::snprintf(buf, sizeof buf, "038%d%02d%06d", male ? 2 : 3, year % 100,
                      static_cast<int>(1 + names.Below(999999)));
        number = buf;
      } while (!numbers.insert(number).second);
      p.personal_id = number;
    }
    profiles.push_back(p);
  }

  // Planted duplicates: each of some children entered again, with mistakes.
  const int duplicates = static_cast<int>(children * kDuplicateShare);
  std::vector<size_t> picks(static_cast<size_t>(children));
  for (size_t i = 0; i < picks.size(); ++i) picks[i] = i;
  std::shuffle(picks.begin(), picks.end(), rng);
  for (int d = 0; d < duplicates; ++d) {
    const DuplicateProfile& orig = profiles[picks[static_cast<size_t>(d)]];
    DuplicateProfile dup = orig;
    dup.id = "d" + std::to_string(d);
    std::string kind;
    const double n = std::uniform_real_distribution<double>(0, 1)(rng);
    if (n < 0.35) {
      dup.full_name = WithoutDiacritics(orig.full_name);
      kind = "no-diacritics";
    } else if (n < 0.65) {
      dup.full_name = WithTypo(orig.full_name, &names);
      kind = "typo";
    } else if (n < 0.75) {
      std::vector<std::string> w = SplitAtSpaces(orig.full_name);
      std::rotate(w.begin(), w.begin() + 1, w.end());
      dup.full_name = JoinWords(w);
      kind = "family-last";
    } else {
      kind = "same-name";
    }
    const int64_t born = *ParseIsoDate(orig.birth_date);
    const double m = std::uniform_real_distribution<double>(0, 1)(rng);
    const int month = std::stoi(orig.birth_date.substr(5, 2)), day = std::stoi(orig.birth_date.substr(8, 2));
    if (m < 0.20 && day <= 12 && day != month) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%s-%02d-%02d", orig.birth_date.substr(0, 4).c_str(), day, month);
      dup.birth_date = buf;
      kind += "+swapped";
    } else if (m < 0.35) {
      const int64_t off = 1 + static_cast<int64_t>(names.Below(3));
      dup.birth_date = Iso(born + (names.Chance(0.5) ? off : -off));
      kind += "+days-off";
    }
    if (names.Chance(0.5)) dup.personal_id.clear();
    if (dup.personal_id.empty()) kind += "+no-number";
    if (names.Chance(0.2)) dup.area = std::to_string(14800 + 7 * static_cast<int>(names.Below(kCommunes)));
    auto key = DuplicatePairKey(orig.id, dup.id);
    planted.insert(key);
    kind_of[key] = kind;
    ++by_kind[kind].first;
    profiles.push_back(dup);
  }

  out.duplicates = duplicates;
  return out;
}

}  // namespace sotay::bench
