// What the device keeps of the server's refusals (Notebook::Rejected) and which
// commune a new record goes to (Notebook::CommuneForNewRecord): issue 12, a record
// nobody keeps and refused edits that vanished from every list.
#include <catch2/catch.hpp>

#include "sotay/notebook.h"
#include "sotay/sync_session.h"
#include "support/child_answers.h"
#include "support/sync_steps.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::TempDir;
using sotay::testing::Acknowledge;
using sotay::testing::ReceiveAndApply;
using sotay::testing::WaitingEdits;

namespace {

std::unique_ptr<Notebook> Open(const std::string& path, bool create) {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto nb = create ? Notebook::Create(path, "passphrase", o) : Notebook::Open(path, "passphrase", o);
  REQUIRE(nb.ok());
  if (create) REQUIRE((*nb)->InstallForm(sotay::testing::ChildProfileText(), "child_profile.json").ok());
  return std::move(nb).value();
}

const char* kReason = "form child_profile version 1 is not published on this server";

}  // namespace

TEST_CASE("refused edits are kept sealed across reopening, and leave only when retried or dropped", "[rejected]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  std::vector<Edit> sent;
  {
    auto nb = Open(path, true);
    REQUIRE(nb->SetProfile("01234", "w-a").ok());
    REQUIRE(nb->CreateRecord("child_profile", sotay::testing::ChildAnswers("Lò Thị Mai"), "", "vi")->ok());
    auto batch = WaitingEdits(*nb, 1000);
    REQUIRE(batch.ok());
    sent = *batch;
    std::vector<Dot> done;
    std::vector<Rejection> refused;
    for (const Edit& e : sent) {
      done.push_back(e.dot);
      if (e.field == "full_name" || e.field == "_form") refused.push_back(Rejection{e.dot, kReason});
    }
    REQUIRE(refused.size() == 2);
    REQUIRE(nb->RecordExchange({}, 7, done, int64_t{1795000000000}, refused).ok());
    CHECK(*nb->OutboxCount() == 0);
    CHECK(*nb->RejectedCount() == 2);
  }
  // The reason and the refused value are sealed like everything else.
  const std::string file = sotay::testing::ReadBytes(path) + sotay::testing::ReadBytes(path + "-wal");
  CHECK(file.find("not published") == std::string::npos);
  CHECK(file.find("Lò Thị Mai") == std::string::npos);

  auto nb = Open(path, false);
  auto kept = nb->Rejected();
  REQUIRE(kept.ok());
  REQUIRE(kept->size() == 2);
  for (const KeptRejection& k : *kept) {
    CHECK(k.reason == kReason);
    CHECK(k.edit.record == sent.front().record);
    CHECK((k.edit.field == "full_name" || k.edit.field == "_form"));
    CHECK(k.edit.dot.device == nb->device_id());
  }
  CHECK(nb->DropRejected({Dot{nb->device_id(), 999999}}).status().code() == Status::Code::kNotFound);
  CHECK(*nb->RejectedCount() == 2);

  // Retried: back in the outbox, sent again, and gone once acknowledged.
  CHECK(*nb->RetryRejected() == 2);
  CHECK(*nb->RejectedCount() == 0);
  CHECK(*nb->OutboxCount() == 2);
  auto again = WaitingEdits(*nb, 1000);
  REQUIRE(again.ok());
  REQUIRE(again->size() == 2);
  CHECK(again->front().dot == kept->front().edit.dot);
  REQUIRE(Acknowledge(*nb, {(*again)[0].dot, (*again)[1].dot}).ok());
  CHECK(*nb->OutboxCount() == 0);

  // Refused again, then dropped: the notebook forgets the refusal.
  REQUIRE(nb->RecordExchange({}, 7, {}, std::nullopt, {Rejection{(*again)[0].dot, kReason}}).ok());
  CHECK(*nb->RejectedCount() == 1);
  CHECK(nb->Rejected()->front().edit.field == (*again)[0].field);  // read from the stored edits
  CHECK(*nb->DropRejected({}) == 1);
  CHECK(*nb->RejectedCount() == 0);
}

TEST_CASE("a retried edit whose outbox row still waits in part is sent and acknowledged whole", "[rejected]") {
  TempDir dir;
  auto nb = Open(dir.File("nb.db"), true);
  REQUIRE(nb->SetProfile("01234", "w-a").ok());
  REQUIRE(nb->CreateRecord("child_profile", sotay::testing::ChildAnswers("Vàng A Dơ"), "", "vi")->ok());
  auto batch = WaitingEdits(*nb, 1000);
  REQUIRE(batch.ok());
  const size_t n = batch->size();
  // The server refuses the first two and leaves the last two for the next request.
  std::vector<Dot> done;
  for (size_t i = 0; i + 2 < n; ++i) done.push_back((*batch)[i].dot);
  REQUIRE(nb->RecordExchange({}, 1, done, std::nullopt, {{(*batch)[0].dot, kReason}, {(*batch)[1].dot, kReason}}).ok());
  CHECK(*nb->OutboxCount() == 2);
  CHECK(*nb->RetryRejected() == 2);
  CHECK(*nb->OutboxCount() == 4);
  auto again = WaitingEdits(*nb, 1000);
  REQUIRE(again->size() == 4);
  std::vector<Dot> all;
  for (const Edit& e : *again) all.push_back(e.dot);
  REQUIRE(Acknowledge(*nb, all).ok());
  CHECK(*nb->OutboxCount() == 0);
}

