// The outbox on a real encrypted store: a record's edits from one save are one
// sealed row; they leave the device in order, whole, and only once acknowledged,
// however the server's acknowledgements cut the rows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "sotay/codec.h"
#include "sotay/notebook.h"
#include "sotay/sealed_store.h"
#include "store/notebook_keys.h"
#include "support/child_answers.h"
#include "support/sync_steps.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::TempDir;
using sotay::testing::Acknowledge;
using sotay::testing::WaitingEdits;

namespace {

constexpr const char* kPassphrase = "mật khẩu đủ dài";

std::unique_ptr<Notebook> MakeNotebook(const std::string& path) {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto nb = Notebook::Create(path, kPassphrase, o);
  REQUIRE(nb.ok());
  REQUIRE((*nb)->SetProfile("01234", "worker-7").ok());
  REQUIRE((*nb)->InstallForm(sotay::testing::ReadText(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json"),
                             "child_profile.json")
              .ok());
  return std::move(nb).value();
}

std::string Create(Notebook& nb, const std::string& name) {
  auto r = nb.CreateRecord("child_profile", sotay::testing::ChildAnswers(name), "", "vi");
  REQUIRE(r.ok());
  REQUIRE(r->ok());
  return r->id;
}

std::vector<Dot> DotsOf(const std::vector<Edit>& edits) {
  std::vector<Dot> out;
  for (const Edit& e : edits) out.push_back(e.dot);
  return out;
}

bool InCounterOrder(const std::vector<Edit>& edits) {
  return std::is_sorted(edits.begin(), edits.end(),
                        [](const Edit& a, const Edit& b) { return a.dot.counter < b.dot.counter; });
}

}  // namespace

TEST_CASE("outbox: a batch keeps each record's edits together and in the order they were made", "[outbox]") {
  TempDir dir;
  auto nb = MakeNotebook(dir.File("nb.db"));
  const std::string first = Create(*nb, "Hoàng Văn An");
  const std::string second = Create(*nb, "Lò Thị Bình");
  auto all = WaitingEdits(*nb, 100000);
  REQUIRE(all.ok());
  REQUIRE(static_cast<int64_t>(all->size()) == *nb->OutboxCount());
  CHECK(InCounterOrder(*all));
  const auto per_record = static_cast<size_t>(
      std::count_if(all->begin(), all->end(), [&](const Edit& e) { return e.record == first; }));
  REQUIRE(per_record > 10);
  REQUIRE(all->size() == 2 * per_record);

  // Room for one record and a half: the second record waits for the next batch.
  auto batch = WaitingEdits(*nb, per_record + per_record / 2);
  REQUIRE(batch.ok());
  CHECK(batch->size() == per_record);
  CHECK(std::all_of(batch->begin(), batch->end(), [&](const Edit& e) { return e.record == first; }));

  // A record larger than the whole batch is cut, never skipped.
  batch = WaitingEdits(*nb, 5);
  REQUIRE(batch.ok());
  REQUIRE(batch->size() == 5);
  CHECK(std::equal(batch->begin(), batch->end(), all->begin(),
                   [](const Edit& a, const Edit& b) { return a.dot == b.dot; }));
  CHECK(batch->front().record == first);
  (void)second;
}

TEST_CASE("outbox: edits leave only once acknowledged, however the acknowledgements cut a record", "[outbox]") {
  TempDir dir;
  auto nb = MakeNotebook(dir.File("nb.db"));
  const std::string id = Create(*nb, "Vàng Thị Mai");
  Create(*nb, "Sùng A Páo");
  auto all = WaitingEdits(*nb, 100000);
  REQUIRE(all.ok());
  const int64_t total = *nb->OutboxCount();

  // Acknowledge every other edit of the first record, plus a dot of another device
  // and one this device never made: only the first kind leaves.
  std::vector<Dot> acked;
  std::set<Dot> acked_set;
  for (size_t i = 0; i < all->size(); i += 2) {
    if ((*all)[i].record != id) continue;
    acked.push_back((*all)[i].dot);
    acked_set.insert((*all)[i].dot);
  }
  std::vector<Dot> sent = acked;
  sent.push_back(Dot{"another-device", 3});
  sent.push_back(Dot{nb->device_id(), 999999});
  REQUIRE(Acknowledge(*nb, sent).ok());
  CHECK(*nb->OutboxCount() == total - static_cast<int64_t>(acked.size()));

  auto rest = WaitingEdits(*nb, 100000);
  REQUIRE(rest.ok());
  CHECK(InCounterOrder(*rest));
  std::vector<Dot> expected;
  for (const Edit& e : *all) {
    if (!acked_set.count(e.dot)) expected.push_back(e.dot);
  }
  CHECK(DotsOf(*rest) == expected);

  // An acknowledgement that arrives twice (a resent batch) changes nothing more.
  REQUIRE(Acknowledge(*nb, acked).ok());
  CHECK(*nb->OutboxCount() == total - static_cast<int64_t>(acked.size()));

  REQUIRE(Acknowledge(*nb, DotsOf(*rest)).ok());
  CHECK(*nb->OutboxCount() == 0);
  CHECK(WaitingEdits(*nb, 100).value().empty());
  // The record's history stays whole on the device.
  auto history = nb->History(id);
  REQUIRE(history.ok());
  CHECK(history->size() == acked.size() + static_cast<size_t>(std::count_if(
                                              rest->begin(), rest->end(), [&](const Edit& e) { return e.record == id; })));
}

TEST_CASE("outbox: a store written one row per edit, before groups, is refused with the row named, not misread",
          "[outbox]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  std::string device;
  std::string id;
  {
    auto nb = MakeNotebook(path);
    device = nb->device_id();
    id = Create(*nb, "Lê Văn Cường");
  }
  // Rows as the layout before groups wrote them (no store of this version holds
  // one): an edits row of one edit, as a CBOR map, and an outbox row holding that
  // row's key.
  const Edit old{Dot{device, 5000}, id, "village", "Bản Cũ", Hlc{1790000000000, 0, device}, {}, "worker-7"};
  const nlohmann::json dot = nlohmann::json::array({device, old.dot.counter});
  const nlohmann::json one = {{"a", old.author}, {"b", nlohmann::json::array()}, {"d", dot},
                              {"f", old.field}, {"h", {old.hlc.ms, 0, device}}, {"r", id}, {"v", old.value}};
  const std::vector<uint8_t> bytes = nlohmann::json::to_cbor(one);
  {
    auto store = SealedStore::Open(path, kPassphrase);
    REQUIRE(store.ok());
    const std::string key = EditKey(old.dot);
    REQUIRE((*store)->Put(Table::kEdits, key, id, old.hlc.ms, std::string(bytes.begin(), bytes.end())).ok());
    REQUIRE((*store)->Put(Table::kOutbox, key, "", old.hlc.ms, key).ok());
  }
  auto nb = Notebook::Open(path, kPassphrase);
  REQUIRE(nb.ok());
  auto batch = WaitingEdits(**nb, 100000);
  REQUIRE(batch.status().code() == Status::Code::kCorrupt);
  CHECK(batch.status().message().find("outbox row " + EditKey(old.dot)) != std::string::npos);
  auto history = (*nb)->History(id);
  REQUIRE(history.status().code() == Status::Code::kCorrupt);
  CHECK(history.status().message().find("edits row " + EditKey(old.dot)) != std::string::npos);
  // Nothing of the answer is in the message.
  CHECK(history.status().message().find("Bản Cũ") == std::string::npos);
}
