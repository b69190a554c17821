// The `sotay` shell end to end: the real binary on real encrypted store files.
#include <catch2/catch.hpp>

#ifndef _WIN32
#include <sys/stat.h>
#endif

#include "shell_runner.h"
#include "sqlite_db.h"
#include "sotay/notebook.h"
#include "support/sync_steps.h"
#include "support/tamper.h"

using sotay::testing::FlipSealedByte;
using sotay::testing::ReadBytes;
using sotay::testing::Run;
using sotay::testing::Shell;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Typed answers for the child profile, one line each, in the order it asks.
std::string Interview(const std::string& name) {
  return name + "\n"      // full_name
         "2\n"            // sex: 2 = Nam
         "2030-01-01\n"   // dob in the future: refused, asked again
         "04/05/2016\n"   // dob, the Vietnamese way
         "1\n"            // ethnicity: Kinh
         "1\n"            // birth registered: yes
         "\n"             // personal id: skipped
         + sotay::testing::ProfileAnswersFromVillage();
}

void Init(const Shell& sh) {
  Run r = sh({"init", "--area", "01234", "--user", "worker-1"});
  REQUIRE(r.code == 0);
}

std::string NewFromFile(const Shell& sh, const std::string& name) {
  std::string file = sh.Write("answers.json", R"({"full_name": ")" + name + R"(", "sex": "female",
      "dob": "2015-03-21", "ethnicity": "tay", "birth_registered": "no",
      "village": "Thôn Đông", "living_with": "relatives", "caregiver_name": "Hoàng Thị Lan",
      "caregiver_phone": "0987654321", "household_poverty": "poor", "in_school": "yes",
      "school_level": "primary", "health_insurance": "no", "disability": "no",
      "special_circumstances": []})");
  Run r = sh({"new", "child_profile", "--answers", file});
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::string id = r.out.substr(0, r.out.find('\n'));
  REQUIRE(id.size() == 36);
  return id;
}

}  // namespace

TEST_CASE("shell: the interview asks in Vietnamese, skips, refuses, and the child is found", "[shell]") {
  Shell sh;
  Init(sh);
  Run r = sh({"new", "child_profile"}, Interview("Nguyễn Văn An"));
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK(Has(r.out, "Họ và tên của trẻ"));
  CHECK(Has(r.out, "== Thông tin của trẻ =="));
  CHECK(Has(r.out, "1. Nữ"));
  // The constraint message, once, and the date question asked a second time.
  CHECK(Count(r.out, "Ngày sinh không được ở tương lai") == 1);
  CHECK(Count(r.out, ") Ngày sinh *") == 2);
  // Not relevant: other ethnicity (Kinh chosen), dropout reason (in school).
  CHECK_FALSE(Has(r.out, "Dân tộc khác (ghi rõ)"));
  CHECK_FALSE(Has(r.out, "Lý do không đi học"));
  CHECK(Has(r.out, "Đã lưu hồ sơ"));

  Run list = sh({"list", "--find", "nguyen"});
  CHECK(list.code == 0);
  CHECK(Has(list.out, "Nguyễn Văn An (2016-05-04)"));
  Run none = sh({"list", "--find", "tran"});
  CHECK(Has(none.out, "Không có hồ sơ nào."));
}

TEST_CASE("shell: English labels with --lang en", "[shell]") {
  Shell sh;
  Init(sh);
  sh.lang = "en";
  Run r = sh({"new", "child_profile"}, "Lò Văn Páo\n");
  CHECK(Has(r.out, "Child's full name"));
  CHECK(Has(r.out, "1. Female"));
  CHECK(r.code == 8);  // input ended: kept as a draft
}

TEST_CASE("shell: going back re-asks the previous question", "[shell]") {
  Shell sh;
  Init(sh);
  Run r = sh({"new", "child_profile"}, "Lò Văn Páo\n<\nLò Văn Pao\n");
  CHECK(Count(r.out, ") Họ và tên của trẻ *") == 2);
  CHECK(Has(r.out, "[Lò Văn Páo]"));
}

