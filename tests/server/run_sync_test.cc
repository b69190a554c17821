// RunSync (sotay/sync_run.h), the loop `sotay sync` and a phone app run, with a real
// notebook on one side and the real server's handlers on the other. The transport
// does what the HTTP adapter does (undo the request's gzip, hand the request to
// App::Handle) and can also drop the line or wind the server's clock.
#include <catch2/catch.hpp>

#include <functional>
#include <random>

#include "enrolled_phone.h"
#include "server_world.h"
#include "sotay/notebook.h"
#include "sotay/sync_run.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;
using sotay::testing::TempDir;

namespace {

class AppTransport : public SyncTransport {
 public:
  explicit AppTransport(ServerWorld& w) : w_(w) {}
  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    ++posts;
    HttpReply reply;
    if (drop_after >= 0 && posts > drop_after) {
      reply.failure = "the link dropped";
      return reply;
    }
    HttpResponse res = w_.app().Handle(SyncRequestFrom(headers, body));
    statuses.push_back(res.status);
    if (after_answer) after_answer();
    reply = ReplyFrom(std::move(res));
    if (on_the_way) on_the_way(reply);
    return reply;
  }
  int posts = 0;
  std::function<void(HttpReply&)> on_the_way;  // what a man in the middle does to an answer
  int drop_after = -1;  // >= 0: requests after this many get no answer
  std::function<void()> after_answer;  // runs once the server has answered
  std::vector<int> statuses;

 private:
  ServerWorld& w_;
};

}  // namespace

TEST_CASE("run sync: a phone whose clock is an hour slow is told the server's time and syncs in the same run",
          "[server][sync][run]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a", {"01234", kStartMs - 3600 * 1000});
  phone.MakeChildren(3);
  const int64_t waiting = *phone.nb->OutboxCount();
  AppTransport transport(w);
  const SyncRun run = RunSync(*phone.nb, transport);
  INFO(run.status.ToString());
  REQUIRE(run.status.ok());
  REQUIRE(transport.statuses.size() >= 2);
  CHECK(transport.statuses.front() == 401);  // stale, with the server's time
  CHECK(transport.statuses[1] == 200);      // the same batch, signed again
  CHECK(static_cast<int64_t>(run.counts.sent) == waiting);
  CHECK(w.Count("SELECT count(*) FROM records") == 3);
  CHECK(*phone.nb->OutboxCount() == 0);
  CHECK(run.bytes_up > 0);
}

TEST_CASE("run sync: a clock still wrong after one correction stops the run and keeps the outbox",
          "[server][sync][run]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a", {"01234", kStartMs - 3600 * 1000});
  phone.MakeChildren(2);
  const int64_t waiting = *phone.nb->OutboxCount();
  AppTransport transport(w);
  // The server's clock moves on by an hour after each answer it gives.
  transport.after_answer = [&] { w.env.now_ms += 3600 * 1000; };
  const SyncRun run = RunSync(*phone.nb, transport);
  CHECK_FALSE(run.status.ok());
  CHECK(run.http_status == 401);
  CHECK(run.server_error == "stale");
  CHECK(transport.statuses == std::vector<int>{401, 401});  // one correction, not a loop
  CHECK(*phone.nb->OutboxCount() == waiting);
  CHECK(w.Count("SELECT count(*) FROM records") == 0);
}

TEST_CASE("run sync: a link that drops keeps what was acknowledged, and the next run sends the rest",
          "[server][sync][run]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  // Enough for several requests: the first carries SyncSession::kFirstBatch edits.
  phone.MakeChildren(200);
  const int64_t waiting = *phone.nb->OutboxCount();
  AppTransport flaky(w);
  flaky.drop_after = 1;
  const SyncRun cut = RunSync(*phone.nb, flaky);
  CHECK_FALSE(cut.status.ok());
  CHECK(cut.unanswered);
  CHECK(cut.status.message().find("the link dropped") != std::string::npos);
  const int64_t left = *phone.nb->OutboxCount();
  CHECK(left > 0);
  CHECK(left < waiting);  // the first answer was stored before the run stopped

  w.env.now_ms += 60 * 1000;
  AppTransport good(w);
  const SyncRun rest = RunSync(*phone.nb, good);
  INFO(rest.status.ToString());
  REQUIRE(rest.status.ok());
  CHECK(*phone.nb->OutboxCount() == 0);
  CHECK(w.Count("SELECT count(*) FROM records") == 200);
  CHECK(static_cast<int64_t>(rest.counts.sent) == left);
}

