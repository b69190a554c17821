// App: the sync server without its transport. Handle() takes a plain request and
// returns a plain response (http_message.h); the routes are
//
//   POST /v1/enroll   enrollment with a one-time code (JSON)
//   POST /v1/sync     one signed exchange: push and pull (CBOR)
//   GET  /healthz     {"ok": true} when the database answers
//   GET  /metrics     Prometheus text
//
// exactly as docs/sync-protocol.md describes. Handle() never throws: anything
// thrown inside becomes a 500 with a generic reason. Every request is counted and
// logged as one JSON line, without personal data.
//
// Thread-safety: Handle() may be called from many threads at once; the store is
// used under one mutex.
#pragma once

#include <memory>

#include "app_context.h"

namespace sotay::server {

class App {
 public:
  // Loads the areas and forms from `store`. REQUIRES: `env` and `log` (may be null:
  // no logs) outlive the App.
  static Result<std::unique_ptr<App>> Create(std::unique_ptr<ServerStore> store, Env* env, JsonLog* log,
                                             ServerLimits limits = {});

  HttpResponse Handle(const HttpRequest& request) noexcept;

  const Metrics& metrics() const { return ctx_->metrics; }
  const ServerLimits& limits() const { return ctx_->limits; }

 private:
  explicit App(std::unique_ptr<AppContext> ctx) : ctx_(std::move(ctx)) {}
  HttpResponse Route(const HttpRequest& request, RequestNote& note);

  std::unique_ptr<AppContext> ctx_;
};

}  // namespace sotay::server
