// A fuzz input read as an HTTP request, the way the adapter hands one to App:
//
//   METHOD /path?query
//   Header-Name: value
//   ...
//   (empty line)
//   body
//
// Every part is optional; a line without ':' is skipped. The query is decoded as a
// form body is (the adapter's decoding of both is the same percent-decoding).
#pragma once

#include <string_view>

#include "fuzz_support.h"
#include "http/http_message.h"
#include "web/form_body.h"

namespace sotay::fuzz {

inline server::HttpRequest ParseHttpInput(std::string_view in) {
  server::HttpRequest req;
  req.remote_addr = "10.9.0.1";
  std::string_view line;
  in = TakeUntil(in, '\n', &line);
  std::string_view target = TakeUntil(line, ' ', &line);
  req.method = std::string(line);
  std::string_view path;
  const std::string_view query = TakeUntil(target, '?', &path);
  req.path = std::string(path);
  for (const auto& [k, v] : server::web::ParseFormBody(query)) req.query.emplace(k, v);
  while (!in.empty()) {
    in = TakeUntil(in, '\n', &line);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    req.headers[std::string(line.substr(0, colon))] = std::string(value);
  }
  req.body = std::string(in);
  return req;
}

}  // namespace sotay::fuzz
