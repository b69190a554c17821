// The dashboard's front door: sessions, sign-in and out, the language, CSRF, and
// dispatch to the pages.
#include <algorithm>
#include <mutex>

#include "admin/crypto.h"
#include "sotay/lang.h"
#include "web/audit_log.h"
#include "store/login_guard.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

constexpr const char* kSessionCookie = "sotay_session";
constexpr const char* kLangCookie = "sotay_lang";
constexpr int64_t kSessionLifetimeMs = 8LL * 3600 * 1000;  // one working day
constexpr int64_t kSessionIdleMs = 30LL * 60 * 1000;       // an office PC left unlocked

std::string TokenHash(const std::string& token) { return Blake2b("sotay-session-v1" + token); }

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Only a path of this server: never a redirect to another site. Browsers drop tabs
// and line breaks from a URL and read '\\' as '/', so "/\t/evil.example" would be
// "//evil.example": only visible ASCII other than '\\' is allowed, and no "//" start.
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || (next.size() > 1 && next[1] == '/')) return "/";
  for (char c : next) {
    if (c <= 0x20 || c >= 0x7f || c == '\\') return "/";
  }
  return next;
}

// A stand-in Argon2id hash, checked when the user id is unknown or has no password,
// so that such an answer takes as long as a wrong password: user ids cannot be
// found by timing. Made once, with the same limits as real hashes.
const std::string& StandInHash() {
  static const std::string hash = [] {
    auto h = HashPassword("sotay stand-in: no user has this password");
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

std::string SessionCookie(const HttpRequest& req, const std::string& value, int64_t max_age_s) {
  std::string c = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age_s);
  if (req.secure) c += "; Secure";
  return c;
}

Viewer AnonymousViewer(AppContext& ctx, const HttpRequest& req) {
  Viewer v;
  const std::string lang = CookieValue(req.Header("Cookie"), kLangCookie);
  v.lang = LangCode(lang);
  v.utc_offset_ms = ctx.env->LocalNowMs() - ctx.env->NowMs();
  return v;
}

// The signed-in viewer, or nullopt. Expired and idle sessions are deleted.
Result<std::optional<Viewer>> SessionViewer(AppContext& ctx, const HttpRequest& req, const Viewer& anon,
                                            std::string* token_hash, int64_t* since_ms) {
  const std::string token = CookieValue(req.Header("Cookie"), kSessionCookie);
  if (token.size() != 64) return std::optional<Viewer>();
  *token_hash = TokenHash(token);
  DashboardStore store(*ctx.store);
  auto row = store.FindSession(*token_hash);
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Viewer>();
  const int64_t now = ctx.env->NowMs();
  if ((*row)->expires_ms <= now || (*row)->seen_ms + kSessionIdleMs <= now) {
    Status s = store.DeleteSession(*token_hash);
    if (!s.ok()) return s;
    return std::optional<Viewer>();
  }
  auto user = ctx.store->FindUser((*row)->user);
  if (!user.ok()) return user.status();
  if (!*user || !(*user)->has_password) return std::optional<Viewer>();
  Status s = store.TouchSession(*token_hash, now);
  if (!s.ok()) return s;
  Viewer v = anon;
  v.user = (*user)->id;
  v.role = (*user)->role;
  v.area = (*user)->area;
  v.sees_sensitive = (*user)->sensitive_granted_ms.has_value();
  v.csrf = (*row)->csrf;
  *since_ms = (*row)->since_ms;
  return std::optional<Viewer>(v);
}

HttpResponse LoginPage(const Viewer& v, const std::string& next, const std::string& error, int status) {
  std::string b;
  if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + Esc(error) + "</p>";
  b += "<form method=\"post\" action=\"/login\" class=\"login\">";
  b += "<input type=\"hidden\" name=\"next\" value=\"" + Esc(SafeNext(next)) + "\">";
  b += std::string("<label>") + v.T("Tên đăng nhập", "User id") +
       "<input name=\"user\" id=\"user\" autocomplete=\"username\" required autofocus></label>";
  b += std::string("<label>") + v.T("Mật khẩu", "Password") +
       "<input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>";
  b += std::string("<button type=\"submit\">") + v.T("Đăng nhập", "Sign in") + "</button></form>";
  return HtmlResponse(status, Page(v, v.T("Đăng nhập", "Sign in"), "", b));
}

HttpResponse DoLogin(AppContext& ctx, const HttpRequest& req, RequestNote& note, const Viewer& anon) {
  const FormValues form = ParseFormBody(req.body);
  const std::string user = FormValue(form, "user");
  const std::string password = FormValue(form, "password");
  const std::string next = FormValue(form, "next");
  const int64_t now = ctx.env->NowMs();
  const char* wrong = anon.T("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong user id or password.");
  // Per address, whatever the user id (against guessing many ids); per user id only
  // together with the address (web/login_guard.h), so a guesser elsewhere cannot lock the
  // user out.
  int64_t wait_ms = 0;
  {
    // In the database, so that every server process counts the same attempts.
    std::lock_guard<std::mutex> lock(ctx.mu);
    ServerStore::Transaction txn(*ctx.store);
    if (!txn.status().ok()) return InternalError(note, txn.status());
    auto allowed = AllowLoginAttempt(ctx.store->db(), "addr:" + req.remote_addr, now);
    if (!allowed.ok()) return InternalError(note, allowed.status());
    if (!*allowed) {
      note.error = "login_rate";
      return LoginPage(anon, next,
                       anon.T("Quá nhiều lần đăng nhập. Hãy đợi một phút rồi thử lại.",
                              "Too many sign-in attempts. Wait a minute and try again."),
                       429);
    }
    auto wait = LoginWaitMs(ctx.store->db(), user, req.remote_addr, now);
    if (!wait.ok()) return InternalError(note, wait.status());
    wait_ms = *wait;
    Status s = txn.Commit();
    if (!s.ok()) return InternalError(note, s);
  }
  if (wait_ms > 0) {
    note.error = "login_backoff";
    const std::string seconds = std::to_string((wait_ms + 999) / 1000);
    HttpResponse r = LoginPage(anon, next,
                               Pick(anon.lang, "Đã nhập sai mật khẩu nhiều lần. Hãy đợi " + seconds + " giây rồi thử lại.",
                                    "Several wrong passwords. Wait " + seconds + " seconds and try again."),
                               429);
    r.headers["Retry-After"] = seconds;
    return r;
  }
  std::optional<std::string> hash;
  {
    std::lock_guard<std::mutex> lock(ctx.mu);
    DashboardStore store(*ctx.store);
    auto h = store.PasswordHash(user);
    if (!h.ok()) return InternalError(note, h.status());
    hash = *h;
  }
  // Argon2id runs outside the lock: sync does not wait for a sign-in.
  // An unknown user costs the same check as a known one (StandInHash).
  ctx.web->password_checks.Enter();
  const bool good = CheckPassword(hash ? *hash : StandInHash(), password) && hash.has_value();
  // A hash made with older limits is made again now, while the password is at hand.
  std::optional<Result<std::string>> rehashed;
  if (good && PasswordNeedsRehash(*hash)) rehashed = HashPassword(password);
  ctx.web->password_checks.Leave();
  ctx.metrics.CountPasswordCheck();
  std::lock_guard<std::mutex> lock(ctx.mu);
  {
    ServerStore::Transaction txn(*ctx.store);
    Status s = txn.status();
    // From the end of the check, not the request's start: Argon2id takes a while.
    if (s.ok()) {
      s = good ? ClearLoginFailures(ctx.store->db(), user, req.remote_addr)
               : NoteLoginFailure(ctx.store->db(), user, req.remote_addr, ctx.env->NowMs());
    }
    if (s.ok() && rehashed && rehashed->ok()) {
      // Only over the hash that was checked: a password changed meanwhile stands.
      DashboardStore store(*ctx.store);
      auto current = store.PasswordHash(user);
      s = current.status();
      if (s.ok() && *current == hash) s = ctx.store->SetPasswordHash(user, **rehashed);
    }
    if (s.ok()) s = txn.Commit();
    if (!s.ok()) return InternalError(note, s);
  }
  if (!good) {
    note.error = "login_failed";
    // The attempted id is recorded only if it names a user: a password typed into
    // the user box must not land in the log.
    Status s = Audit(ctx, hash ? user : "?", "login.failed", "", "");
    if (!s.ok()) return InternalError(note, s);
    return LoginPage(anon, next, wrong, 401);
  }
  uint8_t raw[32];
  ctx.env->RandomBytes(raw, sizeof raw);
  const std::string token = ToHex(std::string(reinterpret_cast<char*>(raw), sizeof raw));
  ctx.env->RandomBytes(raw, sizeof raw);
  const std::string csrf = ToHex(std::string(reinterpret_cast<char*>(raw), sizeof raw));
  DashboardStore store(*ctx.store);
  ServerStore::Transaction txn(*ctx.store);
  if (!txn.status().ok()) return InternalError(note, txn.status());
  auto since = store.RecordLogin(user, now);
  if (!since.ok()) return InternalError(note, since.status());
  Status s = store.PruneSessions(now);
  if (s.ok()) s = store.InsertSession(TokenHash(token), SessionRow{user, csrf, now, now, now + kSessionLifetimeMs, *since});
  if (s.ok()) s = AppendAudit(ctx.store->db(), AuditEntry{0, now, user, "login", "", ""});
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return InternalError(note, s);
  HttpResponse r = Redirect(SafeNext(next));
  r.headers["Set-Cookie"] = SessionCookie(req, token, kSessionLifetimeMs / 1000);
  return r;
}

HttpResponse StaticAsset(const std::string& path) {
  HttpResponse r;
  r.status = 200;
  r.headers["Cache-Control"] = "max-age=3600";
  r.headers["X-Content-Type-Options"] = "nosniff";
  if (path == "/static/sotay.css") {
    r.content_type = "text/css; charset=utf-8";
    r.body = kStylesheet;
  } else {
    r.content_type = "text/javascript; charset=utf-8";
    r.body = kScript;
  }
  return r;
}

bool SameOrigin(const HttpRequest& req) {
  // Browsers send Origin on POST; a request from another site carries that site.
  const std::string origin = req.Header("Origin");
  if (origin.empty() || origin == "null") return origin.empty();
  const std::string host = req.Header("Host");
  return origin == "http://" + host || origin == "https://" + host;
}

HttpResponse Dispatch(WebRequest& r) {
  const std::string& path = r.http.path;
  const bool get = r.http.method == "GET" || r.http.method == "HEAD";
  const bool post = r.http.method == "POST";
  const bool admin = r.viewer.role == Role::kAdmin;
  if (path == "/" && get) return Redirect(admin ? "/admin/users" : "/records");
  if (path == "/records" && (get || post)) return RecordsPage(r);
  if (path == "/records/transfer" && post) return TransferPost(r);
  if (StartsWith(path, "/records/") && path.find("/files/") != std::string::npos && get) {
    const std::string rest = path.substr(9);
    const size_t at = rest.find("/files/");
    return RecordFile(r, rest.substr(0, at), rest.substr(at + 7));
  }
  if (StartsWith(path, "/records/") && get) return RecordPage(r, path.substr(9));
  if (path == "/conflicts" && get) return ConflictsPage(r);
  if (path == "/conflicts/resolve" && post) return ResolveConflict(r);
  if (path == "/duplicates" && get) return DuplicatesPage(r);
  if (path == "/duplicates/merge" && post) return MergePost(r);
  if (path == "/duplicates/not-same" && post) return NotSamePost(r);
  if (path == "/cases" && get) return CasesPage(r);
  if (path == "/reports" && get) return ReportsPage(r);
  if (path == "/reports/file" && get) return ReportFile(r);
  if (path == "/export" && get) return ExportPage(r);
  if (path == "/export/file" && (get || post)) return ExportFile(r);  // POST: with sensitive columns
  if (path == "/audit" && get) return AuditPage(r);
  if (path == "/admin/users" && get) return UsersPage(r);
  if (path == "/admin/devices" && get) return DevicesPage(r);
  if (path == "/admin/devices/revoke" && post) return RevokeDevicePost(r);
  if (path == "/admin/codes" && post) return IssueCodePost(r);
  if (path == "/account/password" && (get || post)) return PasswordPage(r);
  r.note.error = "not_found";
  return ErrorPage(r.viewer, 404, r.viewer.T("Không có trang này.", "There is no such page."));
}

}  // namespace