TEST_CASE("a district officer's record names a commune the officer may edit", "[rejected]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  {
    auto nb = Open(path, true);
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"http://district.example", "d-1", "001", "district", "", {}}).ok());
    const Answers child = sotay::testing::ChildAnswers("Hà Văn Tú");
    // Never told its communes: nothing is saved that nobody would keep.
    auto early = nb->CreateRecord("child_profile", child, "", "vi");
    CHECK(early.status().code() == Status::Code::kFailedPrecondition);
    CHECK(early.status().message().find("sync first") != std::string::npos);

    REQUIRE(nb->SetCommunes(CommuneList{"t1", {{"01234", "Xã Bản Phố"}, {"01235", "Xã Nà Hang"}}}).ok());
    CHECK(nb->NeedsCommuneChoice());
    CHECK(nb->CreateRecord("child_profile", child, "", "vi").status().code() == Status::Code::kFailedPrecondition);
    CHECK(nb->CreateRecord("child_profile", child, "", "vi", "02001").status().code() ==
          Status::Code::kInvalidArgument);
    CHECK(nb->CreateRecords("child_profile", {child}, "vi").status().code() == Status::Code::kFailedPrecondition);
    CHECK(*nb->OutboxCount() == 0);

    auto made = nb->CreateRecord("child_profile", child, "", "vi", "01235");
    REQUIRE(made.ok());
    REQUIRE(made->ok());
    CHECK(nb->Get(made->id)->area == "01235");
  }
  auto nb = Open(path, false);  // the list survives reopening
  CHECK(nb->role() == "district");
  CHECK(nb->communes_tag() == "t1");
  REQUIRE(nb->communes().size() == 2);
  CHECK(nb->communes()[1].name == "Xã Nà Hang");
}

TEST_CASE("enrolling again for another user clears the communes the last user could edit", "[rejected]") {
  TempDir dir;
  auto nb = Open(dir.File("nb.db"), true);
  REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"http://district.example", "d-1", "001", "district", "",
                                                 CommuneList{"t1", {{"01234", "Xã Bản Phố"}}}})
              .ok());
  REQUIRE(nb->communes().size() == 1);  // with the enrollment, in the same transaction
  CHECK(nb->CreateRecord("child_profile", sotay::testing::ChildAnswers("Hà Văn Tú"), "", "vi", "01234").ok());
  // The phone passes to an officer of another district; that server sends no list.
  REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"http://other.example", "d-9", "002", "district", "", {}}).ok());
  CHECK(nb->communes().empty());
  auto made = nb->CreateRecord("child_profile", sotay::testing::ChildAnswers("Hà Văn Tú"), "", "vi", "01234");
  CHECK(made.status().code() == Status::Code::kFailedPrecondition);  // sync first, not the last user's commune
}

TEST_CASE("a commune name with a tab or a line break in the server's list does not stop the sync", "[rejected]") {
  TempDir dir;
  auto nb = Open(dir.File("nb.db"), true);
  REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"http://district.example", "d-1", "001", "district", "", {}}).ok());
  REQUIRE(nb->SetCommunes(CommuneList{"t", {{"01234", "Xã\tBản\nPhố"}, {"bad\tcode", "X"}, {"01235", "Nà Hang"}}}).ok());
  REQUIRE(nb->communes().size() == 2);
  CHECK(nb->communes()[0].name == "Xã Bản Phố");
  CHECK(nb->communes()[1].code == "01235");
}

TEST_CASE("a commune worker's device keeps its own commune with no question", "[rejected]") {
  TempDir dir;
  auto nb = Open(dir.File("nb.db"), true);
  REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"http://district.example", "w-a", "01234", "worker", "", {}}).ok());
  REQUIRE(nb->SetCommunes(CommuneList{"t", {{"01234", "Xã Bản Phố"}}}).ok());
  CHECK_FALSE(nb->NeedsCommuneChoice());
  auto made = nb->CreateRecord("child_profile", sotay::testing::ChildAnswers("Lý Thị Hoa"), "", "vi");
  REQUIRE(made.ok());
  CHECK(nb->Get(made->id)->area == "01234");
}

TEST_CASE("a sync answer's commune list reaches the notebook, and the next request names its tag", "[rejected]") {
  TempDir dir;
  auto nb = Open(dir.File("nb.db"), true);
  REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"http://district.example", "d-1", "001", "district", "", {}}).ok());
  SyncSession session(*nb);
  auto first = session.Next();
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  auto request = DecodeSyncRequest(EncodeSyncRequest(**first));
  REQUIRE(request.ok());
  CHECK(request->communes_tag == std::optional<std::string>(""));
  SyncResponse answer;
  answer.cursor = 0;
  answer.communes = CommuneList{"abc", {{"01234", "Xã Bản Phố"}, {"01235", "Xã Nà Hang"}}};
  auto decoded = DecodeSyncResponse(EncodeSyncResponse(answer));
  REQUIRE(decoded.ok());
  REQUIRE(ReceiveAndApply(session, *decoded).ok());
  REQUIRE(nb->communes().size() == 2);
  CHECK(nb->communes()[0] == Commune{"01234", "Xã Bản Phố"});
  CHECK(nb->communes_tag() == "abc");
  CHECK_FALSE(session.Next()->has_value());  // caught up

  SyncSession later(*nb);
  auto next = later.Next();
  REQUIRE(next->has_value());
  CHECK((*next)->communes_tag == std::optional<std::string>("abc"));
  // An answer without the list (unchanged) leaves it as it is.
  REQUIRE(ReceiveAndApply(later, *DecodeSyncResponse(EncodeSyncResponse(SyncResponse{}))).ok());
  CHECK(nb->communes().size() == 2);
}
