// GET/POST /account/password: signed-in staff change their own dashboard password,
// giving the current one. Like sign-in, Argon2id runs outside the store's lock and
// through the same gate and rate limit; the change ends the user's other sessions
// (another browser, a PC left signed in) and is in the audit log.
#include <mutex>

#include "admin/admin_ops.h"
#include "admin/crypto.h"
#include "web/audit_log.h"
#include "store/login_guard.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

HttpResponse PasswordForm(const Viewer& v, int status, const std::string& error, const std::string& done) {
  std::string b;
  if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + Esc(error) + "</p>";
  if (!done.empty()) b += "<p class=\"ok\" role=\"status\" id=\"changed\">" + Esc(done) + "</p>";
  b += "<form method=\"post\" action=\"/account/password\" class=\"login\">" + CsrfField(v);
  b += std::string("<label>") + v.T("Mật khẩu hiện tại", "Current password") +
       "<input name=\"old\" id=\"old\" type=\"password\" autocomplete=\"current-password\" required></label>";
  b += std::string("<label>") + v.T("Mật khẩu mới (ít nhất 12 ký tự)", "New password (at least 12 characters)") +
       "<input name=\"new\" id=\"new\" type=\"password\" autocomplete=\"new-password\" minlength=\"12\" required></label>";
  b += std::string("<label>") + v.T("Nhập lại mật khẩu mới", "The new password again") +
       "<input name=\"again\" id=\"again\" type=\"password\" autocomplete=\"new-password\" required></label>";
  b += std::string("<button type=\"submit\">") + v.T("Đổi mật khẩu", "Change the password") + "</button></form>";
  return HtmlResponse(status, Page(v, v.T("Đổi mật khẩu", "Change your password"), "", b));
}

}  // namespace

HttpResponse PasswordPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (r.http.method != "POST") return PasswordForm(v, 200, "", "");
  const std::string old_password = FormValue(r.form, "old");
  const std::string new_password = FormValue(r.form, "new");
  const auto refuse = [&](int status, const char* vi, const char* en) {
    r.note.error = "password_refused";
    return PasswordForm(v, status, v.T(vi, en), "");
  };
  if (PasswordProblem(new_password)) {
    return refuse(400, "Mật khẩu mới cần ít nhất 12 ký tự.", "The new password needs at least 12 characters.");
  }
  if (new_password != FormValue(r.form, "again")) {
    return refuse(400, "Hai lần nhập mật khẩu mới không khớp.", "The two new passwords differ.");
  }
  const int64_t now = r.app.env->NowMs();
  std::optional<std::string> hash;
  {
    std::lock_guard<std::mutex> lock(r.app.mu);
    ServerStore::Transaction txn(*r.app.store);
    if (!txn.status().ok()) return InternalError(r.note, txn.status());
    auto allowed = AllowLoginAttempt(r.app.store->db(), "user:" + v.user, now);
    if (!allowed.ok()) return InternalError(r.note, allowed.status());
    if (!*allowed) {
      return refuse(429, "Quá nhiều lần thử. Hãy đợi một phút rồi thử lại.", "Too many attempts. Wait a minute and try again.");
    }
    Status committed = txn.Commit();
    if (!committed.ok()) return InternalError(r.note, committed);
    auto h = DashboardStore(*r.app.store).PasswordHash(v.user);
    if (!h.ok()) return InternalError(r.note, h.status());
    hash = *h;
  }
  // Argon2id outside the lock: sync does not wait for a password change.
  std::optional<Result<std::string>> fresh;  // the new password's hash, once the old one checks out
  r.app.web->password_checks.Enter();
  const bool good = hash && CheckPassword(*hash, old_password);
  if (good) fresh = HashPassword(new_password);
  r.app.web->password_checks.Leave();
  std::lock_guard<std::mutex> lock(r.app.mu);
  if (!good) {
    Status s = Audit(r.app, v.user, "user.password_change.failed", v.user, "");
    if (!s.ok()) return InternalError(r.note, s);
    return refuse(400, "Mật khẩu hiện tại không đúng.", "The current password is wrong.");
  }
  if (!fresh->ok()) return InternalError(r.note, fresh->status());
  ServerStore::Transaction txn(*r.app.store);
  if (!txn.status().ok()) return InternalError(r.note, txn.status());
  auto current = DashboardStore(*r.app.store).PasswordHash(v.user);
  if (!current.ok()) return InternalError(r.note, current.status());
  if (*current != hash) {  // changed or reset meanwhile: the old password given is not the current one
    return refuse(409, "Mật khẩu vừa được đổi ở nơi khác. Hãy thử lại.", "The password was just changed elsewhere. Try again.");
  }
  Status s = r.app.store->SetPasswordHash(v.user, fresh->value());
  if (!s.ok()) return InternalError(r.note, s);
  auto ended = r.app.store->EndWebSessions(v.user, v.csrf);
  if (!ended.ok()) return InternalError(r.note, ended.status());
  s = AppendAudit(r.app.store->db(), AuditEntry{0, now, v.user, "user.password_change", v.user,
                                                std::to_string(*ended) + " other sessions ended"});
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return InternalError(r.note, s);
  return PasswordForm(v, 200, "",
                      v.T("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.",
                          "Your password was changed. Your other sessions were ended."));
}

}  // namespace sotay::server::web
