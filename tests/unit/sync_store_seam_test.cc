// SyncSession and RunSync over the narrow store they see (sotay/sync_store.h): an
// in-memory SyncStore and an in-process server that speaks the real wire (gzip,
// CBOR, signed requests checked, answers signed with Ed25519). What a worker would
// check: every edit reaches the server once, what the server did not acknowledge is
// still waiting, refusals are kept with their reasons, the pull resumes where it
// stopped, and an answer not signed by the pinned key changes nothing.
//
// Over 400 lines on purpose: the cases share the in-memory store and server, which
// are half the file and are what the seam is tested against.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sotay/base64.h"
#include "sotay/gzip.h"
#include "sotay/sync_run.h"
#include "sotay/sync_session.h"
#include "support/memory_sync_store.h"
#include "support/sync_steps.h"

using namespace sotay;
using sotay::testing::MemorySyncStore;
using sotay::testing::ReceiveAndApply;

namespace {

// The server's side of /v1/sync, in process: checks the device's signature, keeps a
// log of edits (sequence = index + 1), pages the pull, and signs its answer.
class FakeServer : public SyncTransport {
 public:
  explicit FakeServer(const std::string& device_public_key)
      : device_key_(*Base64Decode(device_public_key, kPublicKeyBytes)), key_(SigningKey::Generate()) {}

  std::string public_key() const { return key_.PublicKeyBase64(); }

  size_t page = 1000;
  // Which pushed edits to refuse, and why ("" accepts); and whether to acknowledge
  // only the first half of each push, as a confused server might.
  std::function<std::string(const Edit&)> refuse = [](const Edit&) { return std::string(); };
  bool ack_half = false;
  // What the server answers instead of a sync answer: a status and JSON body.
  int refuse_status = 0;
  nlohmann::json refusal;
  // How the answer is signed: by the server's key, another key, or not at all.
  enum class Signing { kGood, kOtherKey, kNone } signing = Signing::kGood;
  int drop_after = -1;  // >= 0: requests after this many get no answer

  std::vector<Edit> log;
  std::map<Dot, size_t> times_pushed;  // every time a dot came, acknowledged or not
  std::vector<SyncRequest> requests;   // as decoded, in order
  std::vector<std::string> device_ids;  // X-Sotay-Device of each
  std::vector<int64_t> times;           // X-Sotay-Time of each
  std::vector<std::string> problems;    // requests the server could not read

  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    HttpReply reply;
    if (drop_after >= 0 && static_cast<int>(requests.size()) >= drop_after) {
      reply.failure = "the link dropped";
      return reply;
    }
    std::map<std::string, std::string> h;
    for (const auto& [name, value] : headers) h[name] = value;
    // Called on RunSync's own thread: a problem is noted for the test to check, not
    // asserted here (Catch's assertions belong to the test's thread).
    const auto plain = h["Content-Encoding"] == "gzip" ? Gunzip(body, 64u << 20) : std::optional<std::string>(body);
    const auto signature = Base64Decode(h[kSignatureHeader], kSignatureBytes);
    if (!plain || !signature ||
        !VerifyRequest(device_key_, *signature, "POST", "/v1/sync", *plain, std::stoll(h[kTimeHeader]),
                       h[kNonceHeader])) {
      problems.push_back("request " + std::to_string(requests.size() + 1) + " is not signed by the device");
      return reply;
    }
    auto request = DecodeSyncRequest(*plain);
    if (!request.ok()) {
      problems.push_back(request.status().ToString());
      return reply;
    }
    requests.push_back(*request);
    device_ids.push_back(h[kDeviceHeader]);
    times.push_back(std::stoll(h[kTimeHeader]));

    reply.answered = true;
    if (refuse_status != 0) {
      reply.status = refuse_status;
      reply.body = refusal.dump();
    } else {
      reply.status = 200;
      reply.body = EncodeSyncResponse(Answer(*request));
    }
    Sign(h[kNonceHeader], reply);
    return reply;
  }

 private:
  SyncResponse Answer(const SyncRequest& r) {
    SyncResponse out;
    size_t index = 0;
    for (const Edit& e : r.push) {
      ++times_pushed[e.dot];
      if (ack_half && 2 * index++ >= r.push.size()) continue;
      const std::string why = refuse(e);
      if (!why.empty()) {
        out.rejected.push_back(Rejection{e.dot, why});
        continue;
      }
      if (std::none_of(log.begin(), log.end(), [&](const Edit& x) { return x.dot == e.dot; })) log.push_back(e);
      out.accepted.push_back(e.dot);
    }
    const size_t from = std::min<size_t>(r.cursor, log.size());
    const size_t to = std::min(log.size(), from + page);
    out.pull.assign(log.begin() + static_cast<std::ptrdiff_t>(from), log.begin() + static_cast<std::ptrdiff_t>(to));
    out.cursor = to;
    out.more = to < log.size();
    out.server_time_ms = 1795000005000;
    return out;
  }

