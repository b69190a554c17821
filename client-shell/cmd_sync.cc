// `sotay enroll` and `sotay sync [--watch]`: the only place the shell talks to a
// server. The protocol is in the core (SyncSession, RunSync); this file is the HTTP.
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <random>
#include <thread>


#include "httplib_transport.h"
#include "shell.h"
#include "sotay/enrollment.h"
#include "sotay/env.h"
#include "sotay/refusal.h"
#include "sotay/signing.h"
#include "sotay/attachment_fetch.h"
#include "sotay/sync_retry.h"
#include "sotay/sync_run.h"
#include "sotay/text.h"
#include "sotay/wire.h"

namespace sotay::shell {

namespace {

struct Url {
  std::string base;  // scheme://host:port, what httplib::Client takes
  bool ok = false;
};

Url ParseUrl(const std::string& url) {
  Url u;
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return u;
  u.base = url;
  while (!u.base.empty() && u.base.back() == '/') u.base.pop_back();
  u.ok = true;
  return u;
}

std::unique_ptr<httplib::Client> ClientFor(const Url& u) {
  auto c = std::make_unique<httplib::Client>(u.base);
  c->set_connection_timeout(10);
  c->set_read_timeout(60);
  c->set_write_timeout(60);
  return c;
}

std::string ServerReason(const httplib::Result& res) {
  if (!res) return httplib::to_string(res.error());
  return ParseRefusal(res->status, res->body).reason;
}

std::string Kb(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f KB", bytes / 1000.0);
  return buf;
}

// One line per exchange, on stderr, in every mode: what a worker on a hill watches,
// and what a worker on a metered plan pays (wire bytes, compressed). Counts only:
// nothing of a record.
void ShowExchange(const Context& ctx, const SyncRun& r) {
  const size_t total = r.counts.outbox_total;
  const size_t left = total > r.acknowledged ? total - r.acknowledged : 0;
  const double rate =
      r.last.ms > 0 ? static_cast<double>(r.last.up_bytes + r.last.down_bytes) * 1000.0 / static_cast<double>(r.last.ms)
                    : 0;
  std::cerr << Tr(ctx, "đồng bộ: đã gửi ", "sync: sent ") << r.acknowledged << "/" << total
            << Tr(ctx, ", đã nhận ", ", received ") << r.pulled << Tr(ctx, " thay đổi; ", " changes; ")
            << Kb(static_cast<double>(r.bytes_up)) << " ↑ " << Kb(static_cast<double>(r.bytes_down)) << " ↓, "
            << Kb(rate) << "/s";
  if (left > 0) {
    std::cerr << Tr(ctx, "; còn ", "; ") << left << Tr(ctx, " để gửi", " left to send");
    const int64_t secs = r.link.SecondsToSend(left);
    if (secs > 0) std::cerr << Tr(ctx, ", khoảng ", ", about ") << secs << Tr(ctx, " giây nữa", " s to go");
  } else if (r.pull_more) {
    std::cerr << Tr(ctx, "; còn nhận tiếp", "; more to receive");
  }
  std::cerr << "\n";
}

struct SyncOutcome {
  int code = kOk;
  bool lost_link = false;  // no answer, or a proxy's error page: worth retrying
  bool progressed = false;  // some exchange was acknowledged and stored before it ended
  size_t sent = 0, total = 0;  // edits sent of those waiting
  std::string why;  // the transport's words, for a lost link
};

// One whole sync; prints a line per exchange on stderr and a summary on stdout. A
// lost link is left to the caller to report (it knows when it retries).
SyncOutcome SyncOnce(const Context& ctx, Notebook& nb) {
  SyncOutcome out;
  auto ran = SyncWithServer(nb, [&](const SyncRun& so_far) { ShowExchange(ctx, so_far); });
  if (!ran.ok() && ran.status().code() == Status::Code::kFailedPrecondition) {
    std::cerr << "sotay: " << Tr(ctx, "thiết bị chưa đăng ký với máy chủ: chạy sotay enroll URL MÃ\n",
                                 "this device is not enrolled: run sotay enroll URL CODE\n");
    out.code = kNotAllowed;
    return out;
  }
  if (!ran.ok()) {
    out.code = Fail(ctx, ran.status());
    return out;
  }
  const SyncRun& run = ran->edits;
  out.progressed = run.acknowledged > 0 || run.pulled > 0;
  out.sent = run.counts.sent;
  out.total = run.counts.outbox_total;
  if (!run.status.ok()) {
    if (run.http_status == 0 && !run.unanswered) {
      out.code = Fail(ctx, run.status);  // the notebook's own trouble
      return out;
    }
    out.code = run.http_status == 401 || run.http_status == 403 ? kNotAllowed : kFailed;
    if (run.unanswered) {
      out.lost_link = true;
      out.why = run.status.message();
      return out;
    }
    std::cerr << "sotay: " << Tr(ctx, "đồng bộ không thành công: ", "sync failed: ") << run.status.message() << "\n";
    return out;
  }
  const SyncCounts& c = run.counts;
  const UploadRun files = ran->files.value_or(UploadRun{});
  if (files.chunks_sent > 0 || files.files_done > 0 || !files.status.ok()) {
    std::cout << Tr(ctx, "Tệp đính kèm: đã gửi ", "Files: sent ") << files.files_done
              << Tr(ctx, " tệp, còn chờ ", ", waiting ") << files.files_left << " (" << files.bytes_up << " B ↑)\n";
  }
  if (!files.status.ok()) {
    std::cerr << "sotay: " << Tr(ctx, "gửi tệp đính kèm chưa xong: ", "files not all sent: ") << files.status.message()
              << "\n";
    out.code = files.http_status == 401 || files.http_status == 403 ? kNotAllowed : kFailed;
    out.lost_link = files.unanswered;
    out.why = files.status.message();
    out.progressed = out.progressed || files.chunks_sent > 0;
    if (files.unanswered) return out;
  }
  std::cout << Tr(ctx, "Đã gửi ", "Sent ") << c.sent << Tr(ctx, " thay đổi, nhận ", " changes, received ") << c.received
            << Tr(ctx, "; xung đột mới: ", "; new conflicts: ") << c.new_conflicts
            << Tr(ctx, "; bị từ chối: ", "; refused: ") << c.rejected << " (" << run.bytes_up << " B ↑, "
            << run.bytes_down << " B ↓, " << c.exchanges << Tr(ctx, " lượt)\n", " exchanges)\n");
  // Refusals grouped by reason (a record made in the wrong area is refused field by
  // field: one line, not twenty). They stay in the notebook until retried or dropped.
  std::map<std::string, size_t> reasons;
  for (const Rejection& x : run.rejections) ++reasons[x.reason];
  for (const auto& [reason, n] : reasons) std::cout << "  " << n << " × " << reason << "\n";
  auto kept = nb.RejectedCount();
  if (!kept.ok()) {
    out.code = Fail(ctx, kept.status());
    return out;
  }
  if (*kept == 0) return out;
  std::cerr << "sotay: " << *kept
            << Tr(ctx, " thay đổi bị máy chủ từ chối đang được giữ trên thiết bị: xem bằng sotay rejected; "
                       "sửa rồi gửi lại bằng sotay rejected --retry, hoặc bỏ bằng sotay rejected --drop\n",
                  " changes the server refused are kept on this device: see them with sotay rejected; "
                  "send them again after a fix with sotay rejected --retry, or drop them with sotay rejected --drop\n");
  out.code = kRefused;
  return out;
}

// "all" or "a,b c": the dots of this device's refused edits, by counter.
bool ParseCounters(const Notebook& nb, const std::vector<std::string>& words, std::vector<Dot>& out) {
  for (std::string w : words) {
    for (char& c : w) {
      if (c == ',') c = ' ';
    }
    std::istringstream in(w);
    std::string one;
    while (in >> one) {
      if (one.find_first_not_of("0123456789") != std::string::npos || one.size() > 19) return false;
      out.push_back(Dot{nb.device_id(), std::stoull(one)});
    }
  }
  return !out.empty();
}

}  // namespace

Status FetchFileFromServer(Notebook& nb, const AttachmentRef& ref, int64_t* chunks_fetched) {
  auto state = nb.GetSyncState();
  if (!state.ok()) return state.status();
  Url url = ParseUrl(state->server_url);
  if (!url.ok) {
    return Status::FailedPrecondition("file " + ref.sha256_hex.substr(0, 12) +
                                      ": not on this device, and the device is not enrolled with a server to fetch it from");
  }
  HttplibTransport transport(ClientFor(url));
  transport.SetStallTimeoutMs(30000);  // a 64 KiB chunk takes about 8 s on 2G
  FetchRun run = FetchAttachment(nb, nb.attachments(), transport, ref);
  if (chunks_fetched != nullptr) *chunks_fetched = static_cast<int64_t>(run.chunks_fetched);
  return run.status;
}

Result<ServerSync> SyncWithServer(Notebook& nb, const std::function<void(const SyncRun&)>& progress,
                                  const std::function<void(const UploadRun&)>& files_progress) {
  auto state = nb.GetSyncState();
  if (!state.ok()) return state.status();
  Url url = ParseUrl(state->server_url);
  if (!url.ok) return Status::FailedPrecondition("this device is not enrolled with a server (sotay enroll URL CODE)");
  HttplibTransport transport(ClientFor(url));
  ServerSync out;
  out.edits = RunSync(nb, transport, progress);
  if (!out.edits.status.ok()) return out;
  // A 2G link gives the files whatever time is left (a chunk of 64 KiB takes about
  // 8 s at 64 kbit/s).
  transport.SetStallTimeoutMs(30000);
  if (files_progress) files_progress(UploadRun{});
  out.files = UploadAttachments(nb, nb.attachments(), transport, files_progress);
  return out;
}

int CmdEnroll(Context& ctx) {
  if (ctx.args.size() != 2) {
    std::cerr << Tr(ctx, "Cách dùng: sotay enroll URL_MÁY_CHỦ MÃ_ĐĂNG_KÝ\n", "Usage: sotay enroll SERVER_URL CODE\n");
    return kUsage;
  }
  Url url = ParseUrl(ctx.args[0]);
  if (!url.ok) {
    std::cerr << "sotay enroll: " << Tr(ctx, "địa chỉ phải bắt đầu bằng http:// hoặc https://\n",
                                        "the address must start with http:// or https://\n");
    return kUsage;
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  auto request = MakeEnrollmentRequest(*nb, ctx.args[1], Env::Default());
  if (!request.ok()) return Fail(ctx, request.status());
  auto client = ClientFor(url);
  auto res = client->Post("/v1/enroll", httplib::Headers{{kNonceHeader, request->nonce}}, request->body,
                          "application/json");
  if (!res || res->status != 200) {
    std::cerr << "sotay: " << Tr(ctx, "đăng ký không thành công: ", "enrollment failed: ")
              << EscapeForTerminal(ServerReason(res)) << "\n";
    return res ? kNotAllowed : kFailed;
  }
  // Signed by the key it names, which is pinned for every sync answer from now on.
  auto enrollment = ReadEnrollmentAnswer(url.base, request->nonce, ToReply(std::move(res)));
  if (!enrollment.ok()) return Fail(ctx, enrollment.status());
  // One transaction: the server, its key, the user, the role and the communes.
  Status s = nb->SetEnrollment(*enrollment);
  if (!s.ok()) return Fail(ctx, s);
  std::cout << Tr(ctx, "Đã đăng ký thiết bị ", "Enrolled device ") << nb->device_id() << Tr(ctx, " cho ", " for ")
            << EscapeForTerminal(enrollment->user) << Tr(ctx, ", khu vực ", ", area ")
            << EscapeForTerminal(enrollment->area) << "\n";
  return kOk;
}

int CmdSync(Context& ctx) {
  bool watch = false;
  int interval = 60;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "--watch") watch = true;
    else if (ctx.args[i] == "--interval" && i + 1 < ctx.args.size()) interval = std::max(1, std::atoi(ctx.args[++i].c_str()));
    else {
      std::cerr << "sotay sync: " << Tr(ctx, "không hiểu '", "unexpected '") << ctx.args[i] << "'\n";
      return kUsage;
    }
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  // "link lost, N of M sent": the worker sees what got through before the cut.
  auto lost = [&](const SyncOutcome& o) {
    std::cerr << Tr(ctx, "mất kết nối, đã gửi ", "link lost, ") << o.sent << Tr(ctx, "/", " of ") << o.total
              << Tr(ctx, " thay đổi", " sent");
  };
  if (!watch) {
    const SyncOutcome once = SyncOnce(ctx, *nb);
    if (once.lost_link) {
      lost(once);
      std::cerr << Tr(ctx, "; chạy lại sotay sync để gửi tiếp (", "; run sotay sync again to go on (") << once.why
                << ")\n";
    }
    return once.code;
  }
  // Watch: sync now and then for as long as it runs, so a phone that gets signal for
  // twenty seconds on a hill syncs without anyone pressing a button. An attempt that
  // moved anything retries soon; ones that moved nothing back off exponentially
  // (SyncRetry), with jitter so a commune's phones do not retry in step.
  std::mt19937 rng(std::random_device{}());
  SyncRetry retry(interval);
  for (;;) {
    const SyncOutcome once = SyncOnce(ctx, *nb);
    if (once.code == kNotAllowed) return once.code;  // refused by the server or not enrolled: retrying will not help
    // Kept refusals wait for the worker; the sync itself went through.
    const bool succeeded = once.code == kOk || once.code == kRefused;
    const int base = retry.After(succeeded, once.progressed);
    const double wait = base * std::uniform_real_distribution<double>(0.75, 1.25)(rng);
    if (once.lost_link) {
      lost(once);
      std::cerr << Tr(ctx, ", thử lại sau ", ", retrying in ") << static_cast<int>(wait + 0.5) << " s\n";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(wait * 1000)));
  }
}