Principal PrincipalOf(const Viewer& v) { return Principal{"", v.user, v.role, v.area}; }

Status Audit(AppContext& ctx, const std::string& actor, const std::string& action, const std::string& target,
             const std::string& detail) {
  ServerStore::Transaction txn(*ctx.store);
  if (!txn.status().ok()) return txn.status();
  Status s = AppendAudit(ctx.store->db(), AuditEntry{0, ctx.env->NowMs(), actor, action, target, detail});
  if (!s.ok()) return s;
  return txn.Commit();
}

std::string RouteLabel(const std::string& path) {
  static const char* const kFixed[] = {"/",          "/login",       "/logout",        "/records",
                                       "/conflicts", "/conflicts/resolve", "/cases",   "/reports", "/reports/file",
                                       "/duplicates", "/duplicates/merge", "/duplicates/not-same",
                                       "/export",    "/export/file", "/audit",         "/admin/users",
                                       "/admin/devices", "/admin/devices/revoke", "/admin/codes", "/account/password",
                                       "/static/sotay.css", "/static/sotay.js", "/lang/vi", "/lang/en"};
  for (const char* f : kFixed) {
    if (path == f) return f;
  }
  if (StartsWith(path, "/records/") && path.find("/files/") != std::string::npos) return "/records/{id}/files/{field}";
  if (StartsWith(path, "/records/")) return "/records/{id}";
  return "other";
}

