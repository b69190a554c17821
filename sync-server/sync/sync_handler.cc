// POST /v1/sync: one signed exchange (docs/sync-protocol.md). The push, the pull,
// the nonce and the device's last-seen time are written in one transaction: a
// request that is refused at any step changes nothing.
#include <algorithm>

#include "app_context.h"
#include "sync/pull_builder.h"
#include "sync/push_applier.h"
#include "sync/request_auth.h"
#include "sotay/link_estimate.h"
#include "sotay/codec.h"
#include "sotay/wire.h"

namespace sotay::server {

HttpResponse HandleSync(AppContext& ctx, const HttpRequest& req, RequestNote& note) {
  const ServerLimits& lim = ctx.limits;
  SignedHeaders headers;
  if (auto refused = RefuseUnsignable(req, lim.max_body_bytes, "the body is over 4 MiB; send fewer edits at a time",
                                      note, &headers)) {
    return *refused;
  }
  std::lock_guard<std::mutex> lock(ctx.mu);
  Principal who;
  if (auto refused = RefuseUnauthenticated(ctx, req, headers, note, &who)) return *refused;
  auto request = DecodeSyncRequest(req.body);
  if (!request.ok()) return Refuse(note, 400, "malformed", request.status().message());
  if (request->push_layout > lim.wire_layout) {  // as a server before that layout answers it
    return Refuse(note, 400, "malformed", "sync request does not decode: missing 'e'");
  }
  if (request->push.size() > lim.max_edits) {
    return Refuse(note, 413, "too_large",
                  "more than " + std::to_string(lim.max_edits) + " edits in one request; send fewer at a time");
  }
  Status s = ctx.RefreshForms();
  if (!s.ok()) return InternalError(note, s);

  const int64_t now = ctx.env->NowMs();
  ServerStore& store = *ctx.store;
  ServerStore::Transaction txn(store);
  if (!txn.status().ok()) return InternalError(note, txn.status());
  s = store.PruneNonces(now - lim.nonce_window_ms);
  if (!s.ok()) return InternalError(note, s);
  auto seen = store.NonceSeen(who.device, headers.nonce, now - lim.nonce_window_ms);
  if (!seen.ok()) return InternalError(note, seen.status());
  if (*seen) return Refuse(note, 409, "replay", "this request was already received (its nonce was used)");

  const size_t pushed = request->push.size();
  auto push = ApplyPush(store, ctx.areas, ctx.forms, who, std::move(request->push), now, request->cursor);
  if (!push.ok()) return InternalError(note, push.status());
  // Pages of the bytes the device asked for (its link's few seconds), within the server's limits.
  PullLimits page = PullLimitsAsked(lim.pull, req.Header(kPageBytesHeader));
  // Layout 2 carries an edit in about a quarter of the bytes, so a page may hold four
  // times the edits for the same time on the link: the bytes the device asked for
  // (counted as stored sets) still bound it. A commune's first pull then takes
  // fewer round trips, each of them a chance for the signal to drop.
  if (std::min(request->reads_layout, lim.wire_layout) >= 2) page.max_edits *= 4;
  auto pull = BuildPull(store, ctx.areas, ctx.forms, who, request->cursor, page);
  if (!pull.ok()) return InternalError(note, pull.status());
  s = store.InsertNonce(who.device, headers.nonce, now);
  if (s.code() == Status::Code::kAlreadyExists) {
    return Refuse(note, 409, "replay", "this request was already received (its nonce was used)");
  }
  if (s.ok()) s = store.TouchDevice(who.device, now);
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return InternalError(note, s);

  ctx.metrics.CountEdits(push->stored, push->rejected.size(), push->conflicts_opened);
  note.counts = {{"pushed", pushed},     {"accepted", push->accepted.size()},
                 {"stored", push->stored},              {"rejected", push->rejected.size()},
                 {"deferred", push->deferred},          {"conflicts_opened", push->conflicts_opened},
                 {"pulled", pull->count},        {"more", pull->more},
                 {"gone", pull->gone.size()}};

  SyncResponse out;
  out.accepted = std::move(push->accepted);
  out.rejected = std::move(push->rejected);
  // A device that reads layout 2 gets the stored sets as compact edits: decoded
  // here, where a set that does not decode is the server's own fault.
  const uint32_t layout = std::min(request->reads_layout, lim.wire_layout);
  if (layout >= 2) {
    out.pull_layout = layout;
    for (const std::string& set : pull->sets) {
      out.page_set_bytes += set.size();
      auto edits = DecodeEditGroup(set);
      if (!edits.ok()) return InternalError(note, edits.status());
      for (Edit& e : *edits) out.pull.push_back(std::move(e));
    }
  } else {
    out.pull_sets = std::move(pull->sets);
  }
  out.reads_layout = lim.wire_layout;
  out.gone = std::move(pull->gone);
  out.cursor = pull->cursor;
  out.more = pull->more;
  out.forms = ctx.forms.Lacking(request->forms);
  out.server_time_ms = now;
  if (request->communes_tag) {  // a device that reads the list: send it when its copy is not this one
    CommuneList communes = EditableCommunes(ctx.areas, who);
    if (communes.tag != *request->communes_tag) out.communes = std::move(communes);
  }
  note.counts["forms"] = out.forms.size();
  HttpResponse res;
  res.content_type = "application/cbor";
  res.body = EncodeSyncResponse(out);
  return res;
}

}  // namespace sotay::server
