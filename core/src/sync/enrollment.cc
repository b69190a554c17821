// Enrolling a device (sotay/enrollment.h): the request and the signed answer.
#include "sotay/enrollment.h"

#include <nlohmann/json.hpp>

#include "sotay/refusal.h"
#include "sotay/sync_run.h"

namespace sotay {

namespace {

using nlohmann::json;

bool IsText(const json& j, const char* key) { return j.contains(key) && j[key].is_string(); }

}  // namespace

Result<EnrollmentRequest> MakeEnrollmentRequest(Notebook& nb, const std::string& code, Env* env) {
  if (code.empty()) return Status::InvalidArgument("enrollment needs the code an administrator gave");
  auto key = nb.PublicKeyBase64();
  if (!key.ok()) return key.status();
  EnrollmentRequest req;
  req.body = json{{"code", code}, {"device_id", nb.device_id()}, {"public_key", *key}}.dump();
  req.nonce = RandomHex(env, 16);
  return req;
}

Result<Notebook::Enrollment> ReadEnrollmentAnswer(const std::string& server_url, const std::string& nonce,
                                                  const HttpReply& reply) {
  if (!reply.answered) return Status::IOError("the server did not answer the enrollment: " + reply.failure);
  const json j = json::parse(reply.body, nullptr, false);
  if (reply.status != 200) {
    // Unsigned, so only shown: a refusal changes nothing on the device.
    return Status::FailedPrecondition("the server refused the enrollment: " +
                                      ParseRefusal(reply.status, reply.body).reason);
  }
  std::string signer;
  Status signed_ok = VerifyAnswer("/v1/enroll", nonce, reply, "", &signer);
  if (!signed_ok.ok()) {
    return Status::Tampered("the server's answer to enrollment is not signed by the key it names: " +
                            signed_ok.message());
  }
  if (!j.is_object() || !IsText(j, "user") || !IsText(j, "area") || !IsText(j, "server_key")) {
    return Status::Corrupt("the server's answer to enrollment lacks the user, area or server key");
  }
  if (j["server_key"] != signer) {
    return Status::Tampered("the server's answer to enrollment names another key than the one that signed it");
  }
  Notebook::Enrollment e;
  e.server_url = server_url;
  e.user = j["user"].get<std::string>();
  e.area = j["area"].get<std::string>();
  e.role = IsText(j, "role") ? j["role"].get<std::string>() : "";
  e.server_key = signer;
  if (j.contains("communes")) {  // an older server sends none: the first sync does
    if (!j["communes"].is_array()) return Status::Corrupt("the server's list of communes is malformed");
    if (IsText(j, "communes_tag")) e.communes.tag = j["communes_tag"].get<std::string>();
    for (const json& c : j["communes"]) {
      if (!c.is_object() || !IsText(c, "code") || !IsText(c, "name")) {
        return Status::Corrupt("the server's list of communes is malformed");
      }
      e.communes.communes.push_back(Commune{c["code"].get<std::string>(), c["name"].get<std::string>()});
    }
  }
  return e;
}

}  // namespace sotay