  void Sign(const std::string& nonce, HttpReply& reply) {
    if (signing == Signing::kNone) return;
    const SigningKey other = SigningKey::Generate();
    const SigningKey& by = signing == Signing::kGood ? key_ : other;
    reply.headers.emplace_back(kServerSignatureHeader, by.SignAnswer("/v1/sync", nonce, reply.status, reply.body));
    reply.headers.emplace_back(kServerKeyHeader, by.PublicKeyBase64());
  }

  std::string device_key_;  // raw
  SigningKey key_;
};

// `records` records of `fields` answers each, one save (one outbox row) per record.
std::vector<Edit> SaveRecords(MemorySyncStore& store, int records, int fields, const std::string& prefix = "r") {
  std::vector<Edit> made;
  for (int r = 0; r < records; ++r) {
    std::vector<std::pair<std::string, std::string>> answers;
    for (int f = 0; f < fields; ++f) answers.emplace_back("q" + std::to_string(f), "answer " + std::to_string(r));
    for (Edit& e : store.Save(prefix + std::to_string(r), answers)) made.push_back(std::move(e));
  }
  return made;
}

// Edits made by another device, waiting on the server for this one to pull.
std::vector<Edit> OthersEdits(int n) {
  std::vector<Edit> out;
  for (int i = 1; i <= n; ++i) {
    out.push_back(Edit{Dot{"otherdevice02", static_cast<uint64_t>(i)}, "other" + std::to_string(i / 50),
                       "q" + std::to_string(i % 50),
                       "value " + std::to_string(i), Hlc{1795000001000 + i, 0, "otherdevice02"}, {}, "worker-2"});
  }
  return out;
}

}  // namespace

TEST_CASE("sync seam: a session pushes the outbox in batches of its size, oldest first, each edit once",
          "[sync][seam]") {
  MemorySyncStore store;
  const std::vector<Edit> made = SaveRecords(store, 30, 5);  // 150 edits in rows of 5
  std::vector<Edit> received;  // what the server got, in order

  SyncSession session(store, 40);  // batches of 40 at most: whole rows, so 40 each
  for (;;) {
    auto next = session.Next();
    REQUIRE(next.ok());
    if (!next->has_value()) break;
    const SyncRequest& request = **next;
    CHECK(request.push.size() <= 40);
    SyncResponse answer;
    for (const Edit& e : request.push) answer.accepted.push_back(e.dot);
    received.insert(received.end(), request.push.begin(), request.push.end());
    answer.cursor = received.size();
    REQUIRE(ReceiveAndApply(session, std::move(answer)).ok());
  }
  REQUIRE(received.size() == made.size());
  for (size_t i = 0; i < made.size(); ++i) CHECK(received[i].dot == made[i].dot);
  CHECK(*store.OutboxCount() == 0);
  CHECK(session.counts().sent == 150);
  CHECK(session.counts().outbox_total == 150);
  CHECK(session.counts().exchanges == 4);  // 40, 40, 40, 30
  CHECK(store.GetSyncState()->cursor == 150);
}

TEST_CASE("sync seam: what the server did not acknowledge stays in the outbox, exactly that", "[sync][seam]") {
  MemorySyncStore store;
  const std::vector<Edit> made = SaveRecords(store, 4, 5);
  SyncSession session(store, 100);
  auto next = session.Next();
  REQUIRE(next.ok());
  REQUIRE(next->has_value());
  REQUIRE((**next).push.size() == 20);
  SyncResponse answer;
  answer.server_time_ms = 1795000005000;
  std::set<Dot> acked;
  for (size_t i = 0; i < 7; ++i) {  // part of a row, too: rows are not acknowledged whole
    answer.accepted.push_back(made[i].dot);
    acked.insert(made[i].dot);
  }
  REQUIRE(ReceiveAndApply(session, std::move(answer)).ok());

  CHECK(*store.OutboxCount() == 13);
  auto waiting = store.OutboxAfter("", 1000);
  REQUIRE(waiting.ok());
  REQUIRE(waiting->edits.size() == 13);
  for (const Edit& e : waiting->edits) CHECK(acked.count(e.dot) == 0);
  CHECK(waiting->edits.front().dot == made[7].dot);  // still oldest first
  CHECK(store.last_sync_ms() == 1795000005000);  // something was acknowledged: a sync, if partial
}

