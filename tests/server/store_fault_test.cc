// The server's store under I/O faults (issue 12), as the device store is tested
// (tests/unit/fault_injection_test.cc): a real App on a copy of a prepared store,
// opened through the faulting VFS (support/fault_vfs.h), takes a short day's work —
// signed pushes of new records and of concurrent edits to one record from two
// devices, a replayed request, a conflict resolved in the dashboard (and one refused
// for its value), an enrollment, a WAL checkpoint — and is closed, with the Nth
// counted I/O operation failing. For N = 1, 2, ... until a run in which no fault
// fires; after each run the files as closing left them, and as a kill just before
// the close would have, are reopened with the normal VFS and must show:
//  - every edit a 2xx answer acknowledged, and every enrollment it confirmed;
//  - nothing else: the stored edits are the prepared ones plus acknowledged ones,
//    plus at most whole requests that failed (a commit whose fsync failed after its
//    WAL frames were written is found by the next open's WAL recovery: whole, and
//    the device sends those edits again, which the merge takes as duplicates);
//  - each record's merged state equal to the merge of its stored history, each
//    enrollment code used exactly when its device exists, one audit entry for each
//    dashboard resolution, an audit chain that verifies, and a sound file
//    (PRAGMA integrity_check).
//
// The background checkpointer (wal_checkpointer.h) runs a PASSIVE checkpoint on its
// own connection on its own thread; a thread would make the fault's position depend
// on timing, so the run makes the same call on a second connection through the
// faulting VFS between two requests, and the close's checkpoint runs under the
// fault too. A store opened through a VFS gives its checkpointer the same VFS.
//
// One file over 400 lines on purpose: the day's work, the faults and the checks after
// each share one fixture, and each case replays the whole day.
//
// Over 400 lines on purpose: it is one test, the day's work and the checks of
// what survived each fault, which read only together.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "server_world.h"
#include "sotay/merge.h"
#include "support/fault_vfs.h"
#include "web/audit_log.h"
#include "web/form_body.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;
using sotay::testing::CopyDatabase;
using sotay::testing::FaultMode;
using sotay::testing::FaultVfs;
using sotay::testing::IntegrityCheck;
using sotay::testing::kFaultVfsName;
using sotay::testing::RemoveDatabase;

namespace {

constexpr char kPassword[] = "mật khẩu dài đủ 12";
constexpr int64_t kMaxIterations = 2000;
constexpr int kMinFaults = 20;  // fewer and the workload did next to no I/O

// A device as the notebook drives it: what it has not yet seen accepted stays in
// its outbox and goes again with the next push.
struct OutboxDevice {
  TestDevice d;
  std::vector<Edit> outbox;
};

// What one request of the run did, as its answer says.
struct Outcome {
  enum Kind { kPush, kResolve, kEnroll, kOther } kind = kOther;
  int status = 0;
  std::vector<Dot> sent;  // kPush: the edits pushed
  std::vector<Dot> accepted;
  bool conflict_was_acknowledged = false;  // kResolve: both sides of the conflict acknowledged before
};

struct Prepared {
  ServerWorld world;
  std::string cookie, csrf;  // huyen's dashboard session, kept in the prepared store
  std::string enroll_code;   // issued for w-b, unused
  std::string pristine = world.dir.File("pristine.db");
  std::string trial = world.dir.File("trial.db");
  std::string killed = world.dir.File("killed.db");
  TestDevice a, b, fresh;
  std::string replayed_nonce;  // already used by a in the prepared store
  const std::string child = RecordId(1);

  Prepared() {
    {
      auto store = world.OpenStore();
      REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &world.env).ok());
    }
    a = world.Device("w-a");
    b = world.Device("w-b");
    std::vector<Edit> created = a.CreateRecord(child, "01234", {{"full_name", "Vàng A Sình"}, {"age", "12"}});
    replayed_nonce = RandomNonce();
    SyncRequest r;
    r.push = created;
    r.forms = {"case_test@1"};
    HttpResponse res = world.app().Handle(ServerWorld::Signed(a, EncodeSyncRequest(r), world.env.now_ms, replayed_nonce));
    REQUIRE(res.status == 200);
    WebClient c(world.app());
    REQUIRE(c.Login("huyen", kPassword));
    cookie = c.cookie();
    csrf = c.csrf();
    enroll_code = world.IssueCode("w-b");
    fresh.user = "w-b";
    fresh.id = "dev-fresh";
    crypto_sign_keypair(fresh.pk, fresh.sk);
    CopyDatabase(world.db, pristine);
  }
};

