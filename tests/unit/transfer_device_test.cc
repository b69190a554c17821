// The device's side of a transfer (issue 14, docs/sync-protocol.md "Transfers"): the
// move as _area edits on the profile and the records linked to it, and a record the
// server names as gone forgotten whole while its unsent edits still go out; the
// answer's "o" on the wire.
#include <catch2/catch.hpp>

#include "sotay/merge.h"
#include "sotay/notebook.h"
#include "sotay/wire.h"
#include "support/child_answers.h"
#include "support/sync_steps.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::TempDir;
using sotay::testing::WaitingEdits;

namespace {

std::unique_ptr<Notebook> Open(const std::string& path) {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto nb = Notebook::Create(path, "passphrase", o);
  REQUIRE(nb.ok());
  REQUIRE((*nb)->InstallForm(sotay::testing::ChildProfileText(), "child_profile.json").ok());
  REQUIRE((*nb)->SetProfile("01234", "w-a").ok());
  return std::move(nb).value();
}

std::string NewChild(Notebook& nb, const std::string& name) {
  auto saved = nb.CreateRecord("child_profile", sotay::testing::ChildAnswers(name), "", "vi");
  REQUIRE(saved.ok());
  REQUIRE(saved->ok());
  return saved->id;
}

}  // namespace

TEST_CASE("transfer device: a move is an _area edit per record, and a gone record leaves, its unsent edits stay",
          "[transfer]") {
  TempDir dir;
  auto nb = Open(dir.File("nb.db"));
  const std::string child = NewChild(*nb, "Lò Thị Mai");
  const std::string other = NewChild(*nb, "Hà Văn Tú");
  Draft draft;
  draft.form = "child_profile";
  draft.version = 1;
  draft.record = child;  // an edit of hers, interrupted
  REQUIRE(nb->drafts().Save(draft).ok());

  auto moving = nb->TransferSet(child);
  REQUIRE(moving.ok());
  CHECK(*moving == std::vector<std::string>{child});
  auto moved = nb->Transfer(child, "01237");
  REQUIRE(moved.ok());
  CHECK(*moved == 1);
  auto view = nb->Get(child);
  REQUIRE(view.ok());
  CHECK(view->area == "01237");
  auto history = nb->History(child);
  REQUIRE(history.ok());
  CHECK(history->back().field == kAreaField);
  CHECK(history->back().base.size() == 1);  // names the area it replaced
  CHECK(nb->Transfer(child, "01237").status().code() == Status::Code::kFailedPrecondition);

  const int64_t waiting = *nb->OutboxCount();
  REQUIRE(nb->RecordExchange({}, 9, {}, std::nullopt, {}, {child}).ok());
  CHECK(nb->Get(child).status().code() == Status::Code::kNotFound);
  CHECK(nb->Get(other).ok());
  auto history_after = nb->History(child);
  REQUIRE(history_after.ok());
  CHECK(history_after->empty());
  auto drafts = nb->drafts().List();
  REQUIRE(drafts.ok());
  CHECK(drafts->empty());
  CHECK(*nb->OutboxCount() == waiting);  // made before it knew: still sent
  auto batch = WaitingEdits(*nb, 1000);
  REQUIRE(batch.ok());
  CHECK(std::any_of(batch->begin(), batch->end(),
                    [&](const Edit& e) { return e.record == child && e.field == kAreaField; }));
}

TEST_CASE("transfer wire: the answer names gone records in 'o', absent when none", "[transfer][wire]") {
  SyncResponse r;
  r.cursor = 12;
  const std::string none = EncodeSyncResponse(r);
  r.gone = {"0197a1b2-0000-7000-8000-000000000001", "0197a1b2-0000-7000-8000-000000000002"};
  const std::string some = EncodeSyncResponse(r);
  CHECK(some.size() > none.size());
  auto decoded = DecodeSyncResponse(some);
  REQUIRE(decoded.ok());
  CHECK(decoded->gone == r.gone);
  CHECK(decoded->cursor == 12);
  auto empty = DecodeSyncResponse(none);
  REQUIRE(empty.ok());
  CHECK(empty->gone.empty());
  r.gone = {"not an id!"};
  CHECK_FALSE(DecodeSyncResponse(EncodeSyncResponse(r)).ok());
}

TEST_CASE("transfer device: a duplicate merged into the child moves with her, and search no longer finds her",
          "[transfer]") {
  TempDir dir;
  auto nb = Open(dir.File("nb.db"));
  const std::string child = NewChild(*nb, "Lò Thị Mai");
  Answers twice = sotay::testing::ChildAnswers("Lo Thi Mai");
  twice["register_status"] = "merged";
  twice["register_left_date"] = "2026-01-05";
  twice["merged_into"] = child;
  auto saved = nb->CreateRecord("child_profile", twice, "", "vi");
  REQUIRE(saved.ok());
  INFO((saved->ok() ? std::string() : saved->issues.front().field + ": " + saved->issues.front().message));
  REQUIRE(saved->ok());
  const std::string duplicate = saved->id;
  const std::string stays = NewChild(*nb, "Hà Văn Tú");

  auto moving = nb->TransferSet(child);
  REQUIRE(moving.ok());
  CHECK(*moving == std::vector<std::string>{child, duplicate});
  REQUIRE(nb->Transfer(child, "01237").ok());
  REQUIRE(nb->RecordExchange({}, 9, {}, std::nullopt, {}, {child, duplicate}).ok());

  ListFilter f;
  f.form = "child_profile";
  f.query = "lo thi mai";
  auto found = nb->List(f, "vi");
  REQUIRE(found.ok());
  CHECK(found->empty());  // neither the child nor her merged duplicate is kept here
  f.query = "ha van tu";
  found = nb->List(f, "vi");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front().id == stays);
}
