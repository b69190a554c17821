// /v1/attachments/...: files on records (docs/sync-protocol.md, "Files"), apart from
// POST /v1/sync so that a commune's edits never wait behind a photo. Every request
// is signed and checked as a sync request is (sync/request_auth.h), its nonce used
// once; every answer is signed (App::Route).
//
//   POST /v1/attachments/{hash}                 declare {"size", "media_type"}; status
//   GET  /v1/attachments/{hash}                 status: which chunks the server has
//   POST /v1/attachments/{hash}/chunks/{n}      chunk n's bytes; status
//   GET  /v1/attachments/{hash}/chunks/{n}      chunk n of a whole file
//
// The status is JSON: {"size", "chunk_bytes", "chunks", "have": [n, ...], "complete"}.
// A chunk is checked for its size when it arrives, the whole file for its SHA-256
// when its last chunk does (a mismatch forgets every chunk: 409 hash_mismatch).
// A purged file (admin/purge_files.h) answers GETs 410 purged, to those who may
// fetch it; declared again, it is wanted again and sent again.
#include <charconv>

#include "app_context.h"
#include "store/attachment_rows.h"
#include "sync/attachment_access.h"
#include "sync/request_auth.h"
#include "sotay/attachment.h"

namespace sotay::server {

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

struct Target {
  std::string hash;
  int64_t chunk = -1;  // -1: the file itself
};

std::optional<Target> ParsePath(const std::string& path) {
  const std::string rest = path.substr(std::string("/v1/attachments/").size());
  Target t;
  const size_t slash = rest.find('/');
  t.hash = rest.substr(0, slash);
  if (!IsSha256Hex(t.hash)) return std::nullopt;
  if (slash == std::string::npos) return t;
  const std::string tail = rest.substr(slash);
  if (tail.rfind("/chunks/", 0) != 0) return std::nullopt;
  const std::string num = tail.substr(8);
  if (num.empty() || num.size() > 9 || num.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  std::from_chars(num.data(), num.data() + num.size(), t.chunk);
  return t;
}

int64_t ChunksOf(int64_t size) { return size == 0 ? 1 : (size + kAttachmentChunkBytes - 1) / kAttachmentChunkBytes; }

HttpResponse NotFound(RequestNote& note) {
  return Refuse(note, 404, "not_found", "no such file, or not one this device may fetch");
}

Result<HttpResponse> StatusAnswer(AppContext& ctx, const AttachmentRow& row) {
  nlohmann::json have = nlohmann::json::array();
  if (!row.complete) {
    auto held = ChunksHeld(ctx.store->db(), row.hash);
    if (!held.ok()) return held.status();
    for (int64_t n : *held) have.push_back(n);
  } else {
    for (int64_t n = 0; n < ChunksOf(row.size); ++n) have.push_back(n);
  }
  return JsonResponse(200, {{"size", row.size},
                            {"chunk_bytes", kAttachmentChunkBytes},
                            {"chunks", ChunksOf(row.size)},
                            {"have", have},
                            {"complete", row.complete}});
}

// The declaration: the file's size and type, refused over the server's limit.
Result<HttpResponse> Declare(AppContext& ctx, const Principal& who, const Target& t, const HttpRequest& req,
                             RequestNote& note, int64_t now) {
  auto row = FindAttachment(ctx.store->db(), t.hash);
  if (!row.ok()) return row.status();
  if (*row && (*row)->purged_ms) {
    // Purged, and now attached again: its bytes are wanted after all (the audit log
    // keeps the purge).
    Status s = UnpurgeAttachment(ctx.store->db(), t.hash, who.device);
    if (!s.ok()) return s;
    row = FindAttachment(ctx.store->db(), t.hash);
    if (!row.ok()) return row.status();
  }
  if (*row) return StatusAnswer(ctx, **row);  // declared already (by this device or another with the same bytes)
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object() || !body.contains("size") || !body["size"].is_number_integer() ||
      !body.contains("media_type") || !body["media_type"].is_string()) {
    return Refuse(note, 400, "malformed", "the declaration must be JSON with an integer size and a media_type");
  }
  AttachmentRow r;
  r.hash = t.hash;
  r.size = body["size"].get<int64_t>();
  r.media_type = body["media_type"].get<std::string>();
  r.device = who.device;
  if (r.size < 0) return Refuse(note, 400, "malformed", "the file's size is negative");
  if (r.size > ctx.limits.attachment_max_bytes) {
    return Refuse(note, 413, "file_too_large",
                  "the file is " + std::to_string(r.size) + " bytes; this server takes files of at most " +
                      std::to_string(ctx.limits.attachment_max_bytes) + " bytes");
  }
  auto check = ParseAttachmentRef(t.hash + " " + std::to_string(r.size) + " " + r.media_type + " -");
  if (!check.ok()) return Refuse(note, 400, "malformed", "the media type is not like type/subtype");
  Status s = InsertAttachment(ctx.store->db(), r, now);
  if (!s.ok()) return s;
  return StatusAnswer(ctx, r);
}

Result<HttpResponse> PutChunk(AppContext& ctx, const Principal& who, const Target& t, const HttpRequest& req,
                              RequestNote& note, int64_t now) {
  auto row = FindAttachment(ctx.store->db(), t.hash);
  if (!row.ok()) return row.status();
  if (!*row) return Refuse(note, 409, "not_declared", "declare the file (POST /v1/attachments/{hash}) before its chunks");
  const AttachmentRow& r = **row;
  if (r.complete) return StatusAnswer(ctx, r);  // a chunk sent again after the answer was lost
  const int64_t chunks = ChunksOf(r.size);
  if (t.chunk >= chunks) return Refuse(note, 400, "bad_chunk", "chunk " + std::to_string(t.chunk) + " is past the file's end");
  const int64_t want = t.chunk + 1 < chunks ? kAttachmentChunkBytes : r.size - t.chunk * kAttachmentChunkBytes;
  if (static_cast<int64_t>(req.body.size()) != want) {
    return Refuse(note, 400, "bad_chunk",
                  "chunk " + std::to_string(t.chunk) + " must be " + std::to_string(want) + " bytes, not " +
                      std::to_string(req.body.size()));
  }
  const int64_t day = now / kDayMs;
  auto today = BytesOnDay(ctx.store->db(), who.device, day);
  if (!today.ok()) return today.status();
  if (*today + want > ctx.limits.attachment_bytes_per_day) {
    return Refuse(note, 429, "quota",
                  "this device sent " + std::to_string(*today) + " bytes of files today; the limit is " +
                      std::to_string(ctx.limits.attachment_bytes_per_day) + " a day, so the rest waits until tomorrow (UTC)");
  }
  auto files = ctx.Files();
  if (!files.ok()) return files.status();
  Status s = (*files)->WriteChunk(t.hash, t.chunk, req.body);
  if (s.ok()) s = AddChunk(ctx.store->db(), t.hash, t.chunk);
  if (s.ok()) s = AddBytesOnDay(ctx.store->db(), who.device, day, want);
  if (!s.ok()) return s;
  ctx.metrics.CountAttachmentChunk(static_cast<uint64_t>(want));
  auto held = ChunksHeld(ctx.store->db(), t.hash);
  if (!held.ok()) return held.status();
  AttachmentRow now_row = r;
  if (static_cast<int64_t>(held->size()) == chunks) {
    auto whole = (*files)->Finish(t.hash, r.size);
    if (!whole.ok()) return whole.status();
    if (!*whole) {
      s = ForgetChunks(ctx.store->db(), t.hash);
      if (!s.ok()) return s;
      note.error = "hash_mismatch";
      return Refuse(note, 409, "hash_mismatch", "the file's chunks do not hash to its name; send it again from chunk 0");
    }
    s = MarkComplete(ctx.store->db(), t.hash, now);
    if (!s.ok()) return s;
    ctx.metrics.CountAttachmentComplete();
    now_row.complete = true;
  }
  return StatusAnswer(ctx, now_row);
}

Result<HttpResponse> GetChunk(AppContext& ctx, const Target& t, RequestNote& note) {
  auto row = FindAttachment(ctx.store->db(), t.hash);
  if (!row.ok()) return row.status();
  if (!*row || !(*row)->complete || t.chunk >= ChunksOf((*row)->size)) return NotFound(note);
  auto files = ctx.Files();
  if (!files.ok()) return files.status();
  auto bytes = (*files)->ReadChunk(t.hash, t.chunk, (*row)->size);
  if (!bytes.ok()) return bytes.status();
  ctx.metrics.CountAttachmentServed(bytes->size());
  HttpResponse res;
  res.content_type = "application/octet-stream";
  res.headers["X-Content-Type-Options"] = "nosniff";
  res.body = std::move(bytes).value();
  return res;
}

}  // namespace

