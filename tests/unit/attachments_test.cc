// Files on the device (issue 20): sealed in chunks in a real store file, kept once
// per content, refused before reading when too large, attached as an edit.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "sotay/notebook.h"
#include "sotay/os.h"
#include "sotay/signing.h"
#include "sqlite_db.h"
#include "support/child_answers.h"
#include "support/owner_only.h"
#include "support/tamper.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::FlipSealedByte;
using sotay::testing::TempDir;

namespace {

class TestEnv : public Env {
 public:
  int64_t now = 1795000000000;
  int64_t NowMs() override { return now += 1000; }
  void RandomBytes(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(rng_());
  }
  int64_t LocalNowMs() override { return now; }

 private:
  std::mt19937 rng_{7};
};

std::string Bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string Write(const TempDir& dir, const std::string& name, const std::string& bytes) {
  const std::string path = dir.File(name);
  std::ofstream(PathFromUtf8(path), std::ios::binary) << bytes;
  return path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(PathFromUtf8(path), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// An injury form with a photo, as the pack's injury_incident has.
const char* kForm = R"({"form": "injury", "version": 1, "title": {"vi": "Thương tích", "en": "Injury"},
  "fields": [
    {"type": "text", "name": "child_name", "label": {"vi": "Tên", "en": "Name"}},
    {"type": "image", "name": "photo", "label": {"vi": "Ảnh", "en": "Photo"},
     "parameters": {"max-size": 5242880, "accept": ["image/jpeg", "image/png"]}}]})";

struct Fixture {
  TempDir dir;
  TestEnv env;
  std::string path = dir.File("notebook.db");
  std::unique_ptr<Notebook> nb;
  Fixture() { Open(true); }
  void Open(bool create) {
    nb.reset();
    NotebookOptions o;
    o.kdf = KdfLimits::Fast();
    o.env = &env;
    auto opened = create ? Notebook::Create(path, "mật khẩu đủ dài", o) : Notebook::Open(path, "mật khẩu đủ dài", o);
    REQUIRE(opened.ok());
    nb = std::move(opened).value();
    if (!create) return;
    REQUIRE(nb->SetProfile("01234", "worker-7").ok());
    REQUIRE(nb->InstallForm(kForm, "injury.json").ok());
  }
  std::string NewRecord() {
    auto r = nb->CreateRecord("injury", {{"child_name", "Lò Thị Mai"}}, "", "en");
    REQUIRE(r.ok());
    REQUIRE(r->ok());
    return r->id;
  }
  int64_t Count(const char* table) {
    auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadOnly);
    REQUIRE(db.ok());
    auto n = db->QueryInt((std::string("SELECT count(*) FROM ") + table).c_str());
    REQUIRE(n.ok());
    return *n;
  }
};

}  // namespace

TEST_CASE("attachments: a file is sealed in chunks and comes back whole and owner-only", "[attachment][store]") {
  Fixture fx;
  const std::string bytes = Bytes(300 * 1024 + 17, 1);  // 5 chunks, the last short
  // A folder and a name in Vietnamese: on Windows the path is UTF-8, not the ANSI code page.
  const std::string folder = PathToUtf8(fx.dir.path()) + u8"/Ảnh của Hồng";
  std::filesystem::create_directories(PathFromUtf8(folder));
  const std::string photo = folder + u8"/vết bầm.jpg";
  std::ofstream(PathFromUtf8(photo), std::ios::binary) << bytes;
  const std::string id = fx.NewRecord();
  auto saved = fx.nb->Attach(id, "photo", photo, "en");
  REQUIRE(saved.ok());
  REQUIRE(saved->ok());
  auto ref = fx.nb->AttachmentOf(id, "photo");
  REQUIRE(ref.ok());
  CHECK(ref->size == static_cast<int64_t>(bytes.size()));
  CHECK(ref->media_type == "image/jpeg");
  CHECK(ref->Chunks() == 5);
  CHECK(fx.Count("attachment_chunks") == 5);
  // No chunk holds the file's bytes in clear.
  CHECK(ReadAll(fx.path).find(bytes.substr(1000, 64)) == std::string::npos);

  fx.Open(false);  // and after the notebook is closed and opened again
  const std::string out = fx.dir.File("out.jpg");
  REQUIRE(fx.nb->attachments().WriteOut(ref->sha256_hex, out).ok());
  CHECK(ReadAll(out) == bytes);
  testing::CheckOwnerOnly(out);
  auto waiting = fx.nb->attachments().Waiting();
  REQUIRE(waiting.ok());
  REQUIRE(waiting->size() == 1);
  CHECK(waiting->front().sent_chunks == 0);
}

TEST_CASE("attachments: the same file twice is stored once, and replacing it is an edit in the history", "[attachment][store]") {
  Fixture fx;
  const std::string first = Write(fx.dir, "a.jpg", Bytes(70000, 2));
  const std::string copy = Write(fx.dir, "copy.png", Bytes(70000, 2));
  const std::string second = Write(fx.dir, "b.jpg", Bytes(1000, 3));
  const std::string a = fx.NewRecord(), b = fx.NewRecord();
  REQUIRE(fx.nb->Attach(a, "photo", first, "en")->ok());
  const std::string old_ref = fx.nb->AttachmentOf(a, "photo")->Format();
  REQUIRE(fx.nb->Attach(b, "photo", copy, "en")->ok());
  CHECK(fx.Count("attachments") == 1);
  CHECK(fx.Count("attachment_chunks") == 2);
  CHECK(fx.nb->AttachmentOf(b, "photo")->sha256_hex == fx.nb->AttachmentOf(a, "photo")->sha256_hex);

  REQUIRE(fx.nb->Attach(a, "photo", second, "en")->ok());
  CHECK(fx.nb->AttachmentOf(a, "photo")->size == 1000);
  auto history = fx.nb->History(a);
  REQUIRE(history.ok());
  bool kept_old = false;
  for (const Edit& e : *history) kept_old = kept_old || (e.field == "photo" && e.value == old_ref);
  CHECK(kept_old);
  CHECK(fx.Count("attachments") == 2);
}

