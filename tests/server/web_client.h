// A browser for handler tests: keeps the session cookie, finds the CSRF token in the
// pages it gets, and sends forms the way a browser does, straight to App::Handle.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app.h"
#include "web/form_body.h"

namespace sotay::server::testing {

class WebClient {
 public:
  explicit WebClient(App& app) : app_(app) {}

  HttpResponse Get(const std::string& path, std::vector<std::pair<std::string, std::string>> query = {}) {
    HttpRequest req = Base("GET", path);
    for (auto& [k, v] : query) req.query.emplace(k, v);
    return Send(req);
  }

  // Posts `fields`, with the session's CSRF token unless `with_csrf` is false.
  HttpResponse Post(const std::string& path, std::vector<std::pair<std::string, std::string>> fields,
                    bool with_csrf = true, const std::string& origin = "") {
    HttpRequest req = Base("POST", path);
    if (with_csrf) fields.emplace_back("csrf", csrf_);
    std::string body;
    for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + web::UrlEncode(k) + "=" + web::UrlEncode(v);
    req.body = body;
    req.headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (!origin.empty()) req.headers["Origin"] = origin;
    return Send(req);
  }

  // Signs in; true when the server set a session.
  bool Login(const std::string& user, const std::string& password) {
    HttpResponse r = Post("/login", {{"user", user}, {"password", password}, {"next", "/records"}}, false);
    if (r.status != 303 || cookie_.empty()) return false;
    Get("/records");  // picks up the CSRF token
    Get("/admin/users");
    return !csrf_.empty();
  }

  const std::string& cookie() const { return cookie_; }
  const std::string& csrf() const { return csrf_; }
  std::string last_set_cookie;

 private:
  HttpRequest Base(const std::string& method, const std::string& path) {
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.remote_addr = "10.1.0.1";
    req.headers["Host"] = "dashboard.test";
    std::string cookies = cookie_;
    if (!lang_.empty()) cookies += (cookies.empty() ? "" : "; ") + lang_;
    if (!cookies.empty()) req.headers["Cookie"] = cookies;
    return req;
  }

  HttpResponse Send(const HttpRequest& req) {
    HttpResponse r = app_.Handle(req);
    auto set = r.headers.find("Set-Cookie");
    if (set != r.headers.end()) {
      last_set_cookie = set->second;
      const std::string pair = set->second.substr(0, set->second.find(';'));
      if (pair.rfind("sotay_session=", 0) == 0) cookie_ = pair.size() > 14 ? pair : "";
      if (pair.rfind("sotay_lang=", 0) == 0) lang_ = pair;
    }
    const std::string marker = "name=\"csrf\" value=\"";
    const size_t at = r.body.find(marker);
    if (at != std::string::npos) csrf_ = r.body.substr(at + marker.size(), 64);
    return r;
  }

  App& app_;
  std::string cookie_, csrf_, lang_;
};

}  // namespace sotay::server::testing
