// A server's refusal as a device reads it: the JSON body {"error": code, "reason":
// text for a person[, "server_time_ms": n]} of every answer that is not 200
// (sync-server/http/http_message.h writes it). RunSync, enrollment and the shell read it
// here, so all three show the same reason for the same answer.
//
// Thread-safety: a pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sotay {

struct ServerRefusal {
  std::string error;                     // the code ("stale", "revoked", ...), "" when none
  std::string reason;                    // the body's reason, else "HTTP <status>"
  std::optional<int64_t> server_time_ms;  // with "stale": the server's clock
};

// Never fails: a body that is not such JSON (a proxy's HTML page) yields no code and
// the status as the reason.
ServerRefusal ParseRefusal(int status, std::string_view body);

}  // namespace sotay
