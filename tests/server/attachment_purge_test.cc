// Files on records leaving the server (issue 20), through App::Handle on a real
// SQLite file and real files on disk: `admin purge-files` deletes the bytes of
// files no current answer names after the retention, audited, the row kept; the
// export's zip carries a form's files beside its table, streamed.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "admin/admin_cli.h"
#include "file_world.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

uint32_t Le(const std::string& s, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s.at(at + static_cast<size_t>(i)));
  return v;
}

// A zip's entries by name, read as an unzip does: from the central directory, each
// entry's bytes at its local header, checked against the CRC-32 the directory holds.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  REQUIRE(zip.size() >= 22);
  const size_t end = zip.size() - 22;
  REQUIRE(Le(zip, end, 4) == 0x06054b50);
  size_t at = Le(zip, end + 16, 4);
  for (uint32_t i = 0; i < Le(zip, end + 10, 2); ++i) {
    REQUIRE(Le(zip, at, 4) == 0x02014b50);
    const uint32_t crc = Le(zip, at + 16, 4), size = Le(zip, at + 20, 4), name_len = Le(zip, at + 28, 2);
    const size_t local = Le(zip, at + 42, 4);
    const std::string name = zip.substr(at + 46, name_len);
    at += 46 + name_len + Le(zip, at + 30, 2) + Le(zip, at + 32, 2);
    REQUIRE(Le(zip, local, 4) == 0x04034b50);
    const std::string data = zip.substr(local + 30 + Le(zip, local + 26, 2) + Le(zip, local + 28, 2), size);
    CHECK(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())) == crc);
    out[name] = data;
  }
  return out;
}

}  // namespace