TEST_CASE("shell: an interrupted interview is a draft that resumes where it stopped", "[shell]") {
  Shell sh;
  Init(sh);
  std::string all = Interview("Phạm Thị Bích");
  size_t cut = 0;
  for (int lines = 0; lines < 6; ++lines) cut = all.find('\n', cut) + 1;
  Run first = sh({"new", "child_profile"}, all.substr(0, cut));
  CHECK(first.code == 8);
  REQUIRE(Has(first.out, "sotay resume "));
  std::string draft = first.out.substr(first.out.find("sotay resume ") + 13);
  draft = draft.substr(0, draft.find_first_of("\n "));

  Run drafts = sh({"drafts"});
  CHECK(Has(drafts.out, draft));
  Run resumed = sh({"resume", draft}, all.substr(cut));
  INFO(resumed.out << resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK_FALSE(Has(resumed.out, ") Họ và tên của trẻ"));  // not asked again
  CHECK(Has(sh({"list", "--find", "pham bich"}).out, "Phạm Thị Bích"));
  CHECK(Has(sh({"drafts"}).out, "Không có bản nháp."));
}

// `sotay ui` keeps an edit as a draft naming its record; finished by `sotay resume`
// it would have made a second record, so the shell refuses it and says where it goes.
TEST_CASE("shell: resume refuses a draft that edits a record (begun in sotay ui)", "[shell]") {
  Shell sh;
  Init(sh);
  Run made = sh({"new", "child_profile"}, Interview("Phạm Thị Bích"));
  REQUIRE(made.code == 0);
  std::string draft_id;
  {
    auto nb = sotay::Notebook::Open(sh.store(), sh.passphrase);
    REQUIRE(nb.ok());
    auto listed = (*nb)->List(sotay::ListFilter{"child_profile", "", false}, "vi");
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 1);
    auto view = (*nb)->Get((*listed)[0].id);
    REQUIRE(view.ok());
    sotay::Draft d;
    d.form = view->form;
    d.version = view->version;
    d.record = view->id;
    d.answers = view->shown;
    REQUIRE((*nb)->drafts().Save(d).ok());
    draft_id = d.id;
  }
  Run resumed = sh({"resume", draft_id}, "\n");
  CHECK(resumed.code == 7);
  CHECK(Has(resumed.err, "sotay ui"));
  CHECK(Count(sh({"list"}).out, "Phạm Thị Bích") == 1);  // no second record
}

// Found in review: a failed draft save during the interview was once ignored, and
// the worker believed the answers were kept. Another program holding the store's
// write lock makes every save fail (after the store's busy wait).
TEST_CASE("shell: a draft that cannot be saved is reported, naming the draft and the reason", "[shell]") {
  Shell sh;
  sh.lang = "en";
  Init(sh);
  auto db = sotay::sqlite::Db::Open(sh.store(), sotay::sqlite::Db::Mode::kReadWrite);
  REQUIRE(db.ok());
  REQUIRE(db->Exec("BEGIN IMMEDIATE").ok());
  Run r = sh({"new", "child_profile"}, "Lò Thị Mai\n");
  REQUIRE(db->Exec("ROLLBACK").ok());
  INFO(r.out << r.err);
  // Said after the answer, with the draft's id and SQLite's reason...
  const size_t at = r.err.find("sotay: could not save draft ");
  REQUIRE(at != std::string::npos);
  const std::string line = r.err.substr(at, r.err.find('\n', at) - at);
  const std::string draft = line.substr(28, line.find(':', 28) - 28);
  CHECK(draft.size() == 8);
  CHECK(Has(line, "locked"));
  // ...and again when the interview stops, which then fails instead of saying "saved".
  CHECK(Has(r.err, "draft " + draft + ": "));
  CHECK(r.code == 1);
  CHECK_FALSE(Has(r.out, "Draft saved as"));
  CHECK_FALSE(Has(r.err, "Lò Thị Mai"));
  CHECK(Has(sh({"drafts"}).out, "No drafts."));
}

TEST_CASE("shell: an answers file with mistakes saves nothing and says why", "[shell]") {
  Shell sh;
  Init(sh);
  std::string file = sh.Write("bad.json", R"({"full_name": "Đỗ Minh", "sex": "boy", "dob": "2015-13-01",
                                              "colour": "red"})");
  Run r = sh({"--lang", "en", "new", "child_profile", "--answers", file});
  CHECK(r.code == 4);
  CHECK(Has(r.err, "field 'sex' (Sex): That choice is not in the list."));
  CHECK(Has(r.err, "field 'dob' (Date of birth): Enter a real date"));
  CHECK(Has(r.err, "field 'colour': The form has no such field."));
  CHECK(Has(r.err, "field 'village' (Village or hamlet): This question requires an answer."));
  CHECK_FALSE(Has(r.err, "Đỗ Minh"));  // answers are not echoed
  CHECK(Has(sh({"list"}).out, "Không có hồ sơ nào."));
  Run garbage = sh({"new", "child_profile", "--answers", sh.Write("g.json", "{not json")});
  CHECK(garbage.code == 4);
  CHECK(Has(garbage.err, "g.json"));
}