HttpResponse HandleAttachment(AppContext& ctx, const HttpRequest& req, RequestNote& note) {
  std::optional<Target> target = ParsePath(req.path);
  if (!target) return Refuse(note, 404, "not_found", "no such endpoint");
  if (req.method != "GET" && req.method != "POST") {
    HttpResponse r = Refuse(note, 405, "method_not_allowed", "use GET or POST");
    r.headers["Allow"] = "GET, POST";
    return r;
  }
  SignedHeaders headers;
  if (auto refused = RefuseUnsignable(req, ctx.limits.max_body_bytes,
                                      "the body is over the server's limit; a chunk is 64 KiB", note, &headers)) {
    return *refused;
  }
  std::lock_guard<std::mutex> lock(ctx.mu);
  Principal who;
  if (auto refused = RefuseUnauthenticated(ctx, req, headers, note, &who)) return *refused;
  const int64_t now = ctx.env->NowMs();
  ServerStore& store = *ctx.store;
  ServerStore::Transaction txn(store);
  if (!txn.status().ok()) return InternalError(note, txn.status());
  Status s = store.PruneNonces(now - ctx.limits.nonce_window_ms);
  if (!s.ok()) return InternalError(note, s);
  s = store.InsertNonce(who.device, headers.nonce, now);
  if (s.code() == Status::Code::kAlreadyExists) {
    return Refuse(note, 409, "replay", "this request was already received (its nonce was used)");
  }
  if (!s.ok()) return InternalError(note, s);

  Result<HttpResponse> res = Status::Corrupt("unset");
  if (req.method == "POST" && target->chunk < 0) {
    res = Declare(ctx, who, *target, req, note, now);
  } else if (req.method == "POST") {
    res = PutChunk(ctx, who, *target, req, note, now);
  } else {
    s = ctx.RefreshForms();  // which fields are sensitive
    if (!s.ok()) return InternalError(note, s);
    auto may = MayFetchAttachment(ctx, who, target->hash);
    if (!may.ok()) return InternalError(note, may.status());
    if (!*may) {
      res = NotFound(note);
    } else if (auto row = FindAttachment(store.db(), target->hash); !row.ok()) {
      return InternalError(note, row.status());
    } else if ((*row)->purged_ms) {
      res = Refuse(note, 410, "purged", "the file was purged from the server: no current answer names it");
    } else if (target->chunk < 0) {
      res = StatusAnswer(ctx, **row);
    } else {
      res = GetChunk(ctx, *target, note);
    }
  }
  if (!res.ok()) return InternalError(note, res.status());
  // The nonce is kept whatever the answer: a refused chunk was still this request.
  s = txn.Commit();
  if (!s.ok()) return InternalError(note, s);
  return std::move(res).value();
}

}  // namespace sotay::server
