#include "admin/area_tree.h"

#include <algorithm>
#include <set>

#include "sotay/csv.h"
#include "sotay/text.h"

namespace sotay::server {

bool IsAreaCode(std::string_view code) {
  if (code.empty() || code.size() > 16) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

Result<AreaTree> AreaTree::Build(std::vector<Area> areas) {
  AreaTree t;
  for (size_t i = 0; i < areas.size(); ++i) {
    const Area& a = areas[i];
    if (!IsAreaCode(a.code)) return Status::InvalidArgument("area code '" + a.code + "' is not 1-16 letters or digits");
    if (a.level != kLevelProvince && a.level != kLevelDistrict && a.level != kLevelCommune) {
      return Status::InvalidArgument("area " + a.code + ": level must be province, district or commune");
    }
    if (a.name.empty()) return Status::InvalidArgument("area " + a.code + " has no name");
    if (!t.by_code_.emplace(a.code, i).second) return Status::InvalidArgument("area " + a.code + " appears twice");
  }
  for (const Area& a : areas) {
    if (a.parent.empty()) {
      if (a.level == kLevelCommune) return Status::InvalidArgument("commune " + a.code + " has no parent area");
      continue;
    }
    auto p = t.by_code_.find(a.parent);
    if (p == t.by_code_.end()) {
      return Status::InvalidArgument("area " + a.code + ": parent " + a.parent + " is not in the file");
    }
    if (areas[p->second].level == kLevelCommune) {
      return Status::InvalidArgument("area " + a.code + ": its parent " + a.parent + " is a commune");
    }
    if (a.level == kLevelProvince) return Status::InvalidArgument("province " + a.code + " must have no parent");
  }
  // No cycles: walking up from any area reaches a root within size() steps.
  for (const Area& a : areas) {
    const Area* cur = &a;
    for (size_t steps = 0; !cur->parent.empty(); ++steps) {
      if (steps > areas.size()) return Status::InvalidArgument("area " + a.code + " is its own ancestor");
      cur = &areas[t.by_code_.at(cur->parent)];
    }
  }
  t.areas_ = std::move(areas);
  return t;
}

const Area* AreaTree::Find(const std::string& code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &areas_[it->second];
}

bool AreaTree::IsCommune(const std::string& code) const {
  const Area* a = Find(code);
  return a != nullptr && a->level == kLevelCommune;
}

bool AreaTree::Within(const std::string& code, const std::string& ancestor) const {
  const Area* cur = Find(code);
  for (size_t steps = 0; cur != nullptr && steps <= areas_.size(); ++steps) {
    if (cur->code == ancestor) return true;
    if (cur->parent.empty()) return false;
    cur = Find(cur->parent);
  }
  return false;
}

std::vector<std::string> AreaTree::CommunesUnder(const std::string& code) const {
  std::vector<std::string> out;
  if (Find(code) == nullptr) return out;
  for (const Area& a : areas_) {
    if (a.level == kLevelCommune && Within(a.code, code)) out.push_back(a.code);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<Area>> ParseAreasCsv(std::string_view text) {
  auto table = ParseCsv(text);
  if (!table.ok()) return table.status();
  const std::vector<std::string> want = {"code", "name", "parent_code", "level"};
  std::vector<size_t> col(want.size());
  for (size_t w = 0; w < want.size(); ++w) {
    auto it = std::find_if(table->header.begin(), table->header.end(),
                           [&](const std::string& h) { return Trim(h) == want[w]; });
    if (it == table->header.end()) {
      return Status::InvalidArgument("the areas file has no '" + want[w] +
                                     "' column (header: code,name,parent_code,level)");
    }
    col[w] = static_cast<size_t>(it - table->header.begin());
  }
  std::vector<Area> out;
  for (const CsvRow& row : table->rows) {
    auto cell = [&](size_t w) { return col[w] < row.cells.size() ? Trim(row.cells[col[w]]) : std::string(); };
    Area a{cell(0), cell(1), cell(2), cell(3)};
    if (a.code.empty() && a.name.empty() && a.parent.empty() && a.level.empty()) continue;
    if (!IsAreaCode(a.code)) {
      return Status::InvalidArgument("line " + std::to_string(row.line) + ": the code is not 1-16 letters or digits");
    }
    out.push_back(std::move(a));
  }
  if (out.empty()) return Status::InvalidArgument("the areas file lists no area");
  return out;
}

}  // namespace sotay::server
