#include "sotay/refusal.h"

#include <nlohmann/json.hpp>

namespace sotay {

ServerRefusal ParseRefusal(int status, std::string_view body) {
  ServerRefusal r;
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    if (j.contains("error") && j["error"].is_string()) r.error = j["error"].get<std::string>();
    if (j.contains("reason") && j["reason"].is_string()) r.reason = j["reason"].get<std::string>();
    if (j.contains("server_time_ms") && j["server_time_ms"].is_number_integer()) {
      r.server_time_ms = j["server_time_ms"].get<int64_t>();
    }
  }
  if (r.reason.empty()) r.reason = "HTTP " + std::to_string(status);
  return r;
}

}  // namespace sotay
