// The C API's enrollment and sync (sotay_c.h): RunSync over the app's HTTP callback.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "c_api_support.h"
#include "sotay/enrollment.h"
#include "sotay/env.h"
#include "sotay/sotay_c.h"
#include "sotay/sync_run.h"

struct sotay_reply {
  sotay::HttpReply reply;
};

namespace {

using nlohmann::json;
using sotay::capi::Copy;
using sotay::capi::Guard;
using sotay::capi::Report;

// The app's callback as a SyncTransport.
class CallbackTransport : public sotay::SyncTransport {
 public:
  CallbackTransport(sotay_post_fn post, void* user_data) : post_(post), user_data_(user_data) {}

  sotay::HttpReply PostSync(const sotay::HttpHeaders& headers, const std::string& body) override {
    std::vector<const char*> names, values;
    for (const auto& [name, value] : headers) {
      names.push_back(name.c_str());
      values.push_back(value.c_str());
    }
    sotay_reply out;
    out.reply.failure = "the app's transport gave no answer";
    post_(user_data_, names.data(), values.data(), headers.size(), body.data(), body.size(), &out);
    return std::move(out.reply);
  }

 private:
  sotay_post_fn post_;
  void* user_data_;
};

std::string Summary(const sotay::SyncRun& run) {
  json rejected = json::array();
  for (const auto& r : run.rejections) rejected.push_back({{"dot", r.dot.ToString()}, {"reason", r.reason}});
  return json{{"sent", run.counts.sent},
              {"received", run.counts.received},
              {"new_conflicts", run.counts.new_conflicts},
              {"exchanges", run.counts.exchanges},
              {"bytes_up", run.bytes_up},
              {"bytes_down", run.bytes_down},
              {"rejected", rejected},
              {"http_status", run.http_status},
              {"server_error", run.server_error},
              {"unanswered", run.unanswered}}
      .dump();
}

}  // namespace

extern "C" {

int sotay_device_identity(sotay_notebook* nb, char** identity_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto key = nb->nb->PublicKeyBase64();
    if (!key.ok()) return Report(err, key.status());
    *identity_json = Copy(json{{"device_id", nb->nb->device_id()}, {"public_key", *key}}.dump());
    return 0;
  });
}

int sotay_enroll_begin(sotay_notebook* nb, const char* code, char** body_json, char** nonce, sotay_error* err) {
  return Guard(err, -1, [&] {
    if (body_json == nullptr || nonce == nullptr) {
      return Report(err, sotay::Status::InvalidArgument("enrollment needs somewhere to put the body and nonce"));
    }
    auto request = sotay::MakeEnrollmentRequest(*nb->nb, code != nullptr ? code : "", sotay::Env::Default());
    if (!request.ok()) return Report(err, request.status());
    *body_json = Copy(request->body);
    *nonce = Copy(request->nonce);
    return 0;
  });
}

int sotay_enroll_finish(sotay_notebook* nb, const char* server_url, const char* nonce, const sotay_reply* reply,
                        char** enrolled_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    if (server_url == nullptr || *server_url == '\0' || nonce == nullptr || reply == nullptr) {
      return Report(err, sotay::Status::InvalidArgument(
                             "finishing enrollment needs the server's address, the nonce sent and its answer"));
    }
    auto enrollment = sotay::ReadEnrollmentAnswer(server_url, nonce, reply->reply);
    if (!enrollment.ok()) return Report(err, enrollment.status());
    sotay::Status s = nb->nb->SetEnrollment(*enrollment);
    if (!s.ok()) return Report(err, s);
    if (enrolled_json != nullptr) {
      json communes = json::array();
      for (const sotay::Commune& c : enrollment->communes.communes) communes.push_back({{"code", c.code}, {"name", c.name}});
      *enrolled_json = Copy(json{{"user", enrollment->user},
                                 {"area", enrollment->area},
                                 {"role", enrollment->role},
                                 {"communes", communes}}
                                .dump());
    }
    return 0;
  });
}

sotay_reply* sotay_reply_new(void) {
  try {
    auto* reply = new sotay_reply;
    reply->reply.failure = "the app's transport gave no answer";
    return reply;
  } catch (...) {
    return nullptr;
  }
}

void sotay_reply_free(sotay_reply* reply) { delete reply; }

void sotay_reply_set_header(sotay_reply* reply, const char* name, const char* value) {
  if (reply == nullptr || name == nullptr || value == nullptr) return;
  reply->reply.headers.emplace_back(name, value);
}

void sotay_reply_set(sotay_reply* reply, int http_status, const void* body, size_t body_len) {
  if (reply == nullptr) return;
  reply->reply.answered = true;
  reply->reply.status = http_status;
  reply->reply.body.assign(static_cast<const char*>(body), body != nullptr ? body_len : 0);
  reply->reply.failure.clear();
}

void sotay_reply_fail(sotay_reply* reply, const char* why) {
  if (reply == nullptr) return;
  reply->reply = sotay::HttpReply();
  reply->reply.failure = why != nullptr ? why : "no answer";
}

int sotay_sync(sotay_notebook* nb, sotay_post_fn post, void* user_data, char** summary_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    if (post == nullptr) return Report(err, sotay::Status::InvalidArgument("sync needs a post function"));
    CallbackTransport transport(post, user_data);
    const sotay::SyncRun run = sotay::RunSync(*nb->nb, transport);
    if (summary_json != nullptr) *summary_json = Copy(Summary(run));
    return Report(err, run.status);
  });
}

int sotay_sync_status(sotay_notebook* nb, char** status_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto state = nb->nb->GetSyncState();
    if (!state.ok()) return Report(err, state.status());
    auto outbox = nb->nb->OutboxCount();
    if (!outbox.ok()) return Report(err, outbox.status());
    auto refused = nb->nb->RejectedCount();
    if (!refused.ok()) return Report(err, refused.status());
    *status_json = Copy(json{{"server_url", state->server_url},
                             {"outbox", *outbox},
                             {"refused", *refused},
                             {"last_sync_ms", state->last_sync_ms}}
                            .dump());
    return 0;
  });
}

int sotay_rejected(sotay_notebook* nb, char** list_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto kept = nb->nb->Rejected();
    if (!kept.ok()) return Report(err, kept.status());
    json out = json::array();
    for (const sotay::KeptRejection& k : *kept) {
      out.push_back({{"dot", k.edit.dot.ToString()},
                     {"record", k.edit.record},
                     {"field", k.edit.field},
                     {"reason", k.reason},
                     {"refused_ms", k.refused_ms}});
    }
    *list_json = Copy(out.dump());
    return 0;
  });
}

int sotay_rejected_retry(sotay_notebook* nb, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto n = nb->nb->RetryRejected();
    if (!n.ok()) return Report(err, n.status());
    return static_cast<int>(*n);
  });
}

int sotay_rejected_drop(sotay_notebook* nb, const char* dot, sotay_error* err) {
  return Guard(err, -1, [&] {
    std::vector<sotay::Dot> dots;
    if (dot != nullptr) {
      const std::string text = dot;
      const size_t colon = text.rfind(':');
      if (colon == std::string::npos || colon + 1 == text.size() ||
          text.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
        return Report(err, sotay::Status::InvalidArgument("a dot is \"device:counter\", as sotay_rejected lists it"));
      }
      dots.push_back(sotay::Dot{text.substr(0, colon), std::stoull(text.substr(colon + 1))});
    }
    auto n = nb->nb->DropRejected(dots);
    if (!n.ok()) return Report(err, n.status());
    return static_cast<int>(*n);
  });
}

}  // extern "C"
