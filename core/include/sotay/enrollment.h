// Enrolling a device, over whatever HTTP the caller has (`sotay enroll`, a phone
// app through sotay_c.h): what it posts to <server>/v1/enroll, and how it reads the
// answer. The answer is trusted only when it is signed, over the request's nonce,
// by the server key it names; that key is then pinned for every sync answer
// (docs/sync-protocol.md, "Signed answers").
//
// Thread-safety: pure functions (the caller does the HTTP); safe from any thread.
#pragma once

#include <string>

#include "sotay/env.h"
#include "sotay/notebook.h"
#include "sotay/status.h"
#include "sotay/sync_run.h"

namespace sotay {

struct EnrollmentRequest {
  std::string body;   // JSON {"code", "device_id", "public_key"}
  std::string nonce;  // sent as header X-Sotay-Nonce; the server signs over it
};

// The request that enrolls `nb` with the one-time `code` an administrator gave.
Result<EnrollmentRequest> MakeEnrollmentRequest(Notebook& nb, const std::string& code, Env* env);

// Reads the server's answer to the request sent with `nonce`: the server, its key, the user, area,
// role and communes to give Notebook::SetEnrollment. Tampered when the answer is
// not signed by the key it names over the request's nonce; Corrupt when a signed
// answer is malformed; FailedPrecondition, with the server's reason, when the
// server refused (a used or expired code).
Result<Notebook::Enrollment> ReadEnrollmentAnswer(const std::string& server_url, const std::string& nonce,
                                                  const HttpReply& reply);

}  // namespace sotay