HttpResponse HandleWeb(AppContext& ctx, const HttpRequest& req, RequestNote& note) {
  const std::string& path = req.path;
  if ((path == "/static/sotay.css" || path == "/static/sotay.js") && req.method == "GET") return StaticAsset(path);
  Viewer anon = AnonymousViewer(ctx, req);

  if (StartsWith(path, "/lang/") && req.method == "GET") {
    const std::string lang = LangCode(path.substr(6));
    HttpResponse r = Redirect(SafeNext(req.Query("next")));
    r.headers["Set-Cookie"] = std::string(kLangCookie) + "=" + lang + "; Path=/; SameSite=Strict; Max-Age=31536000";
    return r;
  }
  if (path == "/login") {
    if (req.method == "POST") {
      if (!SameOrigin(req)) {
        note.error = "csrf";
        return ErrorPage(anon, 403, anon.T("Yêu cầu đến từ trang khác.", "The request came from another site."));
      }
      return DoLogin(ctx, req, note, anon);
    }
    if (req.method == "GET") return LoginPage(anon, req.Query("next"), "", 200);
  }

  std::string token_hash;
  std::optional<Viewer> viewer;
  int64_t since_ms = 0;
  {
    std::lock_guard<std::mutex> lock(ctx.mu);
    auto found = SessionViewer(ctx, req, anon, &token_hash, &since_ms);
    if (!found.ok()) return InternalError(note, found.status());
    viewer = *found;
  }
  if (!viewer) {
    note.error = "no_session";
    std::string next = req.method == "GET" ? path : "/";
    // The query of a GET page holds filters only (never names), so it may travel.
    if (req.method == "GET" && !req.query.empty()) {
      std::string q;
      for (const auto& [k, val] : req.query) q += (q.empty() ? "?" : "&") + UrlEncode(k) + "=" + UrlEncode(val);
      next += q;
    }
    return Redirect("/login?next=" + UrlEncode(next));
  }
  note.device = "web:" + viewer->user;

  WebRequest r{ctx, req, note, *viewer, {}, since_ms};
  if (req.method == "POST") {
    r.form = ParseFormBody(req.body);
    const std::string sent = FormValue(r.form, "csrf");
    if (!SameOrigin(req) || sent.size() != viewer->csrf.size() || !SameBytes(sent, viewer->csrf)) {
      note.error = "csrf";
      return ErrorPage(*viewer, 403,
                       viewer->T("Phiên làm việc không khớp với biểu mẫu (mã CSRF). Hãy tải lại trang rồi thử lại.",
                                 "This form does not belong to your session (CSRF token). Reload the page and "
                                 "try again."));
    }
    if (path == "/logout") {
      std::lock_guard<std::mutex> lock(ctx.mu);
      DashboardStore store(*ctx.store);
      Status s = store.DeleteSession(token_hash);
      if (s.ok()) s = Audit(ctx, viewer->user, "logout", "", "");
      if (!s.ok()) return InternalError(note, s);
      HttpResponse res = Redirect("/login");
      res.headers["Set-Cookie"] = SessionCookie(req, "", 0);
      return res;
    }
  }
  return Dispatch(r);
}

}  // namespace sotay::server::web