int CmdRejected(Context& ctx) {
  bool retry = false, drop = false;
  std::vector<std::string> ids;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "--retry") retry = true;
    else if (ctx.args[i] == "--drop") drop = true;
    else if (drop) ids.push_back(ctx.args[i]);
    else {
      std::cerr << "sotay rejected: " << Tr(ctx, "không hiểu '", "unexpected '") << ctx.args[i] << "'\n";
      return kUsage;
    }
  }
  if ((retry && drop) || (drop && ids.empty())) {
    std::cerr << Tr(ctx, "Cách dùng: sotay rejected [--retry | --drop SỐ...|all]\n",
                    "Usage: sotay rejected [--retry | --drop NUMBER...|all]\n");
    return kUsage;
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  if (retry) {
    auto n = nb->RetryRejected();
    if (!n.ok()) return Fail(ctx, n.status());
    std::cout << Tr(ctx, "Đã đưa ", "Put ") << *n
              << Tr(ctx, " thay đổi trở lại hàng chờ gửi: chạy sotay sync.\n",
                    " changes back in the outbox: run sotay sync.\n");
    return kOk;
  }
  if (drop) {
    std::vector<Dot> dots;
    if (!(ids.size() == 1 && ids[0] == "all") && !ParseCounters(*nb, ids, dots)) {
      std::cerr << "sotay rejected --drop: " << Tr(ctx, "cần các số mà sotay rejected cho thấy, hoặc all\n",
                                                   "takes the numbers sotay rejected shows, or all\n");
      return kUsage;
    }
    auto n = nb->DropRejected(dots);
    if (!n.ok()) return Fail(ctx, n.status());
    std::cout << Tr(ctx, "Đã bỏ ", "Dropped ") << *n
              << Tr(ctx, " thay đổi bị từ chối; giá trị của chúng chỉ còn trên thiết bị này.\n",
                    " refused changes; their values stay on this device only.\n");
    return kOk;
  }
  auto kept = nb->Rejected();
  if (!kept.ok()) return Fail(ctx, kept.status());
  if (kept->empty()) {
    std::cout << Tr(ctx, "Không có thay đổi nào bị từ chối.\n", "No refused changes.\n");
    return kOk;
  }
  std::cout << Tr(ctx, "SỐ  HỒ SƠ  TRƯỜNG  LÝ DO\n", "NUMBER  RECORD  FIELD  REASON\n");
  for (const KeptRejection& k : *kept) {
    std::cout << k.edit.dot.counter << "  " << (k.edit.record.empty() ? "?" : ShortId(k.edit.record)) << "  "
              << (k.edit.field.empty() ? "?" : k.edit.field) << "  " << k.reason << "\n";
  }
  return kOk;
}

}  // namespace sotay::shell
