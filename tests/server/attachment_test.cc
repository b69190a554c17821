// Files on records on the server (issue 20), through App::Handle with real
// signatures, a real SQLite file and real files on disk: declared, sent in chunks
// and resumed, checked by hash, sealed at rest, fetched only by who may read a
// record naming them (404 otherwise), limited per file and per day, served by the
// dashboard never as HTML, counted in /metrics and copied by `admin backup`.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "admin/admin_ops.h"
#include "admin/backup.h"
#include "server_world.h"
#include "sotay/attachment.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

const char* kPhotoForm = R"({"form": "injury_test", "version": 1, "title": {"vi": "Thương tích", "en": "Injury"},
  "fields": [
    {"type": "text", "name": "full_name", "label": {"vi": "Tên", "en": "Name"}},
    {"type": "image", "name": "photo", "label": {"vi": "Ảnh", "en": "Photo"}},
    {"type": "file", "name": "consent", "label": {"vi": "Giấy đồng ý", "en": "Consent"}}]})";

std::string Bytes(size_t n, unsigned seed) {
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

nlohmann::json Json(const HttpResponse& r) { return nlohmann::json::parse(r.body, nullptr, false); }

}  // namespace

TEST_CASE("files: a file arrives in chunks, resumes from what the server has, and is sealed at rest", "[server][attachment]") {
  FileWorld w;
  TestDevice a = w.Device("w-a");
  const std::string file = Bytes(300 * 1024, 1);  // 5 chunks
  const std::string hash = Sha256Hex(file);
  w.RecordWithPhoto(a, file);  // the record's edits went first, without the file

  HttpResponse declared = w.Declare(a, hash, static_cast<int64_t>(file.size()));
  REQUIRE(declared.status == 200);
  CHECK(Json(declared)["chunks"] == 5);
  CHECK(Json(declared)["have"].empty());
  CHECK_FALSE(declared.headers["X-Sotay-Server-Signature"].empty());  // signed like a sync answer
  REQUIRE(w.Chunk(a, hash, 0, w.Piece(file, 0)).status == 200);
  REQUIRE(w.Chunk(a, hash, 1, w.Piece(file, 1)).status == 200);
  // The link is cut; a later run declares again and hears what is missing.
  HttpResponse again = w.Declare(a, hash, static_cast<int64_t>(file.size()));
  CHECK(Json(again)["have"] == nlohmann::json::array({0, 1}));
  CHECK(Json(again)["complete"] == false);
  // A chunk of the wrong size is refused, naming the size it must have.
  HttpResponse short_chunk = w.Chunk(a, hash, 2, "tiny");
  CHECK(short_chunk.status == 400);
  CHECK(ErrorCode(short_chunk) == "bad_chunk");
  CHECK(Json(short_chunk)["reason"] == "chunk 2 must be 65536 bytes, not 4");
  for (int64_t n = 2; n < 5; ++n) REQUIRE(w.Chunk(a, hash, n, w.Piece(file, n)).status == 200);
  HttpResponse status = w.Call(a, "GET", "/v1/attachments/" + hash);
  CHECK(Json(status)["complete"] == true);
  CHECK(w.Count("SELECT count(*) FROM attachments WHERE complete = 1") == 1);

  // Outside the database, sealed: the plaintext is nowhere in the file, and no .partial is left.
  const std::string on_disk = w.db + ".files/" + hash.substr(0, 2) + "/" + hash.substr(2);
  REQUIRE(std::filesystem::exists(on_disk));
  CHECK_FALSE(std::filesystem::exists(on_disk + ".partial"));
  const std::string sealed = sotay::testing::ReadBytes(on_disk);
  CHECK(sealed.find(file.substr(70000, 32)) == std::string::npos);
  const auto perms = std::filesystem::status(w.db + ".files.key").permissions();
  CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) == std::filesystem::perms::none);

  // A worker of the same commune fetches it back whole.
  TestDevice b = w.Device("w-b");
  std::string fetched;
  for (int64_t n = 0; n < 5; ++n) {
    HttpResponse c = w.Call(b, "GET", "/v1/attachments/" + hash + "/chunks/" + std::to_string(n));
    REQUIRE(c.status == 200);
    CHECK(c.content_type == "application/octet-stream");
    fetched += c.body;
  }
  CHECK(fetched == file);

  auto metrics = w.app().Handle([] {
    HttpRequest r;
    r.method = "GET";
    r.path = "/metrics";
    return r;
  }());
  CHECK(metrics.body.find("sotay_attachment_chunks_total 5") != std::string::npos);
  CHECK(metrics.body.find("sotay_attachments_completed_total 1") != std::string::npos);
}

TEST_CASE("files: a worker of another commune gets 404, the same as for no file at all", "[server][attachment]") {
  FileWorld w;
  TestDevice a = w.Device("w-a");
  const std::string file = Bytes(1000, 2);
  w.RecordWithPhoto(a, file);
  w.Upload(a, file);
  const std::string hash = Sha256Hex(file);
  TestDevice c = w.Device("w-c");  // commune 01237, same district
  HttpResponse theirs = w.Call(c, "GET", "/v1/attachments/" + hash + "/chunks/0");
  HttpResponse none = w.Call(c, "GET", "/v1/attachments/" + std::string(64, 'e') + "/chunks/0");
  CHECK(theirs.status == 404);
  CHECK(none.status == 404);
  CHECK(theirs.body == none.body);
  CHECK(w.Call(c, "GET", "/v1/attachments/" + hash).status == 404);
  TestDevice d = w.Device("d-1");  // the district's staff read the commune's records
  CHECK(w.Call(d, "GET", "/v1/attachments/" + hash + "/chunks/0").body == file);
}

