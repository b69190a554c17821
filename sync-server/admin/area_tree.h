// Administrative areas as a tree: province -> commune, or province -> district ->
// commune (the depth is data, not code). Records belong to communes; a district
// user's area is any area above communes. Loaded from a CSV file whose format is in
// README.md ("Areas file").
//
// Thread-safety: an AreaTree is an immutable value once built.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/status.h"

namespace sotay::server {

inline constexpr const char* kLevelProvince = "province";
inline constexpr const char* kLevelDistrict = "district";
inline constexpr const char* kLevelCommune = "commune";

struct Area {
  std::string code;    // administrative code, e.g. "01234"
  std::string name;    // UTF-8, e.g. "Xã Chiềng Châu"
  std::string parent;  // "" for a root (a province)
  std::string level;   // kLevelProvince, kLevelDistrict or kLevelCommune
};

class AreaTree {
 public:
  AreaTree() = default;

  // Checks and indexes `areas`: unique well-formed codes, known levels, every parent
  // present and not a commune, no cycles, communes only as leaves. InvalidArgument
  // naming the code at fault otherwise.
  static Result<AreaTree> Build(std::vector<Area> areas);

  const Area* Find(const std::string& code) const;
  bool IsCommune(const std::string& code) const;
  // True when `code` is `ancestor` or lies under it.
  bool Within(const std::string& code, const std::string& ancestor) const;
  // The communes at or under `code`, sorted.
  std::vector<std::string> CommunesUnder(const std::string& code) const;

  const std::vector<Area>& areas() const { return areas_; }
  size_t size() const { return areas_.size(); }

 private:
  std::vector<Area> areas_;
  std::map<std::string, size_t> by_code_;
};

// Parses the areas CSV (header `code,name,parent_code,level`, UTF-8). Errors name
// the line. The result still has to pass AreaTree::Build.
Result<std::vector<Area>> ParseAreasCsv(std::string_view text);

// Whether `code` is well formed: 1-16 ASCII letters or digits.
bool IsAreaCode(std::string_view code);

}  // namespace sotay::server
