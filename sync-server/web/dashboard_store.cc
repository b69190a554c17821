#include "web/dashboard_store.h"

#include <nlohmann/json.hpp>

namespace sotay::server::web {

namespace {

RecordRef ReadRef(const sql::Statement& st) {
  RecordRef r;
  r.id = st.Text(0);
  r.form = st.Text(1);
  r.version = static_cast<int>(st.Int(2));
  r.area = st.Text(3);
  r.parent = st.Text(4);
  r.updated_seq = st.Int(5);
  return r;
}

Result<std::vector<RecordRef>> ReadRefs(sql::Statement& st) {
  std::vector<RecordRef> out;
  Status s = sql::ForEachRow(st, [&] { out.push_back(ReadRef(st)); });
  if (!s.ok()) return s;
  return out;
}

}  // namespace

Status DashboardStore::InsertSession(const std::string& token_hash, const SessionRow& s) {
  auto st = db_.Prepare(
      "INSERT INTO web_sessions (token_hash, \"user\", csrf, created_ms, seen_ms, expires_ms, since_ms)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!st.ok()) return st.status();
  st->BindBlob(1, token_hash).Bind(2, s.user).Bind(3, s.csrf).Bind(4, s.created_ms).Bind(5, s.seen_ms);
  st->Bind(6, s.expires_ms).Bind(7, s.since_ms);
  return st->Run();
}

Result<std::optional<SessionRow>> DashboardStore::FindSession(const std::string& token_hash) {
  auto st = db_.Prepare(
      "SELECT \"user\", csrf, created_ms, seen_ms, expires_ms, since_ms FROM web_sessions WHERE token_hash = ?1");
  if (!st.ok()) return st.status();
  st->BindBlob(1, token_hash);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<SessionRow>();
  return std::optional<SessionRow>(
      SessionRow{st->Text(0), st->Text(1), st->Int(2), st->Int(3), st->Int(4), st->Int(5)});
}

Status DashboardStore::TouchSession(const std::string& token_hash, int64_t now_ms) {
  auto st = db_.Prepare("UPDATE web_sessions SET seen_ms = ?2 WHERE token_hash = ?1");
  if (!st.ok()) return st.status();
  st->BindBlob(1, token_hash).Bind(2, now_ms);
  return st->Run();
}

Status DashboardStore::DeleteSession(const std::string& token_hash) {
  auto st = db_.Prepare("DELETE FROM web_sessions WHERE token_hash = ?1");
  if (!st.ok()) return st.status();
  st->BindBlob(1, token_hash);
  return st->Run();
}

Status DashboardStore::DeleteUserSessions(const std::string& user) {
  auto st = db_.Prepare("DELETE FROM web_sessions WHERE \"user\" = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, user);
  return st->Run();
}

Status DashboardStore::PruneSessions(int64_t now_ms) {
  auto st = db_.Prepare("DELETE FROM web_sessions WHERE expires_ms <= ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, now_ms);
  return st->Run();
}

Result<std::optional<std::string>> DashboardStore::PasswordHash(const std::string& user) {
  auto st = db_.Prepare("SELECT password_hash FROM users WHERE id = ?1 AND password_hash IS NOT NULL");
  if (!st.ok()) return st.status();
  st->Bind(1, user);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st->Text(0));
}

Result<int64_t> DashboardStore::RecordLogin(const std::string& user, int64_t now_ms) {
  int64_t before = 0;
  {
    auto st = db_.Prepare("SELECT coalesce(last_login_ms, 0) FROM users WHERE id = ?1");
    if (!st.ok()) return st.status();
    st->Bind(1, user);
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (*row) before = st->Int(0);
  }
  auto st = db_.Prepare("UPDATE users SET last_login_ms = ?2 WHERE id = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, user).Bind(2, now_ms);
  Status s = st->Run();
  if (!s.ok()) return s;
  return before;
}

Result<std::vector<UserListRow>> DashboardStore::ListUsers() {
  auto st = db_.Prepare(
      "SELECT id, role, coalesce(area, ''), password_hash IS NOT NULL, last_login_ms, disabled_ms, sensitive_granted_ms,"
      " coalesce(display_name, ''), coalesce(phone, '') FROM users "
      "ORDER BY id");
  if (!st.ok()) return st.status();
  std::vector<UserListRow> out;
  Status s = sql::ForEachRow(*st, [&] {
    UserListRow u;
    u.id = st->Text(0);
    u.role = ParseRole(st->Text(1)).value_or(Role::kWorker);
    u.area = st->Text(2);
    u.has_password = st->Int(3) != 0;
    u.last_login_ms = st->OptInt(4);
    u.disabled_ms = st->OptInt(5);
    u.sensitive_granted_ms = st->OptInt(6);
    u.name = st->Text(7);
    u.phone = st->Text(8);
    out.push_back(std::move(u));
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<std::string>> DashboardStore::Meta(const std::string& key) {
  auto st = db_.Prepare("SELECT value FROM server_meta WHERE key = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, key);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st->Text(0));
}

Result<int64_t> DashboardStore::NewestMoveSeq() {
  auto st = db_.Prepare("SELECT coalesce(max(seq), 0) FROM moves");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status().Annotate("reading the newest move");
  return *row ? st->Int(0) : int64_t{0};
}

Result<int64_t> DashboardStore::NewestSetSeq() {
  auto st = db_.Prepare("SELECT coalesce(max(seq), 0) FROM edit_sets");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status().Annotate("reading the newest change set");
  return *row ? st->Int(0) : int64_t{0};
}

Status DashboardStore::SetMeta(const std::string& key, const std::string& value) {
  auto st = db_.Prepare(
      "INSERT INTO server_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!st.ok()) return st.status();
  st->Bind(1, key).Bind(2, value);
  return st->Run();
}

Result<std::vector<RecordRef>> DashboardStore::RecordsIn(const std::vector<std::string>& communes) {
  if (communes.empty()) return std::vector<RecordRef>();
  auto st = db_.Prepare(
      db_.postgres() ? "SELECT id, form, version, area, coalesce(parent, ''), updated_seq FROM records"
                       " WHERE area IN (SELECT jsonb_array_elements_text(CAST(?1 AS jsonb)))"
                     : "SELECT id, form, version, area, coalesce(parent, ''), updated_seq FROM records"
                       " WHERE area IN (SELECT value FROM json_each(?1))");
  if (!st.ok()) return st.status();
  st->Bind(1, nlohmann::json(communes).dump());
  return ReadRefs(*st);
}

Result<std::vector<RecordRef>> DashboardStore::ChildrenOf(const std::string& record) {
  auto st = db_.Prepare(
      "SELECT id, form, version, area, coalesce(parent, ''), updated_seq FROM records WHERE parent = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, record);
  return ReadRefs(*st);
}

Result<std::set<std::pair<std::string, std::string>>> DashboardStore::NotSamePairs() {
  auto st = db_.Prepare("SELECT first_id, second_id FROM duplicate_not_same");
  if (!st.ok()) return st.status();
  std::set<std::pair<std::string, std::string>> out;
  Status s = sql::ForEachRow(*st, [&] { out.emplace(st->Text(0), st->Text(1)); });
  if (!s.ok()) return s;
  return out;
}

Status DashboardStore::InsertNotSame(const std::pair<std::string, std::string>& key, const std::string& user,
                                     int64_t now_ms) {
  auto st = db_.Prepare(
      "INSERT INTO duplicate_not_same (first_id, second_id, decided_by, decided_ms) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT DO NOTHING");
  if (!st.ok()) return st.status();
  st->Bind(1, key.first).Bind(2, key.second).Bind(3, user).Bind(4, now_ms);
  return st->Run();
}

}  // namespace sotay::server::web