TEST_CASE("attachments: a tampered or swapped chunk is detected, never written out", "[attachment][store]") {
  Fixture fx;
  const std::string photo = Write(fx.dir, "p.jpg", Bytes(3 * 65536, 4));
  const std::string id = fx.NewRecord();
  REQUIRE(fx.nb->Attach(id, "photo", photo, "en")->ok());
  const std::string hash = fx.nb->AttachmentOf(id, "photo")->sha256_hex;
  fx.nb.reset();
  SECTION("a bit flipped") {
    FlipSealedByte(fx.path, "attachment_chunks", AttachmentChunkKey(hash, 1), -3);
  }
  SECTION("two chunks swapped") {
    auto db = sqlite::Db::Open(fx.path, sqlite::Db::Mode::kReadWrite);
    REQUIRE(db.ok());
    const std::string sql = "UPDATE attachment_chunks SET key = 'x' WHERE key = '" + AttachmentChunkKey(hash, 0) + "';"
                     "UPDATE attachment_chunks SET key = '" + AttachmentChunkKey(hash, 0) + "' WHERE key = '" +
                     AttachmentChunkKey(hash, 1) + "';"
                     "UPDATE attachment_chunks SET key = '" + AttachmentChunkKey(hash, 1) + "' WHERE key = 'x';";
    REQUIRE(db->Exec(sql.c_str()).ok());
  }
  fx.Open(false);
  const std::string out = fx.dir.File("out.jpg");
  Status s = fx.nb->attachments().WriteOut(hash, out);
  CHECK(s.code() == Status::Code::kTampered);
  CHECK_THAT(s.message(), Catch::Contains("attachment " + hash.substr(0, 12)));
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("attachments: a 200 MB file or the wrong type is refused before anything is stored", "[attachment][store]") {
  Fixture fx;
  const std::string id = fx.NewRecord();
  const std::string big = fx.dir.File("video.jpg");
  {
    std::ofstream(big, std::ios::binary).put('x');
    std::filesystem::resize_file(big, 200LL * 1024 * 1024);  // sparse: nothing written
  }
  auto refused = fx.nb->Attach(id, "photo", big, "en");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kInvalidArgument);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("field 'photo': the file is 209715200 bytes; the form allows at most 5242880"));
  const std::string page = Write(fx.dir, "page.html", "<html>hi</html>");
  auto html = fx.nb->Attach(id, "photo", page, "en");
  REQUIRE_FALSE(html.ok());
  CHECK_THAT(html.status().message(), Catch::Contains("text/html"));
  CHECK(fx.Count("attachments") == 0);
  CHECK(fx.Count("attachment_chunks") == 0);
  CHECK_FALSE(fx.nb->AttachmentOf(id, "photo").ok());
}

TEST_CASE("attachments: another device's file is kept chunk by chunk, resumable, and whole only when its hash holds",
          "[attachment][store]") {
  Fixture fx;
  const std::string bytes = Bytes(2 * 65536 + 100, 3);  // 3 chunks
  const AttachmentRef ref{Sha256Hex(bytes), static_cast<int64_t>(bytes.size()), "image/jpeg", "jpg"};
  Attachments& files = fx.nb->attachments();
  REQUIRE(files.KeepFetchedChunk(ref, 0, bytes.substr(0, 65536)).ok());
  CHECK(files.KeepFetchedChunk(ref, 2, bytes.substr(131072)).code() == Status::Code::kInvalidArgument);  // not the next
  CHECK(files.KeepFetchedChunk(ref, 1, "short").code() == Status::Code::kInvalidArgument);
  const std::string out = fx.dir.File("early.jpg");
  CHECK(files.WriteOut(ref.sha256_hex, out).code() == Status::Code::kNotFound);  // not whole yet
  CHECK_FALSE(std::filesystem::exists(out));

  fx.Open(false);  // a cut, the app closed: it goes on from chunk 1
  Attachments& again = fx.nb->attachments();
  auto kept = again.Find(ref.sha256_hex);
  REQUIRE(kept.ok());
  CHECK(kept->held_chunks == 1);
  REQUIRE(again.KeepFetchedChunk(ref, 1, bytes.substr(65536, 65536)).ok());
  REQUIRE(again.KeepFetchedChunk(ref, 2, bytes.substr(131072)).ok());
  REQUIRE(again.FinishFetch(ref).ok());
  REQUIRE(again.WriteOut(ref.sha256_hex, out).ok());
  CHECK(ReadAll(out) == bytes);
  auto waiting = again.Waiting();
  REQUIRE(waiting.ok());
  CHECK(waiting->empty());  // another's file is not this device's to send

  // Chunks that do not make the file its hash names are forgotten, to be fetched again.
  const std::string other = Bytes(1000, 4);
  const AttachmentRef lie{Sha256Hex(other), 1000, "image/jpeg", "jpg"};
  REQUIRE(again.KeepFetchedChunk(lie, 0, Bytes(1000, 5)).ok());
  CHECK(again.FinishFetch(lie).code() == Status::Code::kCorrupt);
  CHECK(again.Find(lie.sha256_hex).status().code() == Status::Code::kNotFound);
  REQUIRE(again.KeepFetchedChunk(lie, 0, other).ok());
  CHECK(again.FinishFetch(lie).ok());
}
