// ServerStore: users, enrollment codes, devices and request nonces.
#include "store/server_store.h"

namespace sotay::server {

// ---- Users

Status ServerStore::InsertUser(const std::string& id, Role role, const std::string& area,
                               const std::optional<std::string>& password_hash, int64_t now_ms) {
  auto st = db_.Prepare(
      "INSERT INTO users (id, role, area, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st.ok()) return st.status();
  st->Bind(1, id).Bind(2, RoleName(role)).Bind(5, now_ms);
  if (area.empty()) {
    st->BindNull(3);
  } else {
    st->Bind(3, area);
  }
  if (password_hash) {
    st->Bind(4, *password_hash);
  } else {
    st->BindNull(4);
  }
  Status s = st->Run();
  if (s.code() == Status::Code::kAlreadyExists) return Status::AlreadyExists("user " + id + " already exists");
  return s;
}

Result<std::optional<UserRow>> ServerStore::FindUser(const std::string& id) {
  auto st = db_.Prepare(
      "SELECT role, coalesce(area, ''), password_hash IS NOT NULL, disabled_ms, sensitive_granted_ms FROM users"
      " WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<UserRow>();
  auto role = ParseRole(st->Text(0));
  if (!role) return Status::Corrupt("user " + id + " has an unknown role");
  return std::optional<UserRow>(UserRow{id, *role, st->Text(1), st->Int(2) != 0, st->OptInt(3), st->OptInt(4)});
}

Status ServerStore::SetPasswordHash(const std::string& id, const std::optional<std::string>& hash) {
  auto st = db_.Prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id);
  if (hash) {
    st->Bind(2, *hash);
  } else {
    st->BindNull(2);
  }
  Status s = st->Run();
  if (s.ok() && db_.changes() != 1) return Status::NotFound("no user " + id);
  return s;
}

Status ServerStore::SetSensitiveGrant(const std::string& id, const std::optional<int64_t>& granted_ms) {
  auto st = db_.Prepare("UPDATE users SET sensitive_granted_ms = ?2 WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id);
  if (granted_ms) {
    st->Bind(2, *granted_ms);
  } else {
    st->BindNull(2);
  }
  Status s = st->Run();
  if (s.ok() && db_.changes() != 1) return Status::NotFound("no user " + id);
  return s;
}

Status ServerStore::SetUserContact(const std::string& id, const std::optional<std::string>& name,
                                   const std::optional<std::string>& phone) {
  // A value not given keeps the column; "" stores NULL, as for accounts made before.
  auto st = db_.Prepare(
      "UPDATE users SET display_name = CASE WHEN ?2 <> 0 THEN NULLIF(?3, '') ELSE display_name END,"
      " phone = CASE WHEN ?4 <> 0 THEN NULLIF(?5, '') ELSE phone END WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id).Bind(2, int64_t{name.has_value()}).Bind(3, name.value_or(""));
  st->Bind(4, int64_t{phone.has_value()}).Bind(5, phone.value_or(""));
  Status s = st->Run();
  if (s.ok() && db_.changes() != 1) return Status::NotFound("no user " + id);
  return s;
}

Result<std::map<std::string, UserContact>> ServerStore::UserContacts() {
  auto st = db_.Prepare("SELECT id, coalesce(display_name, ''), coalesce(phone, '') FROM users");
  if (!st.ok()) return st.status();
  std::map<std::string, UserContact> out;
  Status s = sql::ForEachRow(*st, [&] { out[st->Text(0)] = UserContact{st->Text(1), st->Text(2)}; });
  if (!s.ok()) return s;
  return out;
}

Status ServerStore::DisableUser(const std::string& id, int64_t now_ms) {
  auto st = db_.Prepare(
      "UPDATE users SET password_hash = NULL, disabled_ms = coalesce(disabled_ms, ?2) WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id).Bind(2, now_ms);
  Status s = st->Run();
  if (s.ok() && db_.changes() != 1) return Status::NotFound("no user " + id);
  return s;
}

Result<int64_t> ServerStore::RevokeUserDevices(const std::string& user, int64_t now_ms) {
  auto st = db_.Prepare("UPDATE devices SET revoked_ms = ?2 WHERE \"user\" = ?1 AND revoked_ms IS NULL");
  if (!st.ok()) return st.status();
  st->Bind(1, user).Bind(2, now_ms);
  Status s = st->Run();
  if (!s.ok()) return s;
  return static_cast<int64_t>(db_.changes());
}

Status ServerStore::ExpireEnrollCodes(const std::string& user, int64_t now_ms) {
  auto st = db_.Prepare("UPDATE enroll_codes SET expires_ms = ?2 WHERE \"user\" = ?1 AND used_ms IS NULL AND expires_ms > ?2");
  if (!st.ok()) return st.status();
  st->Bind(1, user).Bind(2, now_ms);
  return st->Run();
}

Result<int64_t> ServerStore::EndWebSessions(const std::string& user, const std::string& keep_csrf) {
  auto st = db_.Prepare("DELETE FROM web_sessions WHERE \"user\" = ?1 AND csrf <> ?2");
  if (!st.ok()) return st.status();
  st->Bind(1, user).Bind(2, keep_csrf);
  Status s = st->Run();
  if (!s.ok()) return s;
  return static_cast<int64_t>(db_.changes());
}

// ---- Enrollment codes

Status ServerStore::InsertEnrollCode(const std::string& hash, const std::string& user, int64_t now_ms,
                                     int64_t expires_ms) {
  auto st = db_.Prepare("INSERT INTO enroll_codes (hash, \"user\", created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)");
  if (!st.ok()) return st.status();
  st->BindBlob(1, hash).Bind(2, user).Bind(3, now_ms).Bind(4, expires_ms);
  return st->Run();
}

Result<std::optional<EnrollCodeRow>> ServerStore::FindEnrollCode(const std::string& hash) {
  auto st = db_.Prepare("SELECT \"user\", expires_ms, used_ms, coalesce(device, '') FROM enroll_codes WHERE hash = ?1");
  if (!st.ok()) return st.status();
  st->BindBlob(1, hash);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<EnrollCodeRow>();
  return std::optional<EnrollCodeRow>(EnrollCodeRow{st->Text(0), st->Int(1), st->OptInt(2), st->Text(3)});
}

Status ServerStore::MarkEnrollCodeUsed(const std::string& hash, const std::string& device, int64_t now_ms) {
  auto st = db_.Prepare("UPDATE enroll_codes SET used_ms = ?2, device = ?3 WHERE hash = ?1 AND used_ms IS NULL");
  if (!st.ok()) return st.status();
  st->BindBlob(1, hash).Bind(2, now_ms).Bind(3, device);
  Status s = st->Run();
  if (s.ok() && db_.changes() != 1) return Status::FailedPrecondition("the enrollment code was already used");
  return s;
}

// ---- Devices

Status ServerStore::InsertDevice(const DeviceRow& d) {
  auto st = db_.Prepare(
      "INSERT INTO devices (id, \"user\", public_key, enrolled_ms, last_seen_ms, revoked_ms)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st.ok()) return st.status();
  st->Bind(1, d.id).Bind(2, d.user).BindBlob(3, d.public_key).Bind(4, d.enrolled_ms);
  st->Bind(5, d.last_seen_ms).Bind(6, d.revoked_ms);
  Status s = st->Run();
  if (s.code() == Status::Code::kAlreadyExists) return Status::AlreadyExists("device " + d.id + " is already enrolled");
  return s;
}

namespace {
// REQUIRES: the columns id, \"user\", public_key, enrolled_ms, last_seen_ms, revoked_ms.
DeviceRow ReadDevice(const sql::Statement& st) {
  return DeviceRow{st.Text(0), st.Text(1), st.Blob(2), st.Int(3), st.OptInt(4), st.OptInt(5)};
}
}  // namespace

Result<std::optional<DeviceRow>> ServerStore::FindDevice(const std::string& id) {
  auto st = db_.Prepare(
      "SELECT id, \"user\", public_key, enrolled_ms, last_seen_ms, revoked_ms FROM devices WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<DeviceRow>();
  return std::optional<DeviceRow>(ReadDevice(*st));
}

Result<std::vector<DeviceRow>> ServerStore::ListDevices() {
  auto st = db_.Prepare(
      "SELECT id, \"user\", public_key, enrolled_ms, last_seen_ms, revoked_ms FROM devices ORDER BY \"user\", id");
  if (!st.ok()) return st.status();
  std::vector<DeviceRow> out;
  Status s = sql::ForEachRow(*st, [&] { out.push_back(ReadDevice(*st)); });
  if (!s.ok()) return s;
  return out;
}

Status ServerStore::RevokeDevice(const std::string& id, int64_t now_ms) {
  auto found = FindDevice(id);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no device " + id);
  auto st = db_.Prepare("UPDATE devices SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL");
  if (!st.ok()) return st.status();
  st->Bind(1, id).Bind(2, now_ms);
  return st->Run();
}

Status ServerStore::TouchDevice(const std::string& id, int64_t now_ms) {
  auto st = db_.Prepare("UPDATE devices SET last_seen_ms = ?2 WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, id).Bind(2, now_ms);
  return st->Run();
}

// ---- Nonces

Result<bool> ServerStore::NonceSeen(const std::string& device, const std::string& nonce, int64_t since_ms) {
  auto st = db_.Prepare("SELECT 1 FROM nonces WHERE device = ?1 AND nonce = ?2 AND seen_ms >= ?3");
  if (!st.ok()) return st.status();
  st->Bind(1, device).Bind(2, nonce).Bind(3, since_ms);
  return st->Step();
}

Status ServerStore::InsertNonce(const std::string& device, const std::string& nonce, int64_t now_ms) {
  auto st = db_.Prepare("INSERT INTO nonces (device, nonce, seen_ms) VALUES (?1, ?2, ?3)");
  if (!st.ok()) return st.status();
  st->Bind(1, device).Bind(2, nonce).Bind(3, now_ms);
  return st->Run();
}

Result<int64_t> ServerStore::NoncesSince(const std::string& device, int64_t since_ms) {
  auto st = db_.Prepare("SELECT count(*) FROM nonces WHERE device = ?1 AND seen_ms > ?2");
  if (!st.ok()) return st.status();
  st->Bind(1, device).Bind(2, since_ms);
  auto row = st->Step();
  if (!row.ok()) return row.status().Annotate("counting a device's requests");
  return *row ? st->Int(0) : int64_t{0};
}

Status ServerStore::PruneNonces(int64_t before_ms) {
  auto st = db_.Prepare("DELETE FROM nonces WHERE seen_ms < ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, before_ms);
  return st->Run();
}

}  // namespace sotay::server