TEST_CASE("sync seam: a whole run with a server that acknowledges half of each push sends everything",
          "[sync][seam][run]") {
  MemorySyncStore store;
  const std::vector<Edit> made = SaveRecords(store, 40, 5);
  FakeServer server(store.public_key_base64());
  server.ack_half = true;
  REQUIRE(store.PinServerKey(server.public_key()).ok());

  const SyncRun run = RunSync(store, server);
  INFO(run.status.ToString());
  REQUIRE(run.status.ok());
  CHECK(*store.OutboxCount() == 0);
  CHECK(server.log.size() == made.size());
  CHECK(run.counts.sent == made.size());
  CHECK(server.requests.size() > 2);  // the unacknowledged half went again
  for (const std::string& id : server.device_ids) CHECK(id == store.device_id());
  CHECK(server.problems.empty());
}

TEST_CASE("sync seam: refused edits leave the outbox and are kept with the server's reasons", "[sync][seam][run]") {
  MemorySyncStore store;
  SaveRecords(store, 3, 2);
  const std::vector<Edit> secret = store.Save("r9", {{"_area", "99999"}});
  FakeServer server(store.public_key_base64());
  server.refuse = [](const Edit& e) {
    return e.field == "_area" ? std::string("commune 99999 is not one this user may edit") : std::string();
  };
  REQUIRE(store.PinServerKey(server.public_key()).ok());

  const SyncRun run = RunSync(store, server);
  REQUIRE(run.status.ok());
  CHECK(*store.OutboxCount() == 0);
  REQUIRE(run.rejections.size() == 1);
  CHECK(run.rejections[0].dot == secret[0].dot);
  CHECK(run.counts.rejected == 1);
  CHECK(run.counts.sent == 7);  // acknowledged: accepted and refused
  REQUIRE(store.kept().size() == 1);
  const MemorySyncStore::Kept& kept = store.kept().begin()->second;
  CHECK(kept.reason == "commune 99999 is not one this user may edit");
  CHECK(kept.edit.record == "r9");  // the edit itself, for the worker to retry or drop
  CHECK(kept.edit.value == "99999");
  CHECK(server.log.size() == 6);
}

TEST_CASE("sync seam: the pull goes page by page, the cursor after each, and resumes there", "[sync][seam][run]") {
  MemorySyncStore store;
  FakeServer server(store.public_key_base64());
  server.page = 1000;
  server.log = OthersEdits(2500);
  REQUIRE(store.PinServerKey(server.public_key()).ok());

  server.drop_after = 2;  // the third request gets no answer
  const SyncRun cut = RunSync(store, server);
  CHECK(cut.unanswered);
  CHECK(cut.status.code() == Status::Code::kIOError);
  CHECK(store.GetSyncState()->cursor == 2000);  // the two pages received are stored
  CHECK(cut.counts.received == 2000);
  CHECK(store.last_sync_ms() != 0);

  server.drop_after = -1;
  const SyncRun rest = RunSync(store, server);
  REQUIRE(rest.status.ok());
  CHECK(rest.counts.received == 500);
  CHECK(store.GetSyncState()->cursor == 2500);
  REQUIRE(server.requests.size() == 3);  // the one that got no answer never arrived
  CHECK(server.requests[0].cursor == 0);
  CHECK(server.requests[1].cursor == 1000);
  CHECK(server.requests[2].cursor == 2000);  // the next run starts where the stored cursor stands
  CHECK(store.records().size() == 51);  // other0 .. other50
  CHECK(store.records().at("other49").Shown("q49") == "value 2499");
  CHECK(server.problems.empty());
}

TEST_CASE("sync seam: an answer not signed by the pinned key changes nothing", "[sync][seam][run][security]") {
  MemorySyncStore store;
  SaveRecords(store, 3, 4);
  FakeServer server(store.public_key_base64());
  server.log = OthersEdits(10);
  REQUIRE(store.PinServerKey(server.public_key()).ok());

  SECTION("signed by another key") {
    server.signing = FakeServer::Signing::kOtherKey;
    const SyncRun run = RunSync(store, server);
    CHECK(run.status.code() == Status::Code::kTampered);
  }
  SECTION("a 200 with no signature") {
    server.signing = FakeServer::Signing::kNone;
    const SyncRun run = RunSync(store, server);
    CHECK(run.status.code() == Status::Code::kTampered);
  }
  SECTION("an error page with no signature, as a proxy sends") {
    server.signing = FakeServer::Signing::kNone;
    server.refuse_status = 403;
    server.refusal = {{"error", "revoked"}, {"reason", "forged"}};
    const SyncRun run = RunSync(store, server);
    CHECK(run.status.code() == Status::Code::kIOError);
    CHECK(run.http_status == 0);  // its status is not believed either
    CHECK(run.server_error.empty());
  }
  CHECK(*store.OutboxCount() == 12);  // no acknowledgement believed
  CHECK(store.GetSyncState()->cursor == 0);
  CHECK(store.records().empty());  // no pulled edit landed
  CHECK(store.last_sync_ms() == 0);
  CHECK(store.ServerKey().value() == server.public_key());  // the pin stays
}

