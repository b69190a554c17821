// Files on records on the server (issue 20), through App::Handle with real
// signatures, a real SQLite file and real files on disk: declared, sent in chunks
// and resumed, checked by hash, sealed at rest, fetched only by who may read a
// record naming them (404 otherwise), limited per file and per day, served by the
// dashboard never as HTML (verified images shown inline), counted in /metrics and
// copied by `admin backup`. Purge and export: attachment_purge_test.cc.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "admin/admin_ops.h"
#include "admin/backup.h"
#include "file_world.h"
#include "server_world.h"
#include "sotay/attachment.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

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
  const std::string on_disk = w.FilesFolder() + "/" + hash.substr(0, 2) + "/" + hash.substr(2);
  REQUIRE(std::filesystem::exists(on_disk));
  CHECK_FALSE(std::filesystem::exists(on_disk + ".partial"));
  const std::string sealed = sotay::testing::ReadBytes(on_disk);
  CHECK(sealed.find(file.substr(70000, 32)) == std::string::npos);
  const auto perms = std::filesystem::status(w.FilesFolder() + ".key").permissions();
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

TEST_CASE("files: a server stopped after naming a whole file, before recording it, takes the last chunk again and nothing more",
          "[server][attachment]") {
  FileWorld w;
  TestDevice a = w.Device("w-a");
  const std::string file = Bytes(300 * 1024, 7);  // 5 chunks
  const std::string hash = Sha256Hex(file);
  w.RecordWithPhoto(a, file);
  w.Upload(a, file);
  // The last chunk's transaction lost after the file was named on disk (the server
  // killed then, or its commit failed): the rows as they were before that chunk.
  {
    auto store = w.OpenStore();
    Status s = store->db().Exec(("UPDATE attachments SET complete = 0, completed_ms = NULL;"
                                 " INSERT INTO attachment_chunks (hash, n) VALUES ('" + hash + "', 0), ('" + hash +
                                 "', 1), ('" + hash + "', 2), ('" + hash + "', 3)").c_str());
    INFO(s.ToString());
    REQUIRE(s.ok());
  }
  CHECK(Json(w.Declare(a, hash, static_cast<int64_t>(file.size())))["have"] == nlohmann::json::array({0, 1, 2, 3}));
  HttpResponse last = w.Chunk(a, hash, 4, w.Piece(file, 4));
  INFO(last.body);
  CHECK(last.status == 200);  // not 409 hash_mismatch, which sends the device back to chunk 0
  CHECK(Json(last)["complete"] == true);
  const std::string on_disk = w.FilesFolder() + "/" + hash.substr(0, 2) + "/" + hash.substr(2);
  CHECK_FALSE(std::filesystem::exists(on_disk + ".partial"));
  TestDevice b = w.Device("w-b");
  std::string fetched;
  for (int64_t n = 0; n < 5; ++n) fetched += w.Call(b, "GET", "/v1/attachments/" + hash + "/chunks/" + std::to_string(n)).body;
  CHECK((fetched == file));  // not expanded: 300 KB of noise
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
  // The viewer: a verified image is shown on its record's page, from this server
  // only; the HTML named .jpg stays a download and is never served inline.
  HttpResponse page2 = browser.Get("/records/" + id2);
  CHECK(page2.body.find("<img src=\"/records/" + id2 + "/files/photo?view=inline\"") != std::string::npos);
  CHECK(page2.headers["Content-Security-Policy"].find("img-src 'self'") != std::string::npos);
  CHECK(page.body.find("?view=inline") == std::string::npos);
  HttpResponse shown = browser.Get("/records/" + id2 + "/files/photo", {{"view", "inline"}});
  CHECK(shown.body == png);
  CHECK(shown.content_type == "image/png");
  CHECK(shown.headers["Content-Disposition"].rfind("inline;", 0) == 0);
  CHECK(shown.headers["Cross-Origin-Resource-Policy"] == "same-origin");
  CHECK(browser.Get("/records/" + id + "/files/photo", {{"view", "inline"}}).status == 404);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'file.view'") == 1);
  // Another district's worker cannot reach it.
  {
    auto store = w.OpenStore();
    REQUIRE(AddUser(*store, "xa-md", Role::kWorker, "01255", std::string(kPassword), &w.env).ok());
  }
  WebClient other(w.app());
  REQUIRE(other.Login("xa-md", kPassword));
  CHECK(other.Get("/records/" + id + "/files/photo").status == 404);
}

TEST_CASE("files: admin backup copies the whole files and their key", "[server][attachment][admin][sqlite]") {
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

TEST_CASE("files: a file in a sensitive field is fetched only by the devices that receive that answer",
          "[server][attachment][sensitive]") {
  FileWorld w;
  {
    // Version 2 keeps the consent back as the pull keeps a sensitive answer back.
    std::string text = kPhotoForm;
    text.replace(text.find("\"version\": 1"), 12, "\"version\": 2");
    text.replace(text.find("\"name\": \"consent\","), 18, "\"name\": \"consent\", \"sensitive\": true,");
    auto store = w.OpenStore();
    std::string name;
    REQUIRE(PublishForm(*store, text, "injury_test v2", &w.env, &name).ok());
  }
  TestDevice a = w.Device("w-a");
  const std::string consent = Bytes(1000, 7), photo = Bytes(2000, 8);
  const AttachmentRef consent_ref{Sha256Hex(consent), 1000, "application/pdf", "pdf"};
  const AttachmentRef photo_ref{Sha256Hex(photo), 2000, "image/jpeg", "jpg"};
  const std::string id = RecordId(1);
  SyncRequest r;
  r.push = a.CreateRecord(id, "01234", {{"full_name", "Lò Văn Páo"}, {"photo", photo_ref.Format()}, {"consent", consent_ref.Format()}},
                          "injury_test");
  for (Edit& e : r.push) {
    if (e.field == "_version") e.value = "2";
  }
  r.forms = {"case_test@1", "injury_test@2"};
  REQUIRE(w.Sync(a, r).rejected.empty());
  w.Upload(a, consent, "application/pdf");
  w.Upload(a, photo);

  // Another worker of the commune: the photo yes, the consent no (as for no file at all).
  TestDevice b = w.Device("w-b");
  CHECK(w.Call(b, "GET", "/v1/attachments/" + photo_ref.sha256_hex + "/chunks/0").body == photo);
  HttpResponse kept = w.Call(b, "GET", "/v1/attachments/" + consent_ref.sha256_hex + "/chunks/0");
  CHECK(kept.status == 404);
  CHECK(w.Call(b, "GET", "/v1/attachments/" + consent_ref.sha256_hex).status == 404);
  // Another device of the author's own account receives the answer, so the file too.
  TestDevice a2 = w.Device("w-a");
  CHECK(w.Call(a2, "GET", "/v1/attachments/" + consent_ref.sha256_hex + "/chunks/0").body == consent);
}