TEST_CASE("shell: a wrong passphrase is refused and changes nothing", "[shell][security]") {
  Shell sh;
  Init(sh);
  NewFromFile(sh, "Trịnh Văn Quân");
  std::string before = ReadBytes(sh.store()) + ReadBytes(sh.store() + "-wal");
  const std::string right = sh.passphrase;
  sh.passphrase = "sai mật khẩu";
  Run r = sh({"list"});
  sh.passphrase = right;
  CHECK(r.code == 3);
  CHECK(Has(r.err, "Sai mật khẩu"));
  CHECK(r.out.empty());
  CHECK(ReadBytes(sh.store()) + ReadBytes(sh.store() + "-wal") == before);
  CHECK(Has(sh({"list"}).out, "Trịnh Văn Quân"));
}

TEST_CASE("shell: the name typed is nowhere in the store's files", "[shell][security]") {
  Shell sh;
  Init(sh);
  sh({"new", "child_profile"}, Interview("Nguyễn Quetzalcoatl Bảo"));
  std::string bytes = ReadBytes(sh.store()) + ReadBytes(sh.store() + "-wal") + ReadBytes(sh.store() + "-shm");
  REQUIRE_FALSE(bytes.empty());
  CHECK_FALSE(Has(bytes, "Quetzalcoatl"));
  CHECK_FALSE(Has(bytes, "Nguyễn Văn Cha"));
  CHECK(Has(sh({"list", "--find", "quetzalcoatl"}).out, "Nguyễn Quetzalcoatl Bảo"));
}

TEST_CASE("shell: a flipped byte makes one record report tampering, the others read", "[shell][security]") {
  Shell sh;
  Init(sh);
  std::string good = NewFromFile(sh, "Lê Thị Thu");
  std::string bad = NewFromFile(sh, "Võ Văn Kiệt");
  FlipSealedByte(sh.store(), "records", bad, 40);
  Run list = sh({"list"});
  CHECK(list.code == 6);
  CHECK(Has(list.out, "Lê Thị Thu"));
  CHECK(Has(list.out, bad.substr(bad.size() - 8) + "  child_profile    ⚠ KHÔNG ĐỌC ĐƯỢC"));
  Run show_bad = sh({"show", bad.substr(bad.size() - 8)});
  CHECK(show_bad.code == 6);
  CHECK(Has(show_bad.err, "bị sửa đổi"));
  CHECK(sh({"show", good.substr(good.size() - 8)}).code == 0);
}

TEST_CASE("shell: edit, void, restore and history", "[shell]") {
  Shell sh;
  Init(sh);
  std::string id = NewFromFile(sh, "Hồ Thị Xuân");
  std::string shortid = id.substr(id.size() - 8);  // as `sotay list` shows it
  Run edit = sh({"edit", shortid, "village=Thôn Tây", "sex=Nữ"});
  INFO(edit.err);
  CHECK(edit.code == 0);
  CHECK(Has(edit.out, "Đã lưu 1 thay đổi"));  // sex was already female
  Run bad = sh({"edit", shortid, "caregiver_phone=12"});
  CHECK(bad.code == 4);
  Run show = sh({"show", shortid});
  CHECK(Has(show.out, "Thôn, bản, tổ dân phố: Thôn Tây"));
  CHECK(Has(show.out, "Giới tính: Nữ"));
  CHECK(Has(show.out, "Ngày sinh: 21/03/2015"));  // as the dashboard shows it
  CHECK(Has(sh({"--lang", "en", "show", shortid}).out, "Date of birth: 2015-03-21"));
  Run history = sh({"history", shortid});
  CHECK(Has(history.out, "Thôn, bản, tổ dân phố: Thôn Đông → Thôn Tây"));
  CHECK(Has(history.out, "worker-1"));

  CHECK(sh({"void", shortid}).code == 0);
  CHECK(Has(sh({"list"}).out, "Không có hồ sơ nào."));
  CHECK(Has(sh({"list", "--all"}).out, "[đã hủy]"));
  Run refused = sh({"edit", shortid, "village=X"});
  CHECK(refused.code == 7);
  CHECK(sh({"restore", shortid}).code == 0);
  CHECK(Has(sh({"list"}).out, "Hồ Thị Xuân"));
  CHECK(sh({"show", "zzzz"}).code == 5);
}

