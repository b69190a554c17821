#include "sotay/sync_run.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <tuple>

#include "sotay/gzip.h"
#include "sotay/refusal.h"
#include "sotay/signing.h"
#include "sotay/wire.h"
#include "sotay/zstd.h"
#include "sync/post_thread.h"

namespace sotay {

namespace {

// An answer's body is at most a pull page (about 1 MiB) and the form definitions the
// device lacks: far under this, which only stops a zstd bomb.
constexpr size_t kMaxAnswerBytes = 64u << 20;

// A request body made in two steps (wire.h): the head (the pushed edits) is encoded,
// hashed for the signature and packed while the previous request is still out; the
// tail (cursor, forms) once its answer is in. Only the tail then stands between an
// answer and the next request (packing a whole 5,000-edit body with zstd there took
// 0.4 ms of the 1.3 ms the server waited for each request).
class Body {
 public:
  Body(const std::vector<Edit>& push, bool reads_sets, uint32_t layout, bool zstd)
      : count_(push.size()),
        reads_sets_(reads_sets),
        layout_(layout),
        zstd_(zstd),
        head_(EncodeSyncRequestHead(push, reads_sets, layout, kWireLayout)) {
    if (!push.empty()) {
      first_ = push.front().dot;
      last_ = push.back().dot;
    }
    sha_.Update(head_);
    packing_ = zstd_ ? zstd_writer_.emplace().Append(head_) : zip_.emplace().Append(head_);
    head_.reserve(head_.size() + kTailRoom);  // the tail is appended in Finish without copying the head
  }

  // Whether `r` pushes the very edits this head holds, packed as asked: a batch is a
  // run of the outbox, so its size and its first and last dots name it.
  bool Holds(const SyncRequest& r, bool zstd) const {
    return r.reads_sets == reads_sets_ && r.push_layout == layout_ && r.reads_layout == kWireLayout &&
           zstd == zstd_ && r.push.size() == count_ &&
           (count_ == 0 || (r.push.front().dot == first_ && r.push.back().dot == last_));
  }

  struct Done {
    std::string bytes;     // as sent
    std::string encoding;  // its Content-Encoding: "zstd", "gzip" or "" (plain)
    std::string plain;     // the body before packing, kept only under zstd: gzip's, should the server refuse zstd
    std::string sha256_hex;  // of the body before compression: what the server verifies
  };
  Done Finish(const SyncRequest& r) {
    const std::string tail =
        EncodeSyncRequestTail(r.cursor, r.forms, r.reads_sets, r.communes_tag.value_or(""), kWireLayout);
    sha_.Update(tail);
    Done done;
    done.sha256_hex = sha_.FinishHex();
    if (zstd_) {
      std::optional<std::string> packed = packing_ ? zstd_writer_->Finish(tail) : std::nullopt;
      done.plain = std::move(head_);
      done.plain += tail;
      if (packed) {
        done.bytes = std::move(*packed);
        done.encoding = "zstd";
      } else {
        done.bytes = done.plain;  // zstd failed: send it plain
      }
      return done;
    }
    std::optional<std::string> zipped = packing_ ? zip_->Finish(tail) : std::nullopt;
    if (zipped) {
      done.bytes = std::move(*zipped);
      done.encoding = "gzip";
    } else {
      done.bytes = std::move(head_);  // zlib failed: send it plain
      done.bytes += tail;
    }
    return done;
  }

  // The same body gzipped, for a server that refused zstd.
  static void AsGzip(Done& done) {
    std::optional<std::string> zipped = Gzip(done.plain);
    done.encoding = zipped ? "gzip" : "";
    done.bytes = zipped ? std::move(*zipped) : std::move(done.plain);
    done.plain.clear();
  }

 private:
  // Room left after the head for the tail: a cursor, a communes tag and the names of
  // the installed forms.
  static constexpr size_t kTailRoom = 4096;
  size_t count_;
  bool reads_sets_;
  uint32_t layout_;
  bool zstd_;
  Dot first_, last_;
  std::string head_;
  BodyHasher sha_;
  std::optional<GzipWriter> zip_;           // the head packed, when the body goes gzip
  std::optional<ZstdWriter> zstd_writer_;  // or zstd
  bool packing_ = false;
};

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// HttpReply::body unpacked. HTTP stacks undo gzip only when they asked for it
// themselves, and none undoes zstd: the core does, for every platform alike. The
// bodies are told by their magic numbers, which no CBOR map or JSON error starts with,
// so a stack that drops the Content-Encoding header changes nothing.
Status UnpackAnswer(HttpReply& reply) {
  const std::string_view b = reply.body;
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b) {
    std::optional<std::string> gunzipped = Gunzip(b, kMaxAnswerBytes);
    if (!gunzipped) return Status::IOError("the server's answer could not be unpacked (gzip); nothing of it was applied");
    reply.body = std::move(*gunzipped);
    return Status::OK();
  }
  if (reply.Header("Content-Encoding") != "zstd" && !LooksLikeZstd(reply.body)) return Status::OK();
  auto unpacked = Unzstd(reply.body, kMaxAnswerBytes);
  if (!unpacked.ok()) {
    return Status::IOError("the server's answer could not be unpacked (zstd): " + unpacked.status().message() +
                           "; nothing of it was applied");
  }
  reply.body = std::move(unpacked).value();
  return Status::OK();
}

}  // namespace

