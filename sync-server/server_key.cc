#include "server_key.h"

#include <sodium.h>

#include <cctype>

#include "crypto.h"
#include "sotay/wire.h"

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

Status ServerKey::Create(Db& db) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(pk, reinterpret_cast<unsigned char*>(sk.data()));
  auto insert = db.Prepare("INSERT INTO server_keys (name, public_key, secret_key) VALUES (?1, ?2, ?3)");
  Status s = insert.status();
  if (s.ok()) {
    insert->Bind(1, kAnswersKey)
        .BindBlob(2, std::string_view(reinterpret_cast<const char*>(pk), sizeof pk))
        .BindBlob(3, sk);
    s = insert->Run();
  }
  sodium_memzero(sk.data(), sk.size());
  return s.Annotate("make the server's signing key");
}

Result<std::shared_ptr<const ServerKey>> ServerKey::Load(Db& db) {
  auto read = db.Prepare("SELECT public_key, secret_key FROM server_keys WHERE name = ?1");
  if (!read.ok()) return read.status();
  read->Bind(1, kAnswersKey);
  auto row = read->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Corrupt("the database has no server signing key (server_keys)");
  std::shared_ptr<ServerKey> key(new ServerKey());
  key->secret_ = read->Blob(1);
  const std::string pk = read->Blob(0);
  if (key->secret_.size() != crypto_sign_SECRETKEYBYTES || pk.size() != crypto_sign_PUBLICKEYBYTES ||
      key->secret_.compare(crypto_sign_SEEDBYTES, pk.size(), pk) != 0) {
    return Status::Corrupt("the server's signing key in the database is malformed");
  }
  key->public_b64_ = Base64Encode(pk);
  return std::shared_ptr<const ServerKey>(std::move(key));
}

ServerKey::~ServerKey() { sodium_memzero(secret_.data(), secret_.size()); }

void ServerKey::SignAnswer(const HttpRequest& req, HttpResponse* res) const {
  const std::string nonce = req.Header("X-Sotay-Nonce");
  if (!WellFormedNonce(nonce)) return;
  const std::string message = AnswerSigningString(req.path, nonce, res->status, Sha256Hex(res->body));
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret_.data()));
  res->headers[kServerSignatureHeader] = Base64Encode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
  res->headers[kServerKeyHeader] = public_b64_;
}

}  // namespace sotay::server
