// The notebook on a real encrypted SQLite file: what a worker does, and what
// someone holding the file cannot read.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>


#include "sotay/notebook.h"
#include "support/child_answers.h"
#include "support/pack_version.h"
#include "support/sync_steps.h"
#include "support/tamper.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::FlipSealedByte;
using sotay::testing::Pull;
using sotay::testing::ReadBytes;
using sotay::testing::TempDir;

namespace {

// A fixed clock and a seeded random source, so runs are repeatable.
class TestEnv : public Env {
 public:
  int64_t now = 1795000000000;  // November 2026
  int64_t NowMs() override { return now += 1000; }
  void RandomBytes(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(rng_());
  }
  int64_t LocalNowMs() override { return now; }  // the test machine's zone must not matter

 private:
  std::mt19937 rng_{42};
};

Answers Child(const std::string& name) { return sotay::testing::ChildAnswers(name); }
std::string Slurp(const std::string& path) { return sotay::testing::ReadText(path); }

struct Fixture {
  TempDir dir;
  TestEnv env;
  std::string path = dir.File("notebook.db");
  std::unique_ptr<Notebook> nb;
  Fixture() {
    NotebookOptions o;
    o.kdf = KdfLimits::Fast();
    o.env = &env;
    auto created = Notebook::Create(path, "mật khẩu đủ dài", o);
    REQUIRE(created.ok());
    nb = std::move(created).value();
    REQUIRE(nb->SetProfile("01234", "worker-7").ok());
    REQUIRE(nb->InstallForm(Slurp(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json"), "child_profile.json").ok());
  }
  std::string Create(const std::string& name) {
    auto r = nb->CreateRecord("child_profile", Child(name), "", "vi");
    REQUIRE(r.ok());
    REQUIRE(r->ok());
    return r->id;
  }
  std::unique_ptr<Notebook> Reopen() {
    nb.reset();
    NotebookOptions o;
    o.env = &env;
    auto opened = Notebook::Open(path, "mật khẩu đủ dài", o);
    REQUIRE(opened.ok());
    return std::move(opened).value();
  }
};

}  // namespace

TEST_CASE("notebook: a saved child is found by name without diacritics", "[notebook]") {
  Fixture fx;
  std::string id = fx.Create("Nguyễn Thị Ánh");
  fx.Create("Trần Văn Bình");
  auto nb = fx.Reopen();
  ListFilter f;
  f.query = "nguyen anh";
  auto rows = nb->List(f, "vi");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->at(0).id == id);
  CHECK(rows->at(0).name == "Nguyễn Thị Ánh (2015-03-21)");
  auto view = nb->Get(id);
  REQUIRE(view.ok());
  CHECK(view->shown.at("village") == "Thôn Đông");
  CHECK(view->area == "01234");
  CHECK(view->form == "child_profile");
  CHECK(view->version == sotay::testing::PackVersion("child_profile"));
  CHECK(*nb->OutboxCount() > 14);
}

TEST_CASE("notebook: a record is found by the start or the end of its id, and an ambiguous part is refused",
          "[notebook]") {
  Fixture f;
  f.env.now = 1795000000000;
  const std::string a = f.Create("Lê Thị Thu");
  const std::string b = f.Create("Võ Văn Kiệt");
  // Made a second apart, the two ids begin alike: their first characters are the time.
  REQUIRE(a.substr(0, 8) == b.substr(0, 8));
  CHECK(a < b);
  auto tail = f.nb->ResolveId(a.substr(a.size() - 8));
  REQUIRE(tail.ok());
  CHECK(*tail == a);
  CHECK(*f.nb->ResolveId(b) == b);
  CHECK(*f.nb->ResolveId(b.substr(0, 30)) == b);
  auto both = f.nb->ResolveId(a.substr(0, 8));
  REQUIRE_FALSE(both.ok());
  CHECK(both.status().message().find("matches 2 records") != std::string::npos);
  auto none = f.nb->ResolveId("zzzzzzzz");
  CHECK(none.status().code() == Status::Code::kNotFound);
  auto short_part = f.nb->ResolveId(a.substr(a.size() - 3));
  CHECK(short_part.status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("notebook: invalid answers save nothing", "[notebook]") {
  Fixture fx;
  Answers bad = Child("Lò Thị Dung");
  bad["dob"] = "2030-01-01";
  auto before = fx.nb->OutboxCount();
  auto r = fx.nb->CreateRecord("child_profile", bad, "", "en");
  REQUIRE(r.ok());
  REQUIRE(r->issues.size() == 1);
  CHECK(r->issues[0].field == "dob");
  CHECK(r->id.empty());
  CHECK(*fx.nb->OutboxCount() == *before);
  CHECK(fx.nb->List({}, "vi")->empty());
}

TEST_CASE("notebook: an edit changes only what changed, and history says from what", "[notebook]") {
  Fixture fx;
  std::string id = fx.Create("Đặng Thu Hà");
  int64_t outbox = *fx.nb->OutboxCount();
  auto r = fx.nb->EditRecord(id, {{"village", "Thôn Tây"}, {"sex", "female"}}, "vi");
  REQUIRE(r.ok());
  REQUIRE(r->ok());
  CHECK(r->edits == 1);
  CHECK(*fx.nb->OutboxCount() == outbox + 1);
  auto history = fx.nb->History(id);
  REQUIRE(history.ok());
  const Edit& last = history->back();
  CHECK(last.field == "village");
  CHECK(last.value == "Thôn Tây");
  CHECK(last.author == "worker-7");
  REQUIRE(last.base.size() == 1);
  bool found_base = false;
  for (const Edit& e : *history) found_base = found_base || (e.dot == last.base[0] && e.value == "Thôn Đông");
  CHECK(found_base);
}

TEST_CASE("notebook: a voided record cannot be edited until restored", "[notebook]") {
  Fixture fx;
  std::string id = fx.Create("Vàng A Dế");
  REQUIRE(fx.nb->Void(id).ok());
  CHECK(fx.nb->List({}, "vi")->empty());
  ListFilter all;
  all.include_void = true;
  CHECK(fx.nb->List(all, "vi")->size() == 1);
  auto r = fx.nb->EditRecord(id, {{"village", "Bản Mới"}}, "vi");
  CHECK(r.status().code() == Status::Code::kFailedPrecondition);
  CHECK(fx.nb->Void(id).code() == Status::Code::kFailedPrecondition);
  REQUIRE(fx.nb->Restore(id).ok());
  CHECK(fx.nb->EditRecord(id, {{"village", "Bản Mới"}}, "vi")->ok());
}

TEST_CASE("notebook: a conflict from another device is shown and resolved by an edit", "[notebook]") {
  Fixture fx;
  std::string id = fx.Create("Lục Thị Hoa");
  auto view = fx.nb->Get(id);
  // Another device changed the village concurrently (it saw the same first value).
  Edit other{{"otherdevice", 1}, id, "village", "Bản Khoang", {fx.env.now + 5000, 0, "otherdevice"},
             view->state.HeadsOf("village"), "worker-9"};
  REQUIRE(fx.nb->EditRecord(id, {{"village", "Bản Dền"}}, "vi")->ok());
  auto applied = Pull(*fx.nb, {other, other});
  REQUIRE(applied.ok());
  CHECK(applied->applied == 1);
  view = fx.nb->Get(id);
  CHECK(view->state.Conflicts() == std::vector<std::string>{"village"});
  CHECK(view->shown.at("village") == "Bản Khoang");  // greatest stamp shown, other kept
  auto rows = fx.nb->List({}, "vi");
  CHECK(rows->at(0).in_conflict);

  auto r = fx.nb->EditRecord(id, {{"village", "Bản Dền"}}, "vi");
  REQUIRE(r->ok());
  CHECK(r->edits == 1);
  view = fx.nb->Get(id);
  CHECK(view->state.Conflicts().empty());
  CHECK(view->shown.at("village") == "Bản Dền");
}

TEST_CASE("notebook: case notes append: a later note does not replace an earlier one", "[notebook]") {
  Fixture fx;
  Answers a = Child("Mã Văn Sáng");
  a["notes"] = "Gia đình khó khăn.";
  auto r = fx.nb->CreateRecord("child_profile", a, "", "vi");
  REQUIRE(r->ok());
  REQUIRE(fx.nb->EditRecord(r->id, {{"notes", "Đã đi học lại."}}, "vi")->ok());
  CHECK(fx.nb->Get(r->id)->shown.at("notes") == "Gia đình khó khăn.\n\nĐã đi học lại.");
}

TEST_CASE("notebook: names and answers never reach the file in clear", "[notebook][security]") {
  Fixture fx;
  const std::string name = "Nguyễn Zebraquynh Thị";
  std::string id = fx.Create(name);
  Draft d;
  d.form = "child_profile";
  d.answers = {{"full_name", "Draftname Xylophon"}};
  REQUIRE(fx.nb->drafts().Save(d).ok());
  REQUIRE(fx.nb->EditRecord(id, {{"caregiver_name", "Caregiver Quokkason"}}, "vi")->ok());
  std::string bytes = ReadBytes(fx.path) + ReadBytes(fx.path + "-wal");
  REQUIRE(bytes.size() > 4096);
  for (const std::string& secret : {std::string("Zebraquynh"), std::string("Xylophon"),
                                    std::string("Quokkason"), std::string("Thôn Đông"),
                                    std::string("Hoàng Văn Hải")}) {
    INFO(secret);
    CHECK(bytes.find(secret) == std::string::npos);
  }
}

TEST_CASE("notebook: one tampered record is reported while the others read", "[notebook][security]") {
  Fixture fx;
  std::string good = fx.Create("Bàn Thị Mây");
  std::string bad = fx.Create("Hà Văn Tú");
  fx.nb.reset();
  FlipSealedByte(fx.path, "records", bad, -30);
  auto nb = fx.Reopen();
  CHECK(nb->Get(bad).status().code() == Status::Code::kTampered);
  CHECK(nb->Get(good).ok());
  auto rows = nb->List({}, "vi");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  int tampered = 0;
  for (const RecordSummary& r : *rows) tampered += r.status.code() == Status::Code::kTampered;
  CHECK(tampered == 1);
  // Edits to the tampered record are refused rather than built on garbage.
  CHECK_FALSE(nb->EditRecord(bad, {{"village", "X"}}, "vi").ok());
}

TEST_CASE("notebook: a published form version cannot change", "[notebook]") {
  Fixture fx;
  std::string text = Slurp(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json");
  CHECK(fx.nb->InstallForm(text, "again.json").ok());  // the same text: fine
  std::string changed = text;
  changed.replace(changed.find("Hồ sơ trẻ em"), std::string("Hồ sơ trẻ em").size(), "Hồ sơ");
  auto r = fx.nb->InstallForm(changed, "changed.json");
  CHECK(r.status().code() == Status::Code::kAlreadyExists);
}

TEST_CASE("notebook: drafts are kept sealed and come back whole", "[notebook]") {
  Fixture fx;
  Draft d;
  d.form = "child_profile";
  d.version = 1;
  d.answers = {{"full_name", "Sùng A Páo"}, {"sex", "male"}};
  d.trail = {0, 1, 2};
  REQUIRE(fx.nb->drafts().Save(d).ok());
  auto nb = fx.Reopen();
  auto back = nb->drafts().Get(d.id);
  REQUIRE(back.ok());
  CHECK(back->answers == d.answers);
  CHECK(back->trail == d.trail);
  REQUIRE(nb->drafts().Delete(d.id).ok());
  CHECK(nb->drafts().List()->empty());
}

TEST_CASE("notebook: the wrong passphrase opens nothing", "[notebook][security]") {
  Fixture fx;
  fx.Create("Giàng Thị Sua");
  fx.nb.reset();
  NotebookOptions o;
  o.env = &fx.env;
  auto r = Notebook::Open(fx.path, "mật khẩu sai", o);
  CHECK(r.status().code() == Status::Code::kWrongPassphrase);
}

TEST_CASE("notebook: a request can be signed again with the server's time when the phone's clock is wrong",
          "[notebook][sync]") {
  Fixture fx;
  REQUIRE(fx.nb->PublicKeyBase64().ok());
  const std::string digest(64, 'b');  // of the body, as RunSync computes it while making it
  auto first = fx.nb->SignRequestDigest("POST", "/v1/sync", digest);
  auto corrected = fx.nb->SignRequestDigest("POST", "/v1/sync", digest, -3600 * 1000);
  REQUIRE(first.ok());
  REQUIRE(corrected.ok());
  // The test clock advances one second a reading; the offset moves the signed time back an hour.
  CHECK(std::stoll(corrected->time) - std::stoll(first->time) == 1000 - 3600 * 1000);
  CHECK(corrected->nonce != first->nonce);
  CHECK(corrected->signature != first->signature);
  // The digest must be one.
  auto bad = fx.nb->SignRequestDigest("POST", "/v1/sync", "not a sha-256");
  CHECK(bad.status().code() == Status::Code::kInvalidArgument);
  CHECK(fx.nb->SignRequestDigest("POST", "/v1/sync", std::string(64, 'a')).ok());
}