TEST_CASE("run sync: a revoked device is refused with the server's reason and its outbox is kept",
          "[server][sync][run]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  phone.MakeChildren(1);
  {
    auto store = w.OpenStore();
    REQUIRE(store->RevokeDevice(phone.nb->device_id(), w.env.now_ms).ok());
  }
  AppTransport transport(w);
  const SyncRun run = RunSync(*phone.nb, transport);
  CHECK_FALSE(run.status.ok());
  CHECK(run.http_status == 403);
  CHECK(run.server_error == "revoked");
  CHECK_FALSE(run.status.message().empty());
  CHECK(*phone.nb->OutboxCount() > 0);
}

TEST_CASE("run sync: an answer signed by another key than the one pinned at enrollment is refused, nothing applied",
          "[server][sync][run][security]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  phone.MakeChildren(2);
  const int64_t waiting = *phone.nb->OutboxCount();
  // Another server (or a man in the middle) with a key of its own.
  REQUIRE(phone.nb->PinServerKey("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").ok());
  AppTransport transport(w);
  const SyncRun run = RunSync(*phone.nb, transport);
  REQUIRE_FALSE(run.status.ok());
  CHECK(run.status.code() == Status::Code::kTampered);
  CHECK(run.status.message().find("not signed by the server this device enrolled with") != std::string::npos);
  CHECK(transport.posts == 1);  // stopped at the first answer
  CHECK(*phone.nb->OutboxCount() == waiting);  // its acknowledgements were not believed
  CHECK(phone.nb->GetSyncState().value().last_sync_ms == 0);
}

TEST_CASE("run sync: an answer changed on the way is refused and the outbox is kept", "[server][sync][run][security]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  phone.MakeChildren(2);
  const int64_t waiting = *phone.nb->OutboxCount();
  AppTransport transport(w);
  transport.on_the_way = [](HttpReply& reply) {
    auto answer = DecodeSyncResponse(reply.body);
    REQUIRE(answer.ok());
    answer->cursor += 1000;  // skip edits the device should pull
    reply.body = EncodeSyncResponse(*answer);
  };
  const SyncRun run = RunSync(*phone.nb, transport);
  REQUIRE_FALSE(run.status.ok());
  CHECK(run.status.code() == Status::Code::kTampered);
  CHECK(*phone.nb->OutboxCount() == waiting);
  CHECK(phone.nb->GetSyncState().value().cursor == 0);
}

TEST_CASE("run sync: the server's answer to an earlier request, replayed, is refused", "[server][sync][run][security]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  phone.MakeChildren(1);
  AppTransport first(w);
  HttpReply kept;
  first.on_the_way = [&](HttpReply& reply) { kept = reply; };
  REQUIRE(RunSync(*phone.nb, first).status.ok());
  phone.MakeChildren(1);
  const int64_t waiting = *phone.nb->OutboxCount();
  AppTransport replaying(w);
  replaying.on_the_way = [&](HttpReply& reply) { reply = kept; };  // acknowledges nothing new, says "all done"
  const SyncRun run = RunSync(*phone.nb, replaying);
  REQUIRE_FALSE(run.status.ok());
  CHECK(run.status.code() == Status::Code::kTampered);
  CHECK(*phone.nb->OutboxCount() == waiting);
}

TEST_CASE("run sync: a device enrolled before answers were signed pins the server's key at its first sync",
          "[server][sync][run][security]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  REQUIRE(phone.nb->SetEnrollment(Notebook::Enrollment{"http://district.example", "w-a", "01234", "worker", "", {}}).ok());  // no key pinned
  phone.MakeChildren(1);
  AppTransport transport(w);
  const SyncRun run = RunSync(*phone.nb, transport);
  INFO(run.status.ToString());
  REQUIRE(run.status.ok());
  CHECK(phone.nb->ServerKey().value() == phone.server_key);
  CHECK(*phone.nb->OutboxCount() == 0);
}
