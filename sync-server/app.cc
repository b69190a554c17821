#include "app.h"

#include <chrono>

#include "admin/crypto.h"
#include "web/release_memory.h"
#include "web/web.h"

namespace sotay::server {

namespace {

struct RouteInfo {
  const char* path;
  const char* method;
  HttpResponse (*handler)(AppContext&, const HttpRequest&, RequestNote&);
  // Whether its answers, refusals too, are signed over the request's nonce
  // (server_key.h): the device then applies only what this server said to that very
  // request, and the answer to enrollment proves the server holds the key it names.
  bool signs_answer;
};

const RouteInfo kRoutes[] = {
    {"/v1/enroll", "POST", &HandleEnroll, true},
    {"/v1/sync", "POST", &HandleSync, true},
    {"/healthz", "GET", &HandleHealth, false},
    {"/metrics", "GET", &HandleMetrics, false},
};

constexpr char kAttachmentsPrefix[] = "/v1/attachments/";

const RouteInfo* FindRoute(const std::string& path) {
  for (const RouteInfo& r : kRoutes) {
    if (path == r.path) return &r;
  }
  return nullptr;
}

}  // namespace

Result<AttachmentFiles*> AppContext::Files() {
  if (!files) {
    const std::string folder = store->FilesFolder();
    if (folder.empty()) {
      return Status::FailedPrecondition(
          "this server keeps no files: on PostgreSQL, start it with --files FOLDER (a folder every server process shares)");
    }
    auto opened = AttachmentFiles::OpenFolder(folder);
    if (!opened.ok()) return opened.status();
    files = std::move(opened).value();
  }
  return files.get();
}

Status AppContext::RefreshForms() {
  auto count = store->FormCount();
  if (!count.ok()) return count.status();
  if (static_cast<size_t>(*count) == forms.size()) return Status::OK();
  auto loaded = FormCatalog::Load(*store);
  if (!loaded.ok()) return loaded.status();
  forms = std::move(loaded).value();
  return Status::OK();
}

HttpResponse InternalError(RequestNote& note, const Status& status) {
  note.error = "internal";
  note.detail = status.ToString();
  return ErrorResponse({500, "internal", "the server could not complete the request; try again later"});
}

HttpResponse Refuse(RequestNote& note, int status, const std::string& code, const std::string& reason,
                    int64_t server_time_ms) {
  note.error = code;
  return ErrorResponse({status, code, reason, server_time_ms});
}

Result<std::unique_ptr<App>> App::Create(std::unique_ptr<ServerStore> store, Env* env, JsonLog* log,
                                         ServerLimits limits) {
  if (!InitCrypto()) return Status::IOError("libsodium could not start");
  auto rows = store->LoadAreas();
  if (!rows.ok()) return rows.status();
  auto areas = AreaTree::Build(std::move(rows).value());
  if (!areas.ok()) return Status::Corrupt("the stored areas: " + areas.status().message());
  auto server_key = ServerKey::Load(store->db());
  if (!server_key.ok()) return server_key.status();
  auto ctx = std::make_unique<AppContext>(std::move(store), env, log, limits, std::move(areas).value());
  ctx->server_key = std::move(server_key).value();
  ctx->web = std::make_shared<web::WebState>();
  {
    std::lock_guard<std::mutex> lock(ctx->mu);
    Status s = ctx->RefreshForms();
    if (!s.ok()) return s;
  }
  return std::unique_ptr<App>(new App(std::move(ctx)));
}

HttpResponse App::Route(const HttpRequest& req, RequestNote& note) {
  if (req.path.rfind(kAttachmentsPrefix, 0) == 0) {
    // Files on records: their own routes, so a record's edits never wait behind a file.
    HttpResponse res = HandleAttachment(*ctx_, req, note);
    ctx_->server_key->SignAnswer(req, &res);
    return res;
  }
  const RouteInfo* route = FindRoute(req.path);
  if (route == nullptr) {
    // The API answers in JSON; every other path is the dashboard's.
    if (req.path.rfind("/v1/", 0) == 0) return Refuse(note, 404, "not_found", "no such endpoint");
    HttpResponse page = web::HandleWeb(*ctx_, req, note);
    // A page may have read a unit's records a slice at a time: what it freed goes
    // back, so the server's memory stays what one page needs (web/release_memory.h).
    web::ReleaseFreedMemory();
    return page;
  }
  if (req.method != route->method) {
    HttpResponse r = Refuse(note, 405, "method_not_allowed", std::string("use ") + route->method);
    r.headers["Allow"] = route->method;
    return r;
  }
  HttpResponse res = route->handler(*ctx_, req, note);
  if (route->signs_answer) ctx_->server_key->SignAnswer(req, &res);
  return res;
}

HttpResponse App::Handle(const HttpRequest& req) noexcept {
  const auto start = std::chrono::steady_clock::now();
  RequestNote note;
  HttpResponse res;
  try {
    res = Route(req, note);
  } catch (const std::exception&) {
    // No what(): a library's message may quote the request.
    res = InternalError(note, Status::IOError("an exception left a handler"));
  } catch (...) {
    res = InternalError(note, Status::IOError("an unknown exception left a handler"));
  }
  try {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const RouteInfo* route = FindRoute(req.path);
    const std::string label = route != nullptr                                  ? route->path
                              : req.path.rfind(kAttachmentsPrefix, 0) == 0 ? std::string("/v1/attachments")
                                                                           : web::RouteLabel(req.path);
    ctx_->metrics.CountRequest(label, res.status);
    if (route != nullptr && label == "/v1/sync") ctx_->metrics.ObserveSync(seconds);
    nlohmann::json fields = {{"method", req.method.size() <= 8 ? req.method : "?"},
                             {"path", label},
                             {"status", res.status},
                             {"duration_ms", static_cast<double>(static_cast<int64_t>(seconds * 1e5)) / 100.0}};
    if (!note.device.empty()) fields["device"] = note.device;
    if (!note.error.empty()) fields["error"] = note.error;
    if (!note.detail.empty()) fields["detail"] = note.detail;
    if (!note.counts.empty()) fields["counts"] = note.counts;
    const char* level = res.status >= 500 ? "error" : res.status >= 400 ? "warn" : "info";
    if (ctx_->log != nullptr) ctx_->log->Write(ctx_->env->NowMs(), level, "request", fields);
  } catch (...) {
    // Logging must not turn an answer into a failure.
  }
  return res;
}

}  // namespace sotay::server