TEST_CASE("files: admin purge-files deletes replaced and voided files after the retention, audited", "[server][attachment][admin]") {
  FileWorld w;
  TestDevice a = w.Device("w-a");
  const std::string old_photo = Bytes(1000, 9), new_photo = Bytes(1500, 10), voided = Bytes(800, 11);
  const std::string id1 = w.RecordWithPhoto(a, old_photo, "jpg", 1);
  w.Upload(a, old_photo);
  const std::string id2 = w.RecordWithPhoto(a, voided, "jpg", 2);
  w.Upload(a, voided);
  const auto heads = [&](const std::string& id, const std::string& field) {
    auto store = w.OpenStore();
    auto row = store->LoadRecord(id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    return field.empty() ? (**row).state.AllHeads() : (**row).state.HeadsOf(field);
  };
  // The photo replaced; the other record voided.
  const AttachmentRef new_ref{Sha256Hex(new_photo), 1500, "image/jpeg", "jpg"};
  SyncRequest r;
  r.push = {a.NewEdit(id1, "photo", new_ref.Format(), heads(id1, "photo")), a.NewEdit(id2, "_status", "void", heads(id2, ""))};
  r.forms = {"case_test@1", "injury_test@1"};
  REQUIRE(w.Sync(a, r).rejected.empty());
  w.Upload(a, new_photo);

  const auto purge = [&](const std::string& days) {
    std::ostringstream out, err;
    const int code = RunAdmin(OnPostgres() ? std::vector<std::string>{"purge-files", "--db", w.db, "--older-than", days, "--files", w.FilesFolder()}
                                           : std::vector<std::string>{"purge-files", "--db", w.db, "--older-than", days},
                                out, err, &w.env, "");
    INFO(err.str());
    CHECK(code == 0);
    return out.str();
  };
  const auto on_disk = [&](const std::string& file) {
    const std::string hash = Sha256Hex(file);
    return std::filesystem::exists(w.FilesFolder() + "/" + hash.substr(0, 2) + "/" + hash.substr(2));
  };
  // Within the retention nothing goes.
  CHECK(purge("30") == "purged 0 files (0 bytes) that no current answer names; kept 1 named by a current answer and 2 whose records changed in the last 30 days\n");
  CHECK(on_disk(old_photo));

  w.env.now_ms += 31LL * 24 * 3600 * 1000;
  CHECK(purge("30") == "purged 2 files (1800 bytes) that no current answer names; kept 1 named by a current answer and 0 whose records changed in the last 30 days\n");
  CHECK_FALSE(on_disk(old_photo));
  CHECK_FALSE(on_disk(voided));
  CHECK(on_disk(new_photo));
  // The rows stay, saying when, who and why; each purge is in the audit chain.
  CHECK(w.Count("SELECT count(*) FROM attachments WHERE purged_ms IS NOT NULL AND purged_by LIKE 'admin-cli:%'") == 2);
  CHECK(w.Count("SELECT count(*) FROM attachments WHERE hash = '" + Sha256Hex(old_photo) + "' AND purge_reason = 'replaced'") == 1);
  CHECK(w.Count("SELECT count(*) FROM attachments WHERE hash = '" + Sha256Hex(voided) + "' AND purge_reason = 'voided'") == 1);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'file.purge' AND target = '" + id1 + "'") == 1);
  {
    std::ostringstream out, err;
    CHECK(RunAdmin({"verify-audit", "--db", w.db}, out, err, &w.env, "") == 0);
  }

  // A device that may read the record hears it was purged; the dashboard says so.
  TestDevice b = w.Device("w-b");
  HttpResponse gone = w.Call(b, "GET", "/v1/attachments/" + Sha256Hex(old_photo) + "/chunks/0");
  CHECK(gone.status == 410);
  CHECK(ErrorCode(gone) == "purged");
  CHECK(w.Call(b, "GET", "/v1/attachments/" + Sha256Hex(new_photo) + "/chunks/0").body == new_photo);
  WebClient browser(w.app());
  REQUIRE(browser.Login("huyen", kPassword));
  HttpResponse page = browser.Get("/records/" + id2 + "/files/photo");
  CHECK(page.status == 410);
  CHECK(page.body.find("2026-10-22") != std::string::npos);  // the day it was purged

  // Attached again later, the same bytes are wanted again: sent from chunk 0.
  HttpResponse again = w.Declare(a, Sha256Hex(old_photo), 1000);
  CHECK(Json(again)["complete"] == false);
  CHECK(Json(again)["have"].empty());
  CHECK(purge("30").rfind("purged 0 files", 0) == 0);
}

TEST_CASE("files: the export's zip holds the table and the records' files, streamed", "[server][attachment][web]") {
  FileWorld w;
  TestDevice a = w.Device("w-a");
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + Bytes(70000, 12), pdf = Bytes(3000, 13);
  const AttachmentRef png_ref{Sha256Hex(png), static_cast<int64_t>(png.size()), "image/png", "png"};
  const AttachmentRef pdf_ref{Sha256Hex(pdf), 3000, "application/pdf", "pdf"};
  const std::string id = RecordId(1);
  SyncRequest r;
  r.push = a.CreateRecord(id, "01234", {{"full_name", "Lò Văn Páo"}, {"photo", png_ref.Format()}, {"consent", pdf_ref.Format()}},
                          "injury_test");
  r.forms = {"case_test@1", "injury_test@1"};
  REQUIRE(w.Sync(a, r).rejected.empty());
  w.Upload(a, png, "image/png");
  w.Upload(a, pdf, "application/pdf");
  const std::string not_sent = w.RecordWithPhoto(a, Bytes(500, 14), "jpg", 2);  // its photo never reached the server

  WebClient browser(w.app());
  REQUIRE(browser.Login("huyen", kPassword));
  CHECK(browser.Get("/export").body.find("data-export-files=\"injury_test\"") != std::string::npos);
  HttpResponse res = browser.Get("/export/file", {{"form", "injury_test"}, {"format", "csv"}, {"files", "1"}});
  REQUIRE(res.status == 200);
  CHECK(res.content_type == "application/zip");
  CHECK(res.headers["Content-Disposition"] == "attachment; filename=\"injury_test-2026-09-21.zip\"");
  CHECK(res.body.empty());  // written as it is read, not whole in memory
  REQUIRE(res.stream);
  std::string zip;
  size_t writes = 0;
  REQUIRE(res.stream([&](std::string_view bytes) {
    zip += bytes;
    ++writes;
    return true;
  }));
  CHECK(writes > 3);
  const std::map<std::string, std::string> entries = Unzip(zip);
  REQUIRE(entries.size() == 3);
  CHECK(entries.at("files/" + id + "/photo.png") == png);
  CHECK(entries.at("files/" + id + "/consent.pdf") == pdf);
  const std::string& csv = entries.at("injury_test-2026-09-21.csv");
  CHECK(csv.find(id) != std::string::npos);
  CHECK(csv.find(not_sent) != std::string::npos);  // its row is there; its file is not
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'export.csv' AND detail LIKE '2 records, 2 files'") == 1);

  // A reader gone midway breaks the archive off.
  size_t taken = 0;
  CHECK_FALSE(browser.Get("/export/file", {{"form", "injury_test"}, {"format", "xlsx"}, {"files", "1"}})
                  .stream([&](std::string_view) { return ++taken < 2; }));
}