HttpResponse DashboardPost(App& app, const Prepared& p, const std::string& path,
                           const std::vector<std::pair<std::string, std::string>>& fields) {
  HttpRequest req;
  req.method = "POST";
  req.path = path;
  req.remote_addr = "10.1.0.1";
  req.headers["Host"] = "dashboard.test";
  req.headers["Cookie"] = p.cookie;
  req.headers["Content-Type"] = "application/x-www-form-urlencoded";
  std::string body;
  for (const auto& [k, v] : fields) body += web::UrlEncode(k) + "=" + web::UrlEncode(v) + "&";
  req.body = body + "csrf=" + p.csrf;
  return app.Handle(req);
}

Outcome Push(App& app, ServerWorld& world, OutboxDevice& dev, const std::string& nonce = RandomNonce()) {
  Outcome o;
  o.kind = Outcome::kPush;
  SyncRequest r;
  r.push = dev.outbox;
  r.forms = {"case_test@1"};
  for (const Edit& e : dev.outbox) o.sent.push_back(e.dot);
  HttpResponse res = app.Handle(ServerWorld::Signed(dev.d, EncodeSyncRequest(r), world.env.now_ms, nonce));
  o.status = res.status;
  if (res.status == 200) {
    auto decoded = DecodeSyncResponse(res.body);
    REQUIRE(decoded.ok());
    o.accepted = decoded->accepted;
    CHECK(decoded->rejected.empty());
    std::vector<Edit> left;
    for (const Edit& e : dev.outbox) {
      if (!HasDot(o.accepted, e.dot)) left.push_back(e);
    }
    dev.outbox = left;
  }
  return o;
}

