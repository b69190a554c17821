#include "admin/access.h"

#include <cstdio>

namespace sotay::server {

const char* RoleName(Role r) {
  switch (r) {
    case Role::kWorker: return "worker";
    case Role::kDistrict: return "district";
    case Role::kAdmin: return "admin";
  }
  return "worker";
}

std::optional<Role> ParseRole(const std::string& name) {
  if (name == "worker") return Role::kWorker;
  if (name == "district") return Role::kDistrict;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

bool CanEdit(const AreaTree& areas, const Principal& who, const std::string& area) {
  if (!areas.IsCommune(area)) return false;
  switch (who.role) {
    case Role::kWorker: return area == who.area;
    case Role::kDistrict: return !who.area.empty() && areas.Within(area, who.area);
    case Role::kAdmin: return false;
  }
  return false;
}

std::vector<std::string> VisibleCommunes(const AreaTree& areas, const Principal& who) {
  switch (who.role) {
    case Role::kWorker:
      return areas.IsCommune(who.area) ? std::vector<std::string>{who.area} : std::vector<std::string>{};
    case Role::kDistrict: return who.area.empty() ? std::vector<std::string>{} : areas.CommunesUnder(who.area);
    case Role::kAdmin: return {};
  }
  return {};
}

CommuneList EditableCommunes(const AreaTree& areas, const Principal& who) {
  CommuneList out;
  uint64_t hash = 14695981039346656037ull;  // FNV-1a: a tag, not a secret
  for (const std::string& code : VisibleCommunes(areas, who)) {
    const Area* a = areas.Find(code);
    out.communes.push_back(Commune{code, a != nullptr ? a->name : ""});
    for (char c : code + "\t" + out.communes.back().name + "\n") {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
  }
  char tag[17];
  std::snprintf(tag, sizeof tag, "%016llx", static_cast<unsigned long long>(hash));
  out.tag = tag;
  return out;
}

std::optional<std::string> AreaProblemForRole(const AreaTree& areas, Role role, const std::string& area) {
  if (role == Role::kAdmin && area.empty()) return std::nullopt;
  const Area* a = areas.Find(area);
  if (a == nullptr) return "area " + area + " is not loaded on this server";
  if (role == Role::kWorker && a->level != kLevelCommune) return "a worker's area must be a commune";
  if (role == Role::kDistrict && a->level == kLevelCommune) {
    return "district staff need an area above communes (a district or province)";
  }
  return std::nullopt;
}

}  // namespace sotay::server