TEST_CASE("files: the whole file must match its hash, and the size and daily limits are clear", "[server][attachment]") {
  ServerLimits limits;
  limits.attachment_max_bytes = 5 << 20;
  limits.attachment_bytes_per_day = 100 * 1024;
  FileWorld w(limits);
  TestDevice a = w.Device("w-a");

  const std::string file = Bytes(70000, 3), wrong = Bytes(70000, 4);
  const std::string hash = Sha256Hex(file);
  REQUIRE(w.Declare(a, hash, 70000).status == 200);
  REQUIRE(w.Chunk(a, hash, 0, w.Piece(wrong, 0)).status == 200);
  HttpResponse mismatch = w.Chunk(a, hash, 1, w.Piece(wrong, 1));
  CHECK(mismatch.status == 409);
  CHECK(ErrorCode(mismatch) == "hash_mismatch");
  CHECK(Json(w.Declare(a, hash, 70000))["have"].empty());  // every chunk forgotten: sent again from 0

  HttpResponse big = w.Declare(a, std::string(64, 'b'), 200LL << 20);
  CHECK(big.status == 413);
  CHECK(Json(big)["reason"] == "the file is 209715200 bytes; this server takes files of at most 5242880 bytes");

  // 70,000 bytes went today already; the next 65,536 would pass 100 KiB.
  HttpResponse over = w.Chunk(a, hash, 0, w.Piece(file, 0));
  CHECK(over.status == 429);
  CHECK(ErrorCode(over) == "quota");
  CHECK_THAT(Json(over)["reason"].get<std::string>(),
             Catch::Contains("this device sent 70000 bytes of files today; the limit is 102400 a day"));
  w.env.now_ms += 24LL * 3600 * 1000;  // the next day
  CHECK(w.Chunk(a, hash, 0, w.Piece(file, 0)).status == 200);
}

TEST_CASE("files: the dashboard serves a file as an attachment, never as HTML, and audits it", "[server][attachment][web]") {
  FileWorld w;
  TestDevice a = w.Device("w-a");
  const std::string html = "<html><body><script>alert(document.cookie)</script></body></html>";
  const std::string id = w.RecordWithPhoto(a, html, "jpg");
  w.Upload(a, html);
  WebClient browser(w.app());
  REQUIRE(browser.Login("huyen", kPassword));
  HttpResponse page = browser.Get("/records/" + id);
  REQUIRE(page.status == 200);
  CHECK(page.body.find("/records/" + id + "/files/photo") != std::string::npos);

  HttpResponse got = browser.Get("/records/" + id + "/files/photo");
  REQUIRE(got.status == 200);
  CHECK(got.body == html);
  CHECK(got.content_type == "application/octet-stream");
  CHECK(got.headers["X-Content-Type-Options"] == "nosniff");
  CHECK(got.headers["Content-Disposition"].rfind("attachment;", 0) == 0);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'file.download'") == 1);

  // A real PNG is an image, still as an attachment.
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + Bytes(500, 5);
  TestDevice a2 = w.Device("w-a");
  const std::string id2 = w.RecordWithPhoto(a2, png, "png", 2);
  w.Upload(a2, png, "image/png");
  HttpResponse image = browser.Get("/records/" + id2 + "/files/photo");
  CHECK(image.content_type == "image/png");
  CHECK(image.headers["Content-Disposition"].rfind("attachment;", 0) == 0);
  // Another district's worker cannot reach it.
  {
    auto store = w.OpenStore();
    REQUIRE(AddUser(*store, "xa-md", Role::kWorker, "01255", std::string(kPassword), &w.env).ok());
  }
  WebClient other(w.app());
  REQUIRE(other.Login("xa-md", kPassword));
  CHECK(other.Get("/records/" + id + "/files/photo").status == 404);
}

TEST_CASE("files: admin backup copies the whole files and their key", "[server][attachment][admin]") {
  FileWorld w;
  TestDevice a = w.Device("w-a");
  const std::string file = Bytes(90000, 6);
  w.RecordWithPhoto(a, file);
  w.Upload(a, file);
  auto store = w.OpenStore();
  const std::string copy = w.dir.File("backup.db");
  auto report = BackupDatabase(*store, copy);
  REQUIRE(report.ok());
  CHECK(report->files == 1);
  const std::string hash = Sha256Hex(file);
  CHECK(sotay::testing::ReadBytes(copy + ".files/" + hash.substr(0, 2) + "/" + hash.substr(2)) ==
        sotay::testing::ReadBytes(w.db + ".files/" + hash.substr(0, 2) + "/" + hash.substr(2)));
  CHECK(sotay::testing::ReadBytes(copy + ".files.key") == sotay::testing::ReadBytes(w.db + ".files.key"));
  auto opened = AttachmentFiles::Open(copy);
  REQUIRE(opened.ok());
  CHECK((*opened)->ReadChunk(hash, 1, 90000).value() == file.substr(65536));
}
