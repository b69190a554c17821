#include "store/server_key.h"

#include <cctype>

#include "sotay/signing.h"

namespace sotay::server {

namespace {

constexpr char kAnswersKey[] = "answers";  // the row in server_keys

// A device's nonce is 32 hex digits (Notebook::SignRequestDigest); anything short,
// printable and without a line break is accepted, so the signed text is unambiguous.
bool WellFormedNonce(const std::string& nonce) {
  if (nonce.empty() || nonce.size() > 64) return false;
  for (char c : nonce) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

Status ServerKey::Create(sql::Db& db) {
  const SigningKey made = SigningKey::Generate();
  auto insert = db.Prepare("INSERT INTO server_keys (name, public_key, secret_key) VALUES (?1, ?2, ?3)");
  Status s = insert.status();
  if (s.ok()) {
    insert->Bind(1, kAnswersKey).BindBlob(2, made.PublicKey()).BindBlob(3, made.secret());
    s = insert->Run();
  }
  return s.Annotate("make the server's signing key");
}

Result<std::shared_ptr<const ServerKey>> ServerKey::Load(sql::Db& db) {
  auto read = db.Prepare("SELECT public_key, secret_key FROM server_keys WHERE name = ?1");
  if (!read.ok()) return read.status();
  read->Bind(1, kAnswersKey);
  auto row = read->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Corrupt("the database has no server signing key (server_keys)");
  auto key = SigningKey::FromBytes(read->Blob(1), "the server's signing key in the database");
  if (!key.ok()) return key.status();
  if (key->PublicKey() != read->Blob(0)) {
    return Status::Corrupt("the server's signing key in the database is malformed");
  }
  return std::shared_ptr<const ServerKey>(new ServerKey(std::move(key).value()));
}

void ServerKey::SignAnswer(const HttpRequest& req, HttpResponse* res) const {
  const std::string nonce = req.Header(kNonceHeader);
  if (!WellFormedNonce(nonce)) return;
  res->headers[kServerSignatureHeader] = key_.SignAnswer(req.path, nonce, res->status, res->body);
  res->headers[kServerKeyHeader] = public_b64_;
}

}  // namespace sotay::server
