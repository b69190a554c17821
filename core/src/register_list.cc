// The register list's age bands (sotay/register_list.h).
#include "sotay/register_list.h"

namespace sotay {

const char* AgeBandName(AgeBand band) {
  switch (band) {
    case AgeBand::kAny: return "";
    case AgeBand::kUnder6: return "under6";
    case AgeBand::k6To11: return "6-11";
    case AgeBand::k12To15: return "12-15";
    case AgeBand::k16Plus: return "16+";
  }
  return "";
}

std::optional<AgeBand> ParseAgeBand(const std::string& name) {
  for (AgeBand b : {AgeBand::kAny, AgeBand::kUnder6, AgeBand::k6To11, AgeBand::k12To15, AgeBand::k16Plus}) {
    if (name == AgeBandName(b)) return b;
  }
  return std::nullopt;
}

bool InAgeBand(AgeBand band, int age_years) {
  switch (band) {
    case AgeBand::kAny: return true;
    case AgeBand::kUnder6: return age_years >= 0 && age_years < 6;
    case AgeBand::k6To11: return age_years >= 6 && age_years <= 11;
    case AgeBand::k12To15: return age_years >= 12 && age_years <= 15;
    case AgeBand::k16Plus: return age_years >= 16;
  }
  return false;
}

}  // namespace sotay