TEST_CASE("shell: forms check names the file, the field and the reason", "[shell][form]") {
  Shell sh;
  std::string file = sh.Write("broken.json", R"({"form": "x", "version": 1, "title": {"vi": "X", "en": "X"},
     "fields": [{"type": "integer", "name": "age", "label": {"vi": "Tuổi", "en": "Age"},
                 "constraint": ". < 16 andd . > 0"}]})");
  Run r = sh({"forms", "check", file, std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json"});
  CHECK(r.code == 4);
  CHECK(Has(r.err, file + ": field 'age': constraint: column"));
  CHECK(Has(r.out, "child_profile.json: OK"));
}

TEST_CASE("shell: init refuses a second notebook and a short passphrase", "[shell]") {
  Shell sh;
  Init(sh);
  CHECK(sh({"init"}).code == 7);
  Shell other;
  other.passphrase = "short";
  CHECK(other({"init"}).code == 3);
}

#ifndef _WIN32
TEST_CASE("shell: a notebook made in an existing home directory is readable by its owner only, with umask 022",
          "[shell][security]") {
  const mode_t old = ::umask(022);
  Shell sh;  // its directory exists already, as SOTAY_HOME may
  Run init = sh({"init"});
  ::umask(old);
  INFO(init.err);
  REQUIRE(init.code == 0);
  struct stat st;
  REQUIRE(::stat(sh.store().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}
#endif

TEST_CASE("shell: an escape sequence or a right-to-left override is refused in answers and edits", "[shell][security]") {
  Shell sh;
  Init(sh);
  std::string file = sh.Write("bad.json", "{\"full_name\": \"Ánh\\u001b[31m\", \"sex\": \"female\"}");
  Run r = sh({"new", "child_profile", "--answers", file});
  CHECK(r.code == 4);
  CHECK(Has(r.err, "'full_name'"));
  CHECK(Has(r.err, "U+001B"));
  CHECK_FALSE(Has(r.err, "\x1b"));
  std::string id = NewFromFile(sh, "Hồ Thị Xuân");
  Run edit = sh({"edit", id.substr(28), "village=Thôn \xe2\x80\xae" "yâT"});
  CHECK(edit.code == 4);
  CHECK(Has(edit.err, "'village'"));
  CHECK(Has(edit.err, "U+202E"));
  CHECK(Has(sh({"show", id.substr(28)}).out, "Thôn, bản, tổ dân phố: Thôn Đông"));  // nothing changed
}

TEST_CASE("shell: data stored before the rule is printed with its control characters escaped", "[shell][security]") {
  Shell sh;
  Init(sh);
  const std::string id = NewFromFile(sh, "Hồ Thị Xuân");
  {
    // As if pulled from a server that did not check yet: another device's edits.
    auto nb = sotay::Notebook::Open(sh.store(), sh.passphrase);
    REQUIRE(nb.ok());
    auto view = (*nb)->Get(id);
    REQUIRE(view.ok());
    auto edit = [&](uint64_t n, const std::string& field, const std::string& value) {
      sotay::Edit e;
      e.dot = sotay::Dot{"dev-old\x1b[2J", n};
      e.record = id;
      e.field = field;
      e.value = value;
      e.hlc = sotay::Hlc{view->updated_ms + 1000, 0, e.dot.device};
      e.base = view->state.HeadsOf(field);
      e.author = "w\x1b]0;x\x07";
      return e;
    };
    REQUIRE(sotay::testing::Pull(**nb, {edit(1, "full_name", "Xuân\x1b[31m\xe2\x80\xae" "ab"),
                                        edit(2, "village", std::string("Thôn\0Đông\r", 13))}).ok());
  }
  const std::string sid = id.substr(28);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"show", sid}, {"list"}, {"history", sid}, {"list", "--find", "xuan"}}) {
    INFO(args[0]);
    Run r = sh(args);
    CHECK(r.code == 0);
    CHECK_FALSE(Has(r.out, "\x1b"));
    CHECK_FALSE(Has(r.out, "\xe2\x80\xae"));
    CHECK_FALSE(Has(r.out, "\r"));
    CHECK_FALSE(Has(r.out, std::string(1, '\0')));
    CHECK(Has(r.out, "Xuân\\u001b[31m\\u202eab"));
  }
  Run show = sh({"show", sid});
  CHECK(Has(show.out, "Thôn\\u0000Đông\\u000d"));
  Run history = sh({"history", sid});
  CHECK(Has(history.out, "w\\u001b]0;x\\u0007"));
  CHECK(Has(history.out, "dev-old\\u001b[2J"));
}
