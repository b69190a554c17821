// What the request handlers share: the store and its mutex, the area tree, the
// published forms, the clock, limits, metrics and logs. Owned by App (app.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "admin/area_tree.h"
#include "store/attachment_files.h"
#include "store/form_catalog.h"
#include "http/http_message.h"
#include "sotay/wire.h"
#include "http/json_log.h"
#include "http/metrics.h"
#include "sync/pull_builder.h"
#include "http/rate_limiter.h"
#include "store/server_key.h"
#include "store/server_store.h"
#include "sotay/env.h"

namespace sotay::server {

namespace web {
struct WebState;
}

struct ServerLimits {
  size_t max_body_bytes = 4 << 20;     // compressed or not
  size_t max_edits = 5000;             // per request
  size_t requests_per_minute = 120;    // per device
  size_t enrollments_per_minute = 10;  // per remote address
  int64_t max_clock_skew_ms = 5 * 60 * 1000;
  int64_t nonce_window_ms = 10 * 60 * 1000;
  PullLimits pull;
  // Files on records (docs/sync-protocol.md, "Files"): the largest file, and the
  // bytes of files one device may send in a day (UTC).
  int64_t attachment_max_bytes = 25 << 20;
  int64_t attachment_bytes_per_day = 200 << 20;
  // The newest edit layout the server offers (docs/sync-protocol.md, "Edit layouts"):
  // 1 answers as servers before layout 2 did, every device syncs as with one of them.
  uint32_t wire_layout = kWireLayout;
};

// What a handler reports for the request's log line (never personal data).
struct RequestNote {
  std::string device;  // the device id, once it is well formed
  std::string error;   // the error code of a refusal
  std::string detail;  // for 500s: what failed inside (a Status message, never data)
  nlohmann::json counts = nlohmann::json::object();
};

struct AppContext {
  AppContext(std::unique_ptr<ServerStore> s, Env* e, JsonLog* l, ServerLimits lim, AreaTree a)
      : store(std::move(s)),
        env(e),
        log(l),
        limits(lim),
        areas(std::move(a)),
        device_rate(lim.requests_per_minute, 60 * 1000),
        enroll_rate(lim.enrollments_per_minute, 60 * 1000) {}

  // REQUIRES: mu held. The files on records' store beside the database, opened (and
  // its folder and key made) on first use.
  Result<AttachmentFiles*> Files();

  // REQUIRES: mu held. Reloads the catalog when forms were published since the last
  // load (admin publish-form runs in another process).
  Status RefreshForms();

  std::mutex mu;  // guards store and forms
  std::unique_ptr<ServerStore> store;
  FormCatalog forms;
  Env* const env;
  JsonLog* const log;
  const ServerLimits limits;
  const AreaTree areas;
  Metrics metrics;
  RateLimiter device_rate;
  RateLimiter enroll_rate;
  std::shared_ptr<web::WebState> web;  // the dashboard's memory (web/web.h)
  std::shared_ptr<const ServerKey> server_key;  // signs answers to devices (server_key.h)
  std::unique_ptr<AttachmentFiles> files;  // see Files()
};

// The 500 answer: a generic reason for the client, the Status in the log.
HttpResponse InternalError(RequestNote& note, const Status& status);
// A refusal, noted for the log.
HttpResponse Refuse(RequestNote& note, int status, const std::string& code, const std::string& reason,
                    int64_t server_time_ms = 0);

// The routes (one file each). App::Route signs the answers of the /v1/ ones.
HttpResponse HandleEnroll(AppContext& ctx, const HttpRequest& req, RequestNote& note);
HttpResponse HandleSync(AppContext& ctx, const HttpRequest& req, RequestNote& note);
HttpResponse HandleHealth(AppContext& ctx, const HttpRequest& req, RequestNote& note);
HttpResponse HandleMetrics(AppContext& ctx, const HttpRequest& req, RequestNote& note);
// /v1/attachments/...: files on records (sync/attachment_handler.cc).
HttpResponse HandleAttachment(AppContext& ctx, const HttpRequest& req, RequestNote& note);

}  // namespace sotay::server
