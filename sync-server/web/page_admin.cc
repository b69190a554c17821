// Administrators' pages: the audit log with its verification, users, devices
// (revoke), and one-time enrollment codes. Administrators see no children's records.
#include <mutex>

#include "admin/admin_ops.h"
#include "web/audit_log.h"
#include "web/dashboard_store.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

constexpr int64_t kAuditPage = 100;

bool IsAdmin(const Viewer& v) { return v.role == Role::kAdmin; }

HttpResponse AdminsOnly(const Viewer& v) {
  return ErrorPage(v, 403, v.T("Trang này dành cho quản trị viên.", "This page is for administrators."));
}

std::string RoleText(const Viewer& v, Role role) {
  switch (role) {
    case Role::kWorker: return v.T("cán bộ xã", "commune worker");
    case Role::kDistrict: return v.T("cán bộ huyện", "district staff");
    case Role::kAdmin: return v.T("quản trị viên", "administrator");
  }
  return "";
}

}  // namespace

HttpResponse AuditPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (!IsAdmin(v)) return AdminsOnly(v);
  const int64_t before = std::max(0L, std::atol(r.http.Query("before").c_str()));
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto verdict = VerifyAudit(r.app.store->db());
  if (!verdict.ok()) return InternalError(r.note, verdict.status());
  auto entries = ListAudit(r.app.store->db(), before, kAuditPage);
  if (!entries.ok()) return InternalError(r.note, entries.status());
  std::string b;
  if (verdict->ok) {
    b += "<p class=\"ok\" id=\"verdict\">" + std::string(v.T("Chuỗi băm nguyên vẹn: ", "The hash chain holds: ")) +
         std::to_string(verdict->entries) + " " + v.T("mục", "entries") + ". " + v.T("Mã đầu chuỗi", "Head hash") +
         ": <code>" + Esc(verdict->head_hash) + "</code></p>";
  } else {
    b += "<p class=\"error\" id=\"verdict\" role=\"alert\">" + std::string(v.T("Nhật ký đã bị sửa: ", "The log was tampered with: ")) +
         Esc(verdict->reason) + "</p>";
  }
  b += std::string("<table class=\"list\" id=\"audit\"><thead><tr><th>#</th><th>") + v.T("Lúc", "When") + "</th><th>" +
       v.T("Ai", "Who") + "</th><th>" + v.T("Việc", "Action") + "</th><th>" + v.T("Đối tượng", "Target") + "</th><th>" +
       v.T("Chi tiết", "Detail") + "</th></tr></thead><tbody>";
  for (const AuditEntry& e : *entries) {
    b += "<tr" + std::string(e.id == verdict->broken_at ? " class=\"broken\"" : "") + "><td>" + std::to_string(e.id) +
         "</td><td>" + FormatTime(v, e.at_ms) + "</td><td>" + Esc(e.actor) + "</td><td>" + Esc(e.action) + "</td><td>" +
         Esc(e.target) + "</td><td>" + Esc(e.detail) + "</td></tr>";
  }
  b += "</tbody></table>";
  if (!entries->empty() && entries->back().id > 1) {
    b += "<p><a href=\"/audit?before=" + std::to_string(entries->back().id) + "\">" + v.T("Cũ hơn ›", "Older ›") + "</a></p>";
  }
  return HtmlResponse(200, Page(v, v.T("Nhật ký truy cập", "Audit log"), "audit", b));
}

HttpResponse UsersPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (!IsAdmin(v)) return AdminsOnly(v);
  std::lock_guard<std::mutex> lock(r.app.mu);
  DashboardStore store(*r.app.store);
  auto users = store.ListUsers();
  if (!users.ok()) return InternalError(r.note, users.status());
  std::string b = std::string("<table class=\"list\" id=\"users\"><thead><tr><th>") + v.T("Tên đăng nhập", "User id") +
                  "</th><th>" + v.T("Họ tên", "Name") + "</th><th>" + v.T("Điện thoại", "Phone") + "</th><th>" +
                  v.T("Vai trò", "Role") + "</th><th>" + v.T("Khu vực", "Area") + "</th><th>" +
                  v.T("Đăng nhập web", "Web sign-in") + "</th><th>" + v.T("Lần cuối", "Last sign-in") + "</th><th>" +
                  v.T("Xem thông tin bảo mật", "Sees confidential answers") + "</th><th></th></tr></thead><tbody>";
  for (const UserListRow& u : *users) {
    b += "<tr><td>" + Esc(u.id) + "</td><td>" + Esc(u.name) + "</td><td>" + Esc(u.phone) + "</td><td>" + RoleText(v, u.role) + "</td><td>" +
         Esc(u.area.empty() ? "" : AreaName(r.app, u.area) + " (" + u.area + ")") + "</td><td>" +
         (u.disabled_ms ? v.T("đã bị khoá", "disabled") : u.has_password ? v.T("có", "yes") : v.T("không", "no")) +
         "</td><td>" +
         (u.last_login_ms ? FormatTime(v, *u.last_login_ms) : "") + "</td><td data-sensitive=\"" +
         (u.sensitive_granted_ms ? "yes" : "no") + "\">" +
         (u.sensitive_granted_ms ? std::string(v.T("có, từ ", "yes, since ")) + FormatTime(v, *u.sensitive_granted_ms)
                                 : std::string()) +
         "</td><td>";
    if (u.role != Role::kAdmin && !u.disabled_ms) {
      b += "<form method=\"post\" action=\"/admin/codes\" class=\"inline\">" + CsrfField(v) +
           "<input type=\"hidden\" name=\"user\" value=\"" + Esc(u.id) + "\"><button>" +
           v.T("Cấp mã đăng ký thiết bị", "Issue an enrollment code") + "</button></form>";
    }
    b += "</td></tr>";
  }
  b += "</tbody></table><p class=\"muted\">" +
       std::string(v.T("Thêm người dùng bằng lệnh: sotay-server admin add-user; đổi họ tên, điện thoại: "
                       "sotay-server admin set-user. Cho cán bộ huyện xem người báo tin: "
                       "sotay-server admin grant-sensitive (thu hồi: revoke-sensitive).",
                       "Add users with: sotay-server admin add-user; change a name or phone with: "
                       "sotay-server admin set-user. Let district staff see reporters: "
                       "sotay-server admin grant-sensitive (take back: revoke-sensitive).")) +
       "</p>";
  return HtmlResponse(200, Page(v, v.T("Người dùng", "Users"), "users", b));
}

