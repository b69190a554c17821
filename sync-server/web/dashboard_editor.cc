#include "web/dashboard_editor.h"

#include <algorithm>
#include <cstdlib>

#include "web/audit_log.h"
#include "web/dashboard_store.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

struct Identity {
  std::string device;
  uint64_t counter = 0;
  Hlc last;
};

Result<Identity> LoadIdentity(DashboardStore& store, Env* env) {
  Identity id;
  auto device = store.Meta("dashboard_device");
  if (!device.ok()) return device.status();
  if (*device) {
    id.device = **device;
  } else {
    id.device = std::string(kDashboardDevicePrefix) + RandomHex(env, 8);
    Status s = store.SetMeta("dashboard_device", id.device);
    if (!s.ok()) return s;
  }
  auto counter = store.Meta("dashboard_counter");
  if (!counter.ok()) return counter.status();
  if (*counter) id.counter = std::strtoull((*counter)->c_str(), nullptr, 10);
  auto clock = store.Meta("dashboard_clock");
  if (!clock.ok()) return clock.status();
  id.last.device = id.device;
  if (*clock) {
    const size_t colon = (*clock)->find(':');
    id.last.ms = std::strtoll((*clock)->substr(0, colon).c_str(), nullptr, 10);
    if (colon != std::string::npos) {
      id.last.counter = static_cast<uint32_t>(std::strtoul((*clock)->substr(colon + 1).c_str(), nullptr, 10));
    }
  }
  return id;
}

// The one path of a dashboard change. `whole`: a refusal of any edit leaves
// nothing written (the caller names the reason); otherwise what the push refused is
// audited as refused, and the rest lands.
Result<PushOutcome> ApplyChanges(AppContext& ctx, const Viewer& v, const std::vector<DashboardChange>& changes,
                                 const std::string& action, bool whole) {
  DashboardStore store(*ctx.store);
  ServerStore::Transaction txn(*ctx.store);
  if (!txn.status().ok()) return txn.status();
  auto id = LoadIdentity(store, ctx.env);
  if (!id.ok()) return id.status();
  const int64_t now = ctx.env->NowMs();
  HlcClock clock(id->device, id->last);
  for (const DashboardChange& c : changes) {
    auto stored = ctx.store->LoadRecord(c.record);
    if (!stored.ok()) return stored.status();
    if (!*stored) continue;
    // Past every stamp on the record, so the change reads as the newest.
    for (const auto& [name, fs] : (*stored)->state.fields()) {
      for (const Head& h : fs.heads) clock.Observe(h.hlc, now);
    }
  }
  std::vector<Edit> edits;
  uint64_t counter = id->counter;
  for (const DashboardChange& c : changes) {
    Edit e;
    e.dot = Dot{id->device, ++counter};
    e.record = c.record;
    e.field = c.field;
    e.value = c.value;
    e.hlc = clock.Tick(now);
    e.base = c.base;
    e.author = v.user;
    edits.push_back(std::move(e));
  }
  if (edits.empty()) return PushOutcome{};
  const Hlc last = edits.back().hlc;
  Principal who = PrincipalOf(v);
  who.device = id->device;
  auto out = ApplyPush(*ctx.store, ctx.areas, ctx.forms, who, edits, now);
  if (!out.ok()) return out.status();
  if (whole && (!out->rejected.empty() || out->deferred > 0)) return out;  // rolled back
  Status s = store.SetMeta("dashboard_counter", std::to_string(counter));
  if (s.ok()) s = store.SetMeta("dashboard_clock", std::to_string(last.ms) + ":" + std::to_string(last.counter));
  for (const Edit& e : edits) {
    if (!s.ok()) break;
    const bool refused = std::any_of(out->rejected.begin(), out->rejected.end(),
                                     [&](const Rejection& x) { return x.dot == e.dot; });
    s = AppendAudit(ctx.store->db(), AuditEntry{0, now, v.user, action, e.record, e.field + (refused ? " (refused)" : "")});
  }
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return s;
  ctx.metrics.CountEdits(out->stored, out->rejected.size(), out->conflicts_opened);
  return out;
}

}  // namespace

Result<PushOutcome> ApplyDashboardEdit(AppContext& ctx, const Viewer& v, const std::string& record,
                                       const std::string& field, const std::string& value,
                                       const std::vector<Dot>& base, const std::string& action) {
  return ApplyChanges(ctx, v, {DashboardChange{record, field, value, base}}, action, false);
}

Result<PushOutcome> ApplyDashboardEdits(AppContext& ctx, const Viewer& v, const std::vector<DashboardChange>& changes,
                                        const std::string& action) {
  return ApplyChanges(ctx, v, changes, action, true);
}

}  // namespace sotay::server::web
