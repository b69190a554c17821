// GET /healthz and GET /metrics: for the operator and the monitoring.
#include "app_context.h"

namespace sotay::server {

HttpResponse HandleHealth(AppContext& ctx, const HttpRequest& req, RequestNote& note) {
  (void)req;
  std::lock_guard<std::mutex> lock(ctx.mu);
  auto forms = ctx.store->FormCount();
  if (!forms.ok()) {
    note.error = "unhealthy";
    note.detail = forms.status().ToString();
    return JsonResponse(503, {{"ok", false}});
  }
  return JsonResponse(200, {{"ok", true}});
}

HttpResponse HandleMetrics(AppContext& ctx, const HttpRequest& req, RequestNote& note) {
  (void)req;
  (void)note;
  HttpResponse res;
  res.content_type = "text/plain; version=0.0.4";
  res.body = ctx.metrics.Render();
  return res;
}

}  // namespace sotay::server