TEST_CASE("sync seam: a device with no pinned key pins the key of the first signed answer", "[sync][seam][run]") {
  MemorySyncStore store;
  SaveRecords(store, 1, 3);
  FakeServer server(store.public_key_base64());
  REQUIRE(store.ServerKey().value().empty());
  const SyncRun run = RunSync(store, server);
  REQUIRE(run.status.ok());
  CHECK(store.ServerKey().value() == server.public_key());
  CHECK(*store.OutboxCount() == 0);
}

TEST_CASE("sync seam: a server's signed refusal is reported with its code and reason, nothing applied",
          "[sync][seam][run]") {
  MemorySyncStore store;
  SaveRecords(store, 2, 3);
  FakeServer server(store.public_key_base64());
  REQUIRE(store.PinServerKey(server.public_key()).ok());
  server.refuse_status = 403;
  server.refusal = {{"error", "revoked"}, {"reason", "this device was revoked by an administrator"}};

  const SyncRun run = RunSync(store, server);
  CHECK(run.status.code() == Status::Code::kFailedPrecondition);
  CHECK(run.status.message() == "this device was revoked by an administrator");
  CHECK(run.http_status == 403);
  CHECK(run.server_error == "revoked");
  CHECK(*store.OutboxCount() == 6);
  CHECK(store.last_sync_ms() == 0);
}

TEST_CASE("sync seam: a stale clock is corrected by the server's time and the same batch signed again",
          "[sync][seam][run]") {
  MemorySyncStore store;
  SaveRecords(store, 2, 3);
  FakeServer server(store.public_key_base64());
  REQUIRE(store.PinServerKey(server.public_key()).ok());
  server.refuse_status = 401;
  server.refusal = {{"error", "stale"}, {"reason", "the device's clock is wrong"}, {"server_time_ms", 1795003600000}};
  int answered = 0;
  // The first answer refuses; from then on the server answers normally.
  struct Once : SyncTransport {
    FakeServer& s;
    int& n;
    Once(FakeServer& server_, int& n_) : s(server_), n(n_) {}
    HttpReply PostSync(const HttpHeaders& h, const std::string& body) override {
      HttpReply r = s.PostSync(h, body);
      if (++n == 1) s.refuse_status = 0;
      return r;
    }
  } transport(server, answered);

  const SyncRun run = RunSync(store, transport);
  REQUIRE(run.status.ok());
  CHECK(*store.OutboxCount() == 0);
  REQUIRE(server.requests.size() >= 2);
  CHECK(server.requests[0].push.size() == server.requests[1].push.size());  // the same batch again
  CHECK(server.times[0] == 1795000000000);  // the device's own clock, an hour slow
  CHECK(server.times[1] == 1795003600000);  // corrected by the server's time
  CHECK(server.problems.empty());
}

TEST_CASE("sync seam: every request of a run is posted on one thread of the run's own, never the caller's",
          "[sync][seam][run]") {
  MemorySyncStore store;
  SaveRecords(store, 300, 5);  // 1,500 edits: more than the first request takes (kFirstPushEdits)
  FakeServer server(store.public_key_base64());
  REQUIRE(store.PinServerKey(server.public_key()).ok());
  struct Threads : SyncTransport {
    FakeServer& s;
    std::vector<std::thread::id> ids;
    explicit Threads(FakeServer& server_) : s(server_) {}
    HttpReply PostSync(const HttpHeaders& h, const std::string& body) override {
      ids.push_back(std::this_thread::get_id());
      return s.PostSync(h, body);
    }
  } transport(server);

  const SyncRun run = RunSync(store, transport);
  REQUIRE(run.status.ok());
  CHECK(*store.OutboxCount() == 0);
  REQUIRE(transport.ids.size() >= 2);
  for (const std::thread::id& id : transport.ids) {
    CHECK(id == transport.ids.front());
    CHECK(id != std::this_thread::get_id());
  }
  CHECK(server.problems.empty());
}

TEST_CASE("sync seam: a transport that throws stops the run as unanswered, the outbox kept", "[sync][seam][run]") {
  MemorySyncStore store;
  SaveRecords(store, 3, 4);
  FakeServer server(store.public_key_base64());
  REQUIRE(store.PinServerKey(server.public_key()).ok());
  struct Throws : SyncTransport {
    HttpReply PostSync(const HttpHeaders&, const std::string&) override { throw std::runtime_error("socket gone"); }
  } transport;

  const SyncRun run = RunSync(store, transport);
  CHECK_FALSE(run.status.ok());
  CHECK(run.unanswered);
  CHECK(run.status.message().find("exception") != std::string::npos);
  CHECK(run.status.message().find("socket gone") == std::string::npos);  // its words may quote the request
  CHECK(*store.OutboxCount() == 12);
}