std::string HttpReply::Header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); })) {
      return v;
    }
  }
  return "";
}

Status VerifyAnswer(const std::string& path, const std::string& nonce, const HttpReply& reply,
                    const std::string& pinned_key, std::string* signer) {
  const std::string signature = reply.Header(kServerSignatureHeader);
  const std::string key = reply.Header(kServerKeyHeader);
  return VerifyAnswerSignature(path, nonce, SignedAnswer{reply.status, reply.body, signature, key}, pinned_key, signer);
}

SyncRun RunSync(SyncStore& store, SyncTransport& transport, const std::function<void(const SyncRun&)>& progress,
                const SyncRunOptions& options) {
  SyncRun run;
  SyncSession session(store);
  const std::function<int64_t()> now_ms = options.monotonic_ms ? options.monotonic_ms : SteadyMs;
  int64_t clock_offset_ms = 0;
  bool clock_corrected = false;
  bool layout_fallback = false;
  // Stops the run: keeps what earlier answers brought (the next sync resends the rest).
  auto stop = [&](Status why) {
    // Best effort: the failure that stopped the run is the one to report, and what
    // Apply() could not store, the next sync pulls again.
    session.Apply().IgnoreError();
    session.SaveLink();
    run.status = std::move(why);
    run.counts = session.counts();
    run.rejections = session.rejections();
    return run;
  };

  auto pinned = store.ServerKey();  // "" until pinned: then the first signed answer's key
  if (!pinned.ok()) return stop(pinned.status());
  std::string server_key = std::move(pinned).value();

  sync_detail::PostThread poster(transport, now_ms);  // the transport's one thread
  std::optional<Body> ahead;  // the next request's head, made while the last request was out
  // Requests go gzip until an answer says the server reads zstd with this very
  // dictionary (its X-Sotay-Dictionary header): a server from before zstd refuses a
  // zstd body, and may close the link before its refusal is read. Should one refuse
  // later anyway (415: a restart with another pack), the body goes again gzipped.
  bool zstd = false;
  bool zstd_refused = false;
  const std::string dictionary_id = std::to_string(SyncDictionaryId());
  auto next = session.Next();
  for (;;) {
    if (!next.ok()) return stop(next.status());
    if (!next->has_value()) break;
    SyncRequest& request = **next;
    Body body = ahead && ahead->Holds(request, zstd) ? std::move(*ahead)
                                                     : Body(request.push, request.reads_sets, request.push_layout, zstd);
    ahead.reset();
    Body::Done made = body.Finish(request);
    auto sig = store.SignRequestDigest("POST", "/v1/sync", made.sha256_hex, clock_offset_ms);
    if (!sig.ok()) return stop(sig.status());
    auto headers_for = [&](const SyncStore::RequestSignature& signed_as, const Body::Done& d) {
      HttpHeaders h{{kDeviceHeader, store.device_id()},
                    {kTimeHeader, signed_as.time},
                    {kNonceHeader, signed_as.nonce},
                    {kSignatureHeader, signed_as.signature},
                    {"Accept-Encoding", "zstd, gzip"},
                    {kDictionaryHeader, dictionary_id},
                    {kPageBytesHeader, std::to_string(session.page_bytes())}};
      if (!d.encoding.empty()) h.emplace_back("Content-Encoding", d.encoding);
      return h;
    };
    HttpHeaders headers = headers_for(*sig, made);
    const std::string& sent = made.bytes;
    // Stalled when nothing moves for three times what the request should take to
    // drain: the timeout bounds each read and write, and the longest quiet gap of a
    // healthy exchange is the wait for the answer while the request (written at once
    // into socket buffers) crosses the link. The page, once it flows, keeps moving;
    // counting it too made a stall cost 20 s where 10 would do.
    const LinkEstimate& link = session.link();
    transport.SetStallTimeoutMs(link.StallTimeoutMs(sent.size()));
    poster.Post(headers, sent);
    // The pushed edits are in the body now: freed while the answer is awaited, not
    // between the answer and the next request, where the server waits.
    const size_t pushed = request.push.size();
    std::vector<Edit>().swap(request.push);
    Status local = session.Apply();
    if (local.ok()) local = session.Prepare();
    if (local.ok() && session.prepared_push() != nullptr) {
      ahead.emplace(*session.prepared_push(), true, session.push_layout(), zstd);
    }
    auto [reply, round_trip_ms] = poster.Wait();
    run.bytes_up += sent.size();
    if (!local.ok()) return stop(local);
    if (reply.answered && reply.status == 415 && made.encoding == "zstd") {
      // Refused before the body was read (nothing of it is stored, its nonce unseen):
      // the same body again, gzipped, with a fresh nonce; gzip from now on.
      zstd = false;
      zstd_refused = true;
      Body::AsGzip(made);
      sig = store.SignRequestDigest("POST", "/v1/sync", made.sha256_hex, clock_offset_ms);
      if (!sig.ok()) return stop(sig.status());
      const HttpHeaders again = headers_for(*sig, made);
      poster.Post(again, made.bytes);
      std::tie(reply, round_trip_ms) = poster.Wait();
      run.bytes_up += made.bytes.size();
    }
    if (!reply.answered) {
      run.unanswered = true;
      return stop(Status::IOError("no answer from the server: " + reply.failure));
    }
    const size_t wire_down = reply.wire_bytes > 0 ? reply.wire_bytes : reply.body.size();
    run.bytes_down += wire_down;
    if (Status unpacked = UnpackAnswer(reply); !unpacked.ok()) return stop(unpacked);
    // Checked before anything of the answer is used: its acknowledgements would drop
    // outbox rows, its pulled edits would land, its clock would be believed.
    std::string signer;
    Status authentic = VerifyAnswer("/v1/sync", sig->nonce, reply, server_key, &signer);
    if (!authentic.ok()) {
      if (reply.status != 200 && reply.Header(kServerSignatureHeader).empty()) {
        // An error page with no signature at all: most often a proxy or the server's
        // own edge (502, 503, 413). Nothing of it is believed, its status included, so
        // a forged 403 cannot stop `sync --watch`; the sync is tried again later.
        return stop(Status::IOError("the server, or a proxy in between, answered HTTP " +
                                    std::to_string(reply.status) +
                                    " without a Sotay signature; nothing of it was applied"));
      }
      return stop(Status::Tampered(authentic.message() + ": refused, nothing of it was applied"));
    }
    zstd = !zstd_refused && reply.Header(kDictionaryHeader) == dictionary_id;
    if (server_key.empty() && reply.status == 200) {  // trust on first use, for a device enrolled before answers were signed
      Status pinned_now = store.PinServerKey(signer);
      if (!pinned_now.ok()) return stop(pinned_now);
      server_key = signer;
    }
    if (reply.status != 200) {
      const ServerRefusal r = ParseRefusal(reply.status, reply.body);
      if (reply.status == 401 && r.error == "stale" && r.server_time_ms && !clock_corrected) {
        // A phone's clock is often wrong: sign the same batch again, once, with the
        // server's time. Nothing of the refused request was read.
        clock_offset_ms = *r.server_time_ms - std::stoll(sig->time) + clock_offset_ms;
        clock_corrected = true;
        session.Resend();
        next = session.Next();
        continue;
      }
      if (reply.status == 400 && request.push_layout >= 2 && !layout_fallback) {
        // A server rolled back to before layout 2 reads no "E" ("missing 'e'"):
        // the same batch again in layout 1, once. Nothing of the refused one was read.
        layout_fallback = true;
        session.PushLayoutOne();
        session.Resend();
        next = session.Next();
        continue;
      }
      run.http_status = reply.status;
      run.server_error = r.error;
      return stop(reply.status >= 500 ? Status::IOError(r.reason) : Status::FailedPrecondition(r.reason));
    }
    auto response = DecodeSyncResponse(reply.body);
    if (!response.ok()) return stop(response.status().Annotate("the server's answer"));
    LinkSample measured;
    measured.up_bytes = sent.size();
    measured.down_bytes = wire_down;
    // The page budget counts stored sets, which a layout-2 page says it held ("z"):
    // the ratio must be of those, or pages would come smaller than the link allows.
    measured.down_decoded = std::max<size_t>(reply.body.size(), static_cast<size_t>(response->page_set_bytes));
    measured.edits_up = pushed;
    measured.ms = round_trip_ms;
    Status s = session.Receive(std::move(response).value(), measured);
    run.acknowledged = session.acknowledged();
    run.pulled = session.pulled();
    run.pull_more = session.pull_more();
    run.link = session.link();
    run.last = measured;
    if (!s.ok()) return stop(s);
    if (progress) {
      run.counts = session.counts();
      progress(run);
    }
    next = session.Next();
  }
  session.SaveLink();
  run.counts = session.counts();
  run.rejections = session.rejections();
  return run;
}

}  // namespace sotay
