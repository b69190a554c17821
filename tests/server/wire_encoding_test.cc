// How sync bodies are packed (docs/sync-protocol.md, "Compression"), between a real
// notebook running RunSync over cpp-httplib and the real `sotay-server serve`: a new
// device and server speak zstd with the pack's dictionary once the server has said
// it reads it; an old device that knows only gzip, and a server that refuses zstd,
// still sync; a zstd bomb, a broken frame or a foreign dictionary is refused.
#include <catch2/catch.hpp>

#include <zstd.h>

#include <algorithm>

#include "httplib_transport.h"
#include "serve_process.h"
#include "enrolled_phone.h"
#include "server_world.h"
#include "sotay/notebook.h"
#include "sotay/zstd.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;
using sotay::testing::TempDir;

namespace {

// A phone of commune 01234 on the real clock (the served server's).
const PhoneOptions kServedPhone{"01234", kStartMs, true, "http://127.0.0.1"};

// HttplibTransport with a note of how every body travelled. `old_device`: the
// headers a device from before zstd sends (Accept-Encoding: gzip, no dictionary),
// and the server's offer of zstd never reaches it. `refuse_zstd`: a zstd body gets
// the unsigned 415 a server from before zstd gives it.
class Recording : public SyncTransport {
 public:
  Recording(int port, bool old_device, bool refuse_zstd)
      : inner_(std::make_unique<httplib::Client>("127.0.0.1", port)), old_(old_device), refuse_zstd_(refuse_zstd) {}
  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    HttpHeaders sent;
    std::string encoding;
    for (const auto& [name, value] : headers) {
      if (name == "Content-Encoding") encoding = value;
      if (old_ && name == kDictionaryHeader) continue;
      sent.emplace_back(name, old_ && name == "Accept-Encoding" ? "gzip" : value);
    }
    up.push_back(encoding.empty() ? "plain" : encoding);
    if (refuse_zstd_ && encoding == "zstd") {
      HttpReply refused;
      refused.answered = true;
      refused.status = 415;
      refused.body = R"({"error":"unsupported_encoding","reason":"only POST /v1/sync takes a compressed body, and only gzip"})";
      down.push_back("refused");
      return refused;
    }
    HttpReply reply = inner_.PostSync(sent, body);
    down.push_back(reply.Header("Content-Encoding").empty() ? "plain" : reply.Header("Content-Encoding"));
    if (old_) {
      reply.headers.erase(std::remove_if(reply.headers.begin(), reply.headers.end(),
                                         [](const auto& h) { return h.first == kDictionaryHeader; }),
                          reply.headers.end());
    }
    return reply;
  }
  std::vector<std::string> up, down;  // each request's Content-Encoding, and its answer's

 private:
  HttplibTransport inner_;
  bool old_, refuse_zstd_;
};

bool All(const std::vector<std::string>& v, size_t from, const std::string& what) {
  return std::all_of(v.begin() + static_cast<long>(from), v.end(), [&](const std::string& s) { return s == what; });
}

