// The device (Notebook) and the server apply a batch by one path (sotay/apply_batch.h).
// Where they used to disagree - which reserved fields land, what an unknown form
// version does, what a "new conflict" counts - the same edits now give the same
// answer on both, or differ only by the one rule that says why.
#include "server_world.h"
#include "support/sync_steps.h"
#include "sotay/notebook.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;
using sotay::testing::TempDir;

namespace {

struct Phone {
  TempDir dir;
  std::unique_ptr<Notebook> nb;
  Phone() {
    NotebookOptions o;
    o.kdf = KdfLimits::Fast();
    auto created = Notebook::Create(dir.File("notebook.db"), "mật khẩu thiết bị", o);
    REQUIRE(created.ok());
    nb = std::move(created).value();
    REQUIRE(nb->InstallForm(kTestForm, "case_test.json").ok());
  }
  RecordState State(const std::string& id) {
    auto view = nb->Get(id);
    INFO(view.status().ToString());
    REQUIRE(view.ok());
    return view->state;
  }
};

RecordState ServerState(ServerWorld& w, const std::string& id) {
  auto record = w.OpenStore()->LoadRecord(id);
  REQUIRE(record.ok());
  REQUIRE(*record);
  return (*record)->state;
}

}  // namespace

TEST_CASE("device and server agree: an unknown reserved field or status is refused from a device, kept when pulled",
          "[server][apply]") {
  ServerWorld w;
  Phone phone;
  TestDevice a = w.Device("w-a");
  const std::string id = RecordId(1);
  auto edits = a.CreateRecord(id, "01234", {{"full_name", "Lò Thị Mai"}});
  edits.push_back(a.NewEdit(id, "_secret", "x"));
  edits.push_back(a.NewEdit(id, kStatusField, "deleted"));

  SyncResponse r = w.Push(a, edits);
  CHECK(r.rejected.size() == 2);
  const RecordState on_server = ServerState(w, id);
  CHECK(on_server.Field("_secret") == nullptr);
  CHECK(on_server.Shown(kStatusField) == kStatusActive);

  // Only a newer server could send these: a device keeps them rather than moving its
  // cursor past edits it would never get again.
  auto applied = sotay::testing::Pull(*phone.nb, edits);
  REQUIRE(applied.ok());
  CHECK(applied->applied == edits.size());
  const RecordState on_phone = phone.State(id);
  CHECK(on_phone.Shown("_secret") == "x");
  CHECK(on_phone.Shown("full_name") == on_server.Shown("full_name"));
}

TEST_CASE("device and server agree: an unknown form version is kept on a device, refused by the server",
          "[server][apply]") {
  ServerWorld w;
  Phone phone;
  TestDevice a = w.Device("w-a");
  const std::string id = RecordId(2);
  auto edits = a.CreateRecord(id, "01234", {{"full_name", "Lò Thị Mai"}});
  edits[2].value = "2";  // _version: published nowhere yet

  SyncResponse r = w.Push(a, edits);
  REQUIRE(r.rejected.size() == edits.size());
  CHECK(r.rejected[0].reason == "form case_test version 2 is not published on this server");
  auto applied = sotay::testing::Pull(*phone.nb, edits);  // e.g. from a server that has it
  REQUIRE(applied.ok());
  CHECK(applied->applied == edits.size());
  CHECK(phone.State(id).Shown("full_name") == "Lò Thị Mai");
}

TEST_CASE("device and server agree: new conflicts count fields", "[server][apply]") {
  ServerWorld w;
  Phone phone;
  TestDevice a = w.Device("w-a");
  TestDevice b = w.Device("w-b");
  const std::string id = RecordId(3);
  auto create = a.CreateRecord(id, "01234", {{"full_name", "Sùng A Páo"}, {"age", "8"}});
  REQUIRE(w.Push(a, create).rejected.empty());
  REQUIRE(sotay::testing::Pull(*phone.nb, create).ok());
  const Dot name_dot = create[4].dot;
  const Dot age_dot = create[5].dot;

  // Two workers change both answers of one record without seeing each other.
  const std::vector<Edit> from_a = {a.NewEdit(id, "full_name", "Sùng Á Páo", {name_dot}),
                                    a.NewEdit(id, "age", "9", {age_dot})};
  const std::vector<Edit> from_b = {b.NewEdit(id, "full_name", "Sùng A Pao", {name_dot}),
                                    b.NewEdit(id, "age", "10", {age_dot})};
  REQUIRE(w.Push(a, from_a).rejected.empty());
  REQUIRE(w.Push(b, from_b).rejected.empty());
  CHECK(w.app().metrics().Render().find("sotay_conflicts_opened_total 2") != std::string::npos);

  std::vector<Edit> both = from_a;
  both.insert(both.end(), from_b.begin(), from_b.end());
  auto pulled = sotay::testing::Pull(*phone.nb, both);
  REQUIRE(pulled.ok());
  CHECK(pulled->new_conflicts == 2);
  CHECK(phone.State(id).Conflicts() == ServerState(w, id).Conflicts());
}
