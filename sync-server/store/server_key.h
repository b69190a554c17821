// The server's own Ed25519 key pair: it signs every answer to /v1/enroll and
// /v1/sync, and devices pin its public key at enrollment (SECURITY.md, "What
// decides where data goes"; docs/sync-protocol.md, "Signed answers"). Made by
// migration 4 when the database is created or upgraded; the secret half stays in
// the database, which is owner-only (0600), and in this object's memory.
//
// Thread-safety: immutable once loaded; Sign is safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "http/http_message.h"
#include "sotay/signing.h"
#include "sotay/status.h"
#include "store/sql_db.h"

namespace sotay::server {

class ServerKey {
 public:
  // Reads the key pair migration 4 made. Corrupt if it is missing or malformed.
  static Result<std::shared_ptr<const ServerKey>> Load(sql::Db& db);
  // Makes a key pair and stores it (migration 4's step). REQUIRES: in a transaction.
  static Status Create(sql::Db& db);
  ServerKey(const ServerKey&) = delete;
  ServerKey& operator=(const ServerKey&) = delete;

  const std::string& public_key_base64() const { return public_b64_; }
  // Signs `res` as the answer to `req` (signing.h, AnswerSigningString) when the request
  // carries a well-formed X-Sotay-Nonce: adds X-Sotay-Server-Signature and
  // X-Sotay-Server-Key. Without a nonce there is nothing to tie the answer to.
  void SignAnswer(const HttpRequest& req, HttpResponse* res) const;

 private:
  explicit ServerKey(SigningKey key) : key_(std::move(key)), public_b64_(key_.PublicKeyBase64()) {}
  SigningKey key_;  // wiped on destruction
  std::string public_b64_;
};

}  // namespace sotay::server