std::string StatusLine(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

std::string PostRaw(int port, const std::string& headers, const std::string& body) {
  return RawExchange(port, "POST /v1/sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers +
                               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

}  // namespace

TEST_CASE("wire encoding: a new device pushes and pulls zstd with the dictionary once the server offers it",
          "[server][sync][wire]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a", kServedPhone);
  phone.MakeChildren(300);  // several requests: the first carries SyncSession::kFirstBatch edits
  ServeProcess server(w.db);
  Recording link(server.port(), false, false);
  const SyncRun pushed = RunSync(*phone.nb, link);
  INFO(pushed.status.ToString());
  REQUIRE(pushed.status.ok());
  CHECK(*phone.nb->OutboxCount() == 0);
  CHECK(w.Count("SELECT count(*) FROM records") == 300);
  REQUIRE(link.up.size() >= 2);
  CHECK(link.up[0] == "gzip");    // the server has not yet said it reads zstd
  CHECK(All(link.up, 1, "zstd"));  // it has now

  EnrolledPhone fresh(w, "w-b", kServedPhone);  // a second phone of the commune pulls it all
  Recording pull(server.port(), false, false);
  const SyncRun pulled = RunSync(*fresh.nb, pull);
  INFO(pulled.status.ToString());
  REQUIRE(pulled.status.ok());
  CHECK(pulled.counts.received == pushed.counts.sent);
  CHECK(pull.down[0] == "zstd");  // every large answer; the last, small one may be plain
}

TEST_CASE("wire encoding: an old device that knows only gzip syncs as before", "[server][sync][wire]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a", kServedPhone);
  phone.MakeChildren(300);
  ServeProcess server(w.db);
  Recording old(server.port(), true, false);
  const SyncRun pushed = RunSync(*phone.nb, old);
  INFO(pushed.status.ToString());
  REQUIRE(pushed.status.ok());
  CHECK(w.Count("SELECT count(*) FROM records") == 300);
  CHECK(All(old.up, 0, "gzip"));

  EnrolledPhone fresh(w, "w-b", kServedPhone);
  Recording old_pull(server.port(), true, false);
  const SyncRun pulled = RunSync(*fresh.nb, old_pull);
  REQUIRE(pulled.status.ok());
  CHECK(pulled.counts.received == pushed.counts.sent);
  CHECK(old_pull.down[0] == "gzip");
  CHECK(std::find(old_pull.down.begin(), old_pull.down.end(), "zstd") == old_pull.down.end());
}

TEST_CASE("wire encoding: a server that refuses zstd gets the same body again gzipped", "[server][sync][wire]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a", kServedPhone);
  phone.MakeChildren(300);
  ServeProcess server(w.db);
  // The server offers zstd, then refuses it (restarted with another pack, say).
  Recording link(server.port(), false, true);
  const SyncRun pushed = RunSync(*phone.nb, link);
  INFO(pushed.status.ToString());
  REQUIRE(pushed.status.ok());
  CHECK(*phone.nb->OutboxCount() == 0);
  CHECK(w.Count("SELECT count(*) FROM records") == 300);
  REQUIRE(link.up.size() >= 4);
  CHECK(link.up[0] == "gzip");
  CHECK(link.up[1] == "zstd");  // refused unread ...
  CHECK(link.down[1] == "refused");
  CHECK(All(link.up, 2, "gzip"));  // ... sent again gzipped, and gzip for the rest of the run
}

TEST_CASE("wire encoding: a zstd bomb, a broken frame or a foreign dictionary is refused with a reason",
          "[server][sync][wire][edge]") {
  ServerWorld w;
  ServeProcess server(w.db);
  const std::string zeros(100u << 20, '\0');  // 100 MiB, packed to a few KB
  const auto bomb = Zstd(zeros, true);
  REQUIRE(bomb);
  REQUIRE(bomb->size() < 64 * 1024);
  const long before = server.PeakKib();
  const std::string dict = std::string(kDictionaryHeader) + ": " + std::to_string(SyncDictionaryId()) + "\r\n";
  const std::string big = PostRaw(server.port(), "Content-Encoding: zstd\r\n" + dict, *bomb);
  CHECK(StatusLine(big) == "HTTP/1.1 413 Payload Too Large");
  CHECK(big.find("\"error\":\"too_large\"") != std::string::npos);
  CHECK(server.PeakKib() - before < 32 * 1024);  // unpacked only up to the 4 MiB limit

  std::string broken = *Zstd(std::string(5000, 'x') + "Bản Phố", true);
  broken.resize(broken.size() - 3);
  const std::string cut = PostRaw(server.port(), "Content-Encoding: zstd\r\n" + dict, broken);
  CHECK(StatusLine(cut) == "HTTP/1.1 400 Bad Request");
  CHECK(cut.find("could not be read or decompressed") != std::string::npos);

  const std::string foreign = PostRaw(server.port(), "Content-Encoding: zstd\r\nX-Sotay-Dictionary: 12345\r\n", "abc");
  CHECK(StatusLine(foreign) == "HTTP/1.1 415 Unsupported Media Type");
  CHECK(foreign.find("does not hold the zstd dictionary") != std::string::npos);
}
