// Plain HTTP request and response values: what handlers take and return. The one
// adapter that speaks to cpp-httplib (http_adapter.cc) converts to and from these,
// so every route is tested without a socket. Also the one JSON error shape:
// {"error": code, "reason": text for a person}.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sotay::server {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using HeaderMap = std::map<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
  std::string method;       // "GET", "POST"
  std::string path;         // without the query string
  std::multimap<std::string, std::string> query;  // the query string, decoded
  HeaderMap headers;
  std::string body;         // as sent, after any Content-Encoding was undone
  std::string remote_addr;  // the peer's address, for per-address limits
  bool body_too_large = false;   // the adapter stopped reading the body at the limit
  bool body_unreadable = false;  // the body could not be read (e.g. broken gzip)
  bool body_cut = false;         // ...because it ended early: the peer left or stalled mid-body
  bool secure = false;           // it came over TLS (cookies are then marked Secure)

  // The header's value, "" when absent.
  std::string Header(const std::string& name) const;
  // The first value of query parameter `name`, "" when absent.
  std::string Query(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  HeaderMap headers;
  // Set instead of `body` for an answer written as it is made, never whole in memory
  // (the export's zip of files): called once, after the handler returned, so without
  // the store's mutex; it writes through `write` (false: the reader went away) and
  // returns false to break the answer off. Sent chunked.
  std::function<bool(const std::function<bool(std::string_view)>& write)> stream;
};

// A refusal: status, a stable code for programs and a reason for people.
struct ApiError {
  int status = 400;
  std::string code;
  std::string reason;
  int64_t server_time_ms = 0;  // sent with `stale`, so a device with a wrong clock can correct for it
};

HttpResponse JsonResponse(int status, const nlohmann::json& body);
HttpResponse ErrorResponse(const ApiError& error);

}  // namespace sotay::server