HttpResponse DevicesPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (!IsAdmin(v)) return AdminsOnly(v);
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto devices = r.app.store->ListDevices();
  if (!devices.ok()) return InternalError(r.note, devices.status());
  std::string b;
  if (r.http.Query("revoked") == "1") {
    b += std::string("<p class=\"ok\" role=\"status\">") +
         v.T("Đã thu hồi. Thiết bị bị từ chối từ lần đồng bộ tới.", "Revoked. The device is refused from its next sync on.") +
         "</p>";
  }
  b += std::string("<table class=\"list\" id=\"devices\"><thead><tr><th>") + v.T("Thiết bị", "Device") + "</th><th>" +
       v.T("Người dùng", "User") + "</th><th>" + v.T("Đăng ký lúc", "Enrolled") + "</th><th>" +
       v.T("Đồng bộ lần cuối", "Last sync") + "</th><th>" + v.T("Trạng thái", "Status") + "</th></tr></thead><tbody>";
  for (const DeviceRow& d : *devices) {
    b += "<tr><td><code>" + Esc(d.id) + "</code></td><td>" + Esc(d.user) + "</td><td>" + FormatTime(v, d.enrolled_ms) +
         "</td><td>" + (d.last_seen_ms ? FormatTime(v, *d.last_seen_ms) : "") + "</td><td>";
    if (d.revoked_ms) {
      b += std::string(v.T("đã thu hồi ", "revoked ")) + FormatTime(v, *d.revoked_ms);
    } else {
      b += "<form method=\"post\" action=\"/admin/devices/revoke\" class=\"inline\" data-confirm=\"" +
           std::string(v.T("Thu hồi thiết bị này? Nó sẽ không đồng bộ được nữa.",
                           "Revoke this device? It will no longer sync.")) +
           "\">" + CsrfField(v) + "<input type=\"hidden\" name=\"device\" value=\"" + Esc(d.id) + "\"><button>" +
           v.T("Thu hồi", "Revoke") + "</button></form>";
    }
    b += "</td></tr>";
  }
  b += "</tbody></table>";
  return HtmlResponse(200, Page(v, v.T("Thiết bị", "Devices"), "devices", b));
}

HttpResponse RevokeDevicePost(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (!IsAdmin(v)) return AdminsOnly(v);
  const std::string device = FormValue(r.form, "device");
  std::lock_guard<std::mutex> lock(r.app.mu);
  ServerStore::Transaction txn(*r.app.store);
  if (!txn.status().ok()) return InternalError(r.note, txn.status());
  Status s = r.app.store->RevokeDevice(device, r.app.env->NowMs());
  if (s.code() == Status::Code::kNotFound) return ErrorPage(v, 404, v.T("Không có thiết bị này.", "No such device."));
  if (s.ok()) s = AppendAudit(r.app.store->db(), AuditEntry{0, r.app.env->NowMs(), v.user, "device.revoke", device, ""});
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return InternalError(r.note, s);
  return Redirect("/admin/devices?revoked=1");
}

HttpResponse IssueCodePost(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (!IsAdmin(v)) return AdminsOnly(v);
  const std::string user = FormValue(r.form, "user");
  std::lock_guard<std::mutex> lock(r.app.mu);
  ServerStore::Transaction txn(*r.app.store);
  if (!txn.status().ok()) return InternalError(r.note, txn.status());
  auto code = IssueEnrollCode(*r.app.store, user, 72, r.app.env);
  if (!code.ok()) {
    if (code.status().code() == Status::Code::kNotFound || code.status().code() == Status::Code::kInvalidArgument) {
      return ErrorPage(v, 400, code.status().message());
    }
    return InternalError(r.note, code.status());
  }
  Status s = AppendAudit(r.app.store->db(), AuditEntry{0, r.app.env->NowMs(), v.user, "enroll_code.issue", user, ""});
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return InternalError(r.note, s);
  // Shown once, on this answer to a POST (never in a URL), and not stored in clear.
  std::string b = "<p>" + std::string(v.T("Mã đăng ký thiết bị cho ", "Enrollment code for ")) + "<b>" + Esc(user) +
                  "</b>:</p><p class=\"code\" id=\"code\">" + Esc(code->code) + "</p><p>" +
                  v.T("Dùng một lần, hết hạn lúc ", "Single use; expires ") + FormatTime(v, code->expires_ms) +
                  ". " + v.T("Trên thiết bị: ", "On the device: ") + "<code>sotay enroll URL " + Esc(code->code) +
                  "</code></p><p><a href=\"/admin/users\">" + v.T("‹ Người dùng", "‹ Users") + "</a></p>";
  return HtmlResponse(200, Page(v, v.T("Mã đăng ký thiết bị", "Enrollment code"), "users", b));
}

}  // namespace sotay::server::web