// The prepared store's day, on `app`; what each request was answered.
std::vector<Outcome> Workload(App& app, Prepared& p, const std::string& trial) {
  std::vector<Outcome> out;
  ServerWorld& w = p.world;
  OutboxDevice a{p.a, {}}, b{p.b, {}};
  const Dot created_age{p.a.id, 6};

  // A new child from a; both devices change the first child's age from what they saw.
  a.outbox = a.d.CreateRecord(RecordId(2), "01234", {{"full_name", "Lò Thị Dung"}, {"sex", "female"}});
  out.push_back(Push(app, w, a));
  b.outbox.push_back(b.d.NewEdit(p.child, "age", "13", {created_age}));
  out.push_back(Push(app, w, b));
  a.outbox.push_back(a.d.NewEdit(p.child, "age", "14", {created_age}));
  out.push_back(Push(app, w, a));
  const bool conflict_acknowledged = out[1].status == 200 && out[2].status == 200;

  // A replayed request is refused and changes nothing.
  OutboxDevice replay{p.a, {}};
  Outcome replayed = Push(app, w, replay, p.replayed_nonce);
  replayed.kind = Outcome::kOther;
  CHECK(replayed.status != 200);
  out.push_back(replayed);

  // The district officer resolves the conflict: first with a value the form refuses.
  Outcome bad;
  bad.kind = Outcome::kOther;
  bad.status = DashboardPost(app, p, "/conflicts/resolve",
                             {{"record", p.child}, {"field", "age"}, {"pick", "other"}, {"other", "mười"}})
                   .status;
  if (conflict_acknowledged) CHECK(bad.status != 303);  // else there is no conflict to resolve: 303
  out.push_back(bad);
  Outcome resolve;
  resolve.kind = Outcome::kResolve;
  resolve.conflict_was_acknowledged = conflict_acknowledged;
  resolve.status = DashboardPost(app, p, "/conflicts/resolve",
                                 {{"record", p.child}, {"field", "age"}, {"pick", "other"}, {"other", "15"}})
                       .status;
  out.push_back(resolve);

  // What the background checkpointer does, between two requests, on its own connection.
  {
    auto own = sqlite::Db::Open(trial, sqlite::Db::Mode::kReadWrite, kFaultVfsName);
    if (own.ok() && own->Exec("PRAGMA synchronous = FULL;").ok()) {
      // The raw call wal_checkpointer.cc makes: the layer does not wrap checkpoints.
      sqlite3_wal_checkpoint_v2(own->handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
  }

  // A new device enrolls with its one-time code.
  Outcome enroll;
  enroll.kind = Outcome::kEnroll;
  {
    HttpRequest req;
    req.method = "POST";
    req.path = "/v1/enroll";
    req.remote_addr = "10.0.0.50";
    req.body = nlohmann::json{{"code", p.enroll_code}, {"device_id", p.fresh.id},
                              {"public_key", p.fresh.PublicKeyBase64()}}
                   .dump();
    enroll.status = app.Handle(req).status;
  }
  out.push_back(enroll);

  // More work from both, with whatever the disk refused before sent again.
  b.outbox.push_back(b.d.NewEdit(p.child, "sex", "male"));
  std::vector<Edit> third = b.d.CreateRecord(RecordId(3), "01234", {{"full_name", "Sùng Thị Mai"}});
  b.outbox.insert(b.outbox.end(), third.begin(), third.end());
  out.push_back(Push(app, w, b));
  a.outbox.push_back(a.d.NewEdit(RecordId(2), "age", "9"));
  out.push_back(Push(app, w, a));
  return out;
}

// Every edit of the history, whole (bases and clocks too), read on a plain connection.
std::vector<Edit> StoredEdits(const std::string& path) {
  auto h = sqlite::Db::Open(path, sqlite::Db::Mode::kReadOnly);
  REQUIRE(h.ok());
  auto st = h->Prepare("SELECT edits FROM edit_sets ORDER BY seq");
  REQUIRE(st.ok());
  std::vector<Edit> out;
  Status s = sqlite::ForEachRow(*st, [&]() -> Status {
    auto group = DecodeEditGroup(st->BlobView(0));
    if (!group.ok()) return group.status();
    out.insert(out.end(), group->begin(), group->end());
    return Status::OK();
  });
  INFO(s.ToString());
  REQUIRE(s.ok());
  return out;
}

std::set<Dot> DotsOf(const std::vector<Edit>& edits) {
  std::set<Dot> out;
  for (const Edit& e : edits) out.insert(e.dot);
  return out;
}

// The checks of the file comment, on the files at `path`.
void Verify(const Prepared& p, const std::string& path, const std::vector<Outcome>& outcomes,
            const std::set<Dot>& pristine_dots) {
  REQUIRE(IntegrityCheck(path) == "ok");
  // Through the faulting VFS, disarmed: the normal file I/O, without real fsyncs.
  auto opened = ServerStore::Open(path, ServerStore::Mode::kOpen, kFaultVfsName);
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  ServerStore& store = **opened;

  const std::vector<Edit> edits = StoredEdits(path);
  const std::set<Dot> stored = DotsOf(edits);
  CHECK(stored.size() == edits.size());  // no edit stored twice
  for (const Dot& d : pristine_dots) CHECK(stored.count(d) == 1);

  std::set<Dot> acknowledged, failed;
  for (const Outcome& o : outcomes) {
    if (o.kind != Outcome::kPush) continue;
    for (const Dot& d : o.accepted) acknowledged.insert(d);
    if (o.status != 200) failed.insert(o.sent.begin(), o.sent.end());
  }
  for (const Dot& d : acknowledged) {
    INFO("acknowledged " << d.device << ":" << d.counter);
    CHECK(stored.count(d) == 1);
  }
  // Beyond the acknowledged: only whole failed requests.
  std::vector<Edit> resolutions;
  for (const Edit& e : edits) {
    if (e.author == "huyen") {
      resolutions.push_back(e);
      continue;
    }
    if (pristine_dots.count(e.dot) || acknowledged.count(e.dot)) continue;
    INFO("stored but never acknowledged: " << e.dot.device << ":" << e.dot.counter);
    CHECK(failed.count(e.dot) == 1);
  }
  // A failed push that landed (its commit's fsync failed after its WAL frames were
  // written, and the next open's recovery found them) landed whole: what is stored
  // unacknowledged is a union of whole failed pushes (counting only the edits that
  // no answer acknowledged: the device sent those again).
  std::set<Dot> unacknowledged, whole;
  for (const Edit& e : edits) {
    if (e.author != "huyen" && !pristine_dots.count(e.dot) && !acknowledged.count(e.dot)) {
      unacknowledged.insert(e.dot);
    }
  }
  for (const Outcome& o : outcomes) {
    if (o.kind != Outcome::kPush || o.status == 200) continue;
    std::set<Dot> fresh;
    for (const Dot& d : o.sent) {
      if (!acknowledged.count(d)) fresh.insert(d);
    }
    if (std::includes(unacknowledged.begin(), unacknowledged.end(), fresh.begin(), fresh.end())) {
      whole.insert(fresh.begin(), fresh.end());
    }
  }
  CHECK(unacknowledged == whole);

  // The dashboard's resolution: stored exactly when the audit log says so.
  CHECK(resolutions.size() <= 1);
  for (const Edit& e : resolutions) {
    CHECK(e.record == p.child);
    CHECK(e.field == "age");
    CHECK(e.value == "15");
  }
  CHECK(CountRows(path, "SELECT count(*) FROM audit_log WHERE action = 'conflict.resolve'") ==
        static_cast<int64_t>(resolutions.size()));
  for (const Outcome& o : outcomes) {
    if (o.kind == Outcome::kResolve && o.status == 303 && o.conflict_was_acknowledged) CHECK(resolutions.size() == 1);
  }
  auto audit = web::VerifyAudit(store.db());
  REQUIRE(audit.ok());
  INFO(audit->reason);
  CHECK(audit->ok);

  // Each record's state is the merge of its history: no change set half applied.
  std::map<std::string, RecordState> merged;
  for (const Edit& e : edits) merged[e.record].Apply(e);
  for (const auto& [id, state] : merged) {
    auto row = store.LoadRecord(id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    const RecordState& kept = (*row)->state;
    INFO("record " << id);
    CHECK(kept.known() == state.known());
    for (const auto& [field, fs] : state.fields()) CHECK(kept.Shown(field) == state.Shown(field));
    CHECK(kept.Conflicts() == state.Conflicts());
  }
  CHECK(CountRows(path, "SELECT count(*) FROM records") == static_cast<int64_t>(merged.size()));
  CHECK(CountRows(path, "SELECT count(*) FROM rejected") == 0);

  // An enrollment lands with its code used, or not at all.
  auto device = store.FindDevice(p.fresh.id);
  REQUIRE(device.ok());
  const int64_t used = CountRows(path, "SELECT count(*) FROM enroll_codes WHERE used_ms IS NOT NULL AND device = 'dev-fresh'");
  CHECK(used == (device->has_value() ? 1 : 0));
  for (const Outcome& o : outcomes) {
    if (o.kind == Outcome::kEnroll && o.status == 200) CHECK(device->has_value());
  }
}

}  // namespace

TEST_CASE("fault: every edit the server acknowledged survives a failing disk, and a failed request leaves no trace",
          "[server][fault][sqlite]") {
  FaultVfs vfs(/*make_default=*/false);
  FaultVfs::RealSyncs(false);  // a kill is simulated by copying the files: no power cut here
  Prepared p;
  const std::set<Dot> pristine_dots = DotsOf(StoredEdits(p.pristine));
  REQUIRE(pristine_dots.size() == 6);

  // Without a fault, the whole day is acknowledged.
  {
    CopyDatabase(p.pristine, p.trial);
    auto store = ServerStore::Open(p.trial, ServerStore::Mode::kOpen, kFaultVfsName);
    REQUIRE(store.ok());
    auto app = App::Create(std::move(store).value(), &p.world.env, nullptr);
    REQUIRE(app.ok());
    std::vector<Outcome> day = Workload(**app, p, p.trial);
    for (const Outcome& o : day) {
      if (o.kind != Outcome::kOther) CHECK(o.status / 100 != 5);
    }
    CHECK(day[5].status == 303);
    app->reset();
    Verify(p, p.trial, day, pristine_dots);
    CHECK(StoredEdits(p.trial).size() == pristine_dots.size() + 16);
  }

  for (const FaultMode& mode : sotay::testing::kFaultModes) {
    int faults = 0;
    bool finished = false;
    for (int64_t n = 1; n <= kMaxIterations && !finished; ++n) {
      INFO(mode.name << ", N = " << n);
      CopyDatabase(p.pristine, p.trial);
      std::vector<Outcome> day;
      {
        // Armed once the server is up: a store that cannot be opened acknowledges
        // nothing, and the open's hundreds of reads would only make the loop long.
        auto store = ServerStore::Open(p.trial, ServerStore::Mode::kOpen, kFaultVfsName);
        REQUIRE(store.ok());
        {
          auto app = App::Create(std::move(store).value(), &p.world.env, nullptr);
          REQUIRE(app.ok());
          FaultVfs::Arm(n, mode);
          {
            day = Workload(**app, p, p.trial);
            if (!mode.persistent && FaultVfs::Fired()) {
              // The disk is back: the next request works.
              OutboxDevice c{p.b, {}};
              CHECK(Push(**app, p.world, c).status == 200);
            }
          }
          CopyDatabase(p.trial, p.killed);
        }  // the close (and its checkpoint) runs under the fault too
      }
      const bool fired = FaultVfs::Fired();
      FaultVfs::Disarm();
      {
        INFO("after closing");
        Verify(p, p.trial, day, pristine_dots);
      }
      {
        INFO("after the server was killed instead of closing");
        Verify(p, p.killed, day, pristine_dots);
        RemoveDatabase(p.killed);
      }
      finished = !fired;
      if (fired) ++faults;
    }
    INFO(mode.name << ": " << faults << " runs with a fault");
    CHECK(finished);
    CHECK(faults >= kMinFaults);
  }
  RemoveDatabase(p.trial);
}
