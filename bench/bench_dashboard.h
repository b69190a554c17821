// The dashboard as the in-process benches reach it: a member of staff signed in
// through App::Handle, and a GET of a page with that session, as a browser sends it.
//
// Thread-safety: as App::Handle.
#pragma once

#include <optional>
#include <string>

#include "app.h"
#include "web/form_body.h"

namespace sotay::bench {

// The session cookie ("name=value") of `user` signed in with `password`; nullopt
// when the sign-in did not give one.
inline std::optional<std::string> SignIn(server::App& app, const std::string& user, const std::string& password) {
  server::HttpRequest login;
  login.method = "POST";
  login.path = "/login";
  login.remote_addr = "10.0.0.1";
  login.headers["Host"] = "bench";
  login.body = "user=" + server::web::UrlEncode(user) + "&password=" + server::web::UrlEncode(password);
  server::HttpResponse in = app.Handle(login);
  const std::string cookie = in.headers["Set-Cookie"].substr(0, in.headers["Set-Cookie"].find(';'));
  if (in.status != 303 || cookie.size() < 20) return std::nullopt;
  return cookie;
}

// GET `path` with the session `cookie`.
inline server::HttpRequest PageRequest(const std::string& path, const std::string& cookie) {
  server::HttpRequest page;
  page.method = "GET";
  page.path = path;
  page.remote_addr = "10.0.0.1";
  page.headers["Host"] = "bench";
  page.headers["Cookie"] = cookie;
  return page;
}

}  // namespace sotay::bench
