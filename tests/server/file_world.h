// A server world for the tests of files on records (attachment_test.cc,
// attachment_purge_test.cc): a form with a photo and a file, district staff
// "huyen", and signed calls to the /v1/attachments endpoints.
#pragma once

#include <catch2/catch.hpp>

#include <random>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/attachment.h"

namespace sotay::server::testing {

inline const char* kPassword = "mật khẩu dài đủ 12";

inline const char* kPhotoForm = R"({"form": "injury_test", "version": 1, "title": {"vi": "Thương tích", "en": "Injury"},
  "fields": [
    {"type": "text", "name": "full_name", "label": {"vi": "Tên", "en": "Name"}},
    {"type": "image", "name": "photo", "label": {"vi": "Ảnh", "en": "Photo"}},
    {"type": "file", "name": "consent", "label": {"vi": "Giấy đồng ý", "en": "Consent"}}]})";

inline std::string Bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

struct FileWorld : ServerWorld {
  explicit FileWorld(ServerLimits limits = {}) : ServerWorld(limits) {
    auto store = OpenStore();
    std::string name;
    REQUIRE(PublishForm(*store, kPhotoForm, "injury_test.json", &env, &name).ok());
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
  }

  HttpResponse Call(const TestDevice& d, const std::string& method, const std::string& path, const std::string& body = "") {
    HttpRequest req = Signed(d, body, env.now_ms);
    req.method = method;
    req.path = path;
    // Signed() signs POST /v1/sync: sign this request's own method and path.
    const std::string nonce = req.headers["X-Sotay-Nonce"];
    const std::string msg = RequestSigningString(method, path, Sha256Hex(body), env.now_ms, nonce);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), d.sk);
    req.headers["X-Sotay-Signature"] = Base64Encode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
    return app().Handle(req);
  }
  HttpResponse Declare(const TestDevice& d, const std::string& hash, int64_t size, const std::string& type = "image/jpeg") {
    return Call(d, "POST", "/v1/attachments/" + hash, nlohmann::json{{"size", size}, {"media_type", type}}.dump());
  }
  HttpResponse Chunk(const TestDevice& d, const std::string& hash, int64_t n, const std::string& bytes) {
    return Call(d, "POST", "/v1/attachments/" + hash + "/chunks/" + std::to_string(n), bytes);
  }
  std::string Piece(const std::string& file, int64_t n) {
    return file.substr(static_cast<size_t>(n * kAttachmentChunkBytes), static_cast<size_t>(kAttachmentChunkBytes));
  }
  // A record of commune 01234 whose photo is `file`.
  std::string RecordWithPhoto(TestDevice& d, const std::string& file, const std::string& ext = "jpg", int n = 1) {
    const std::string id = RecordId(n);
    const AttachmentRef ref{Sha256Hex(file), static_cast<int64_t>(file.size()), MediaTypeOfExtension(ext), ext};
    auto edits = d.CreateRecord(id, "01234", {{"full_name", "Lò Văn Páo"}, {"photo", ref.Format()}}, "injury_test");
    SyncRequest r;
    r.push = edits;
    r.forms = {"case_test@1", "injury_test@1"};
    SyncResponse res = Sync(d, r);
    REQUIRE(res.rejected.empty());
    return id;
  }
  void Upload(const TestDevice& d, const std::string& file, const std::string& type = "image/jpeg") {
    const std::string hash = Sha256Hex(file);
    REQUIRE(Declare(d, hash, static_cast<int64_t>(file.size()), type).status == 200);
    const int64_t chunks = AttachmentRef{hash, static_cast<int64_t>(file.size()), type, ""}.Chunks();
    for (int64_t n = 0; n < chunks; ++n) REQUIRE(Chunk(d, hash, n, Piece(file, n)).status == 200);
  }
};

inline nlohmann::json Json(const HttpResponse& r) { return nlohmann::json::parse(r.body, nullptr, false); }


}  // namespace sotay::server::testing
