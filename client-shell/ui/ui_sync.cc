// `sotay ui`'s sync and conflicts: a sync with the server the notebook is enrolled
// with, by the shell's own path (SyncWithServer, as `sotay sync`) in the background
// (ui_sync_job.h): its phase and counts while it runs, what it sent and received,
// the next automatic try after a cut, and the last successful sync; the fields where
// devices disagree, their values side by side, settled by picking one or typing a
// new one (Notebook::Resolve, as `sotay resolve`: the form's rules judge it, and a
// refusal stands next to the field). A sync holds the notebook (App::mu) until it
// ends: other pages wait for it, but not the sync page, which reads only the job.
#include "../record_output.h"
#include "sotay/edit_rules.h"
#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "ui_app.h"
#include "ui_html.h"
#include "ui_sync_job.h"

namespace sotay::shell::ui {

namespace {

const char* kHtml = "text/html; charset=utf-8";

void Fail(httplib::Response& res, const std::string& lang, const Status& s) {
  res.status = s.code() == Status::Code::kNotFound ? 404 : 500;
  res.set_content(Page(lang, Pick(lang, "Không thực hiện được", "Could not do it"),
                       "<p class=\"issue\">" + Esc(s.message()) + "</p>", true, "/"), kHtml);
}

std::string Outcome(const ServerSync& sync, const std::string& lang) {
  const SyncRun& run = sync.edits;
  const SyncCounts& c = run.counts;
  std::string out = std::string(Pick(lang, "Đã gửi ", "Sent ")) + std::to_string(c.sent) +
                    Pick(lang, " thay đổi, nhận ", " changes, received ") + std::to_string(c.received) +
                    Pick(lang, "; xung đột mới: ", "; new conflicts: ") + std::to_string(c.new_conflicts) +
                    Pick(lang, "; bị từ chối: ", "; refused: ") + std::to_string(c.rejected) + " (" +
                    std::to_string(run.bytes_up) + " B ↑, " + std::to_string(run.bytes_down) + " B ↓).";
  if (!run.status.ok()) {
    out = std::string(Pick(lang, "Đồng bộ không thành công: ", "The sync failed: ")) + run.status.message() + " " + out;
  }
  if (sync.files && (sync.files->chunks_sent > 0 || sync.files->files_left > 0 || !sync.files->status.ok())) {
    const UploadRun& f = *sync.files;
    out += std::string(Pick(lang, " Tệp đính kèm: đã gửi ", " Files: sent ")) + std::to_string(f.files_done) +
           Pick(lang, ", còn chờ ", ", waiting ") + std::to_string(f.files_left) + ".";
    if (!f.status.ok()) out += " " + f.status.message();
  }
  return out;
}

std::string LastSyncText(int64_t last_ms, size_t waiting, const std::string& lang) {
  return std::string(Pick(lang, "Đồng bộ thành công lần cuối: ", "Last successful sync: ")) +
         (last_ms > 0 ? FormatTime(last_ms) : Pick(lang, "chưa lần nào", "never")) + " · " + std::to_string(waiting) +
         Pick(lang, " thay đổi chờ gửi", " changes waiting");
}

// The page reloads itself while a sync runs or a retry is due: there is no script.
// The reload is marked (kAutoRefresh), so that a page left open does not keep the
// notebook from its idle lock.
std::string Refreshing(std::string page, int seconds) {
  const size_t at = page.find("<head>");
  if (at != std::string::npos) {
    page.insert(at + 6, "<meta http-equiv=\"refresh\" content=\"" + std::to_string(seconds) + ";url=/sync?" +
                            kAutoRefresh + "\">");
  }
  return page;
}

std::string Kb(size_t bytes) {
  return std::to_string(bytes / 1000) + "," + std::to_string(bytes % 1000 / 100) + " KB";
}

// The sync under way: its phase, a bar, and the counts so far.
std::string Progress(const SyncSnapshot& s, const std::string& lang) {
  std::string phase, bar;
  switch (s.phase) {
    case SyncPhase::kPushing:
      phase = std::string(Pick(lang, "Đang gửi thay đổi: ", "Sending changes: ")) + std::to_string(s.sent) + "/" +
              std::to_string(s.to_send);
      bar = "<progress max=\"" + std::to_string(std::max<size_t>(s.to_send, 1)) + "\" value=\"" +
            std::to_string(s.sent) + "\"></progress>";
      break;
    case SyncPhase::kPulling:
      phase = std::string(Pick(lang, "Đang nhận thay đổi: đã nhận ", "Receiving changes: received ")) +
              std::to_string(s.received);
      bar = "<progress></progress>";  // how much waits on the server is not known
      break;
    case SyncPhase::kFiles:
      phase = std::string(Pick(lang, "Đang gửi tệp đính kèm: ", "Sending files: ")) + std::to_string(s.files_done) +
              "/" + std::to_string(s.files_done + s.files_left);
      bar = "<progress max=\"" + std::to_string(std::max<size_t>(s.files_done + s.files_left, 1)) + "\" value=\"" +
            std::to_string(s.files_done) + "\"></progress>";
      break;
  }
  const char* names[] = {"pushing", "pulling", "files"};
  return "<section class=\"group\" id=\"progress\" data-phase=\"" + std::string(names[static_cast<int>(s.phase)]) +
         "\"><p id=\"phase\" role=\"status\">" + Esc(phase) + "</p>" + bar + "<p class=\"hint\">" +
         Pick(lang, "Đã gửi ", "Sent ") + std::to_string(s.sent) + Pick(lang, ", đã nhận ", ", received ") +
         std::to_string(s.received) + Pick(lang, " thay đổi; ", " changes; ") + Kb(s.bytes_up) + " ↑, " +
         Kb(s.bytes_down) + " ↓</p></section>";
}

std::string LastOutcome(const SyncSnapshot& s, const std::string& lang) {
  std::string said;
  if (s.last) {
    said = Outcome(*s.last, lang);
  } else if (s.last_error == "locked") {
    said = Pick(lang, "Sổ tay đã khóa trước khi đồng bộ: mở sổ rồi đồng bộ lại.",
                "The notebook was locked before the sync: unlock it and sync again.");
  } else {
    said = s.last_error;
  }
  if (said.empty()) return "";
  std::string out = "<p id=\"outcome\" class=\"status\">" + Esc(said) + "</p>";
  if (s.retry_in_ms > 0) {
    out += "<p id=\"retry\" class=\"status\">" +
           std::string(Pick(lang, "Sẽ tự thử lại khi có mạng: lần tới sau khoảng ",
                            "Trying again by itself when the network is back: next in about ")) +
           std::to_string((s.retry_in_ms + 999) / 1000) + Pick(lang, " giây.", " s.") + "</p>";
  }
  return out;
}

// While a sync runs: only the job is read, the notebook is the sync's.
std::string RunningPage(const SyncSnapshot& s, const std::string& lang) {
  std::string body = "<p id=\"last-sync\" class=\"hint\">" + Esc(LastSyncText(s.last_success_ms, s.to_send - std::min(s.sent, s.to_send), lang)) +
                     "</p>" + Progress(s, lang);
  return Refreshing(Page(lang, Pick(lang, "Đồng bộ", "Sync"), body, true, "/sync"), 2);
}

void SyncPage(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang,
              const App& app) {
  auto state = nb.GetSyncState();
  if (!state.ok()) return Fail(res, lang, state.status());
  auto waiting = nb.OutboxCount();
  if (!waiting.ok()) return Fail(res, lang, waiting.status());
  const SyncSnapshot snap = app.sync->Snapshot();
  std::string body = "<section class=\"group\"><dl class=\"answers\"><dt>" +
                     std::string(Pick(lang, "Máy chủ", "Server")) + "</dt><dd>" +
                     Esc(state->server_url.empty() ? Pick(lang, "chưa đăng ký (sotay enroll)", "not enrolled (sotay enroll)")
                                                   : state->server_url) +
                     "</dd><dt>" + Pick(lang, "Thay đổi chờ gửi", "Changes waiting to be sent") + "</dt><dd id=\"waiting\">" +
                     std::to_string(*waiting) + "</dd></dl>";
  body += LastOutcome(snap, lang);
  body += "<form method=\"post\" action=\"/sync\"><div class=\"actions\"><button autofocus>" +
          std::string(Pick(lang, "Đồng bộ ngay", "Sync now")) + "</button></div></form></section>";
  std::string page = Page(lang, Pick(lang, "Đồng bộ", "Sync"), body, true, req.path);
  // A retry due: the page follows it (a sync started by then shows its progress).
  res.set_content(snap.retry_in_ms > 0 ? Refreshing(std::move(page), 5) : page, kHtml);
}

std::string Side(const Form* form, const std::string& field, const ConflictChoice& c,
                 size_t n, const std::string& lang, bool checked) {
  std::string who;
  for (const Head* h : c.by) {
    who += (who.empty() ? "" : "; ") + std::string(Pick(lang, "người sửa ", "by ")) + (h->author.empty() ? "-" : h->author) +
           ", " + FormatTime(h->hlc.ms);
  }
  // "=" and the value: an empty value (a cleared answer) is a side too, never taken
  // for the typed one ("typed").
  return "<label class=\"side\"><input type=\"radio\" name=\"value\" value=\"=" + Esc(c.value) + "\"" +
         (checked && n == 0 ? " checked" : "") + "> <strong>" + Esc(ValueText(form, field, c.value, lang)) +
         "</strong><br><span class=\"hint\">" + Esc(who) + "</span></label>";
}

// A new value typed where two devices disagree; refused, it comes back with why.
struct Typed {
  std::string record, field, text, issue;
};

// A form field may take a typed value (the form's rules judge it); the record's
// status and other reserved fields only one of their competing values.
bool TakesTyped(const Form* form, const std::string& field) {
  return form != nullptr && !IsReservedField(field) && form->FindField(field) != nullptr;
}

void Conflicts(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang,
               const Typed& typed = {}) {
  ListFilter all;
  all.include_void = true;
  all.conflicts_only = true;  // through the conflict index: the other records are not opened
  auto rows = nb.List(all, lang);
  if (!rows.ok()) return Fail(res, lang, rows.status());
  std::string body;
  size_t count = 0;
  for (const RecordSummary& r : *rows) {
    if (!r.status.ok() || !r.in_conflict) continue;
    auto v = nb.Get(r.id);
    if (!v.ok()) return Fail(res, lang, v.status());
    auto found = nb.FindForm(v->form, v->version);
    const Form* form = found.ok() ? *found : nullptr;
    for (const std::string& field : v->state.Conflicts()) {
      ++count;
      const bool refused = typed.record == r.id && typed.field == field && !typed.issue.empty();
      const std::string input_id = "typed-" + std::to_string(count);
      body += "<section class=\"group conflict\" data-record=\"" + Esc(r.id) + "\" data-field=\"" + Esc(field) +
              "\"><h2><a href=\"/record/" + Esc(r.id) + "\">" + Esc(r.name.empty() ? ShortId(r.id) : r.name) + "</a> · " +
              Esc(FieldLabel(form, field, lang)) + "</h2><form method=\"post\" action=\"/conflicts\">"
              "<input type=\"hidden\" name=\"record\" value=\"" + Esc(r.id) + "\"><input type=\"hidden\" name=\"field\" value=\"" +
              Esc(field) + "\"><div class=\"sides\">";
      const std::vector<ConflictChoice> choices = ConflictChoices(v->state, field);
      for (size_t n = 0; n < choices.size(); ++n) body += Side(form, field, choices[n], n, lang, !refused);
      body += "</div>";
      if (TakesTyped(form, field)) {
        // Its own radio: a typed value is chosen on purpose, never by a stray keystroke.
        body += "<div class=\"typed\"><label><input type=\"radio\" name=\"value\" value=\"typed\" data-typed" +
                std::string(refused ? " checked" : "") + "> " + Pick(lang, "Giá trị khác:", "Another value:") +
                "</label> <label class=\"hint\" for=\"" + input_id + "\">" +
                Pick(lang, "gõ giá trị mới (ngày theo dạng NN/TT/NNNN)", "type a new value (dates as DD/MM/YYYY)") +
                "</label><input type=\"text\" name=\"typed\" id=\"" + input_id + "\" autocomplete=\"off\" value=\"" +
                Esc(refused ? typed.text : "") + "\"" +
                (refused ? " aria-invalid=\"true\" aria-describedby=\"" + input_id + "-issue\"" : "") + ">";
        if (refused) {
          body += "<p class=\"issue\" id=\"" + input_id + "-issue\" role=\"alert\">" + Esc(typed.issue) + "</p>";
        }
        body += "</div>";
      }
      body += "<div class=\"actions\"><button>" + std::string(Pick(lang, "Giữ giá trị đã chọn", "Keep the value picked")) +
              "</button></div></form></section>";
    }
  }
  body = "<p id=\"count\">" + std::to_string(count) + Pick(lang, " xung đột", " conflicts") + "</p>" + body;
  res.set_content(Page(lang, Pick(lang, "Xung đột", "Conflicts"), body, true, req.path), kHtml);
}

void Resolve(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  Typed typed{req.get_param_value("record"), req.get_param_value("field"), req.get_param_value("typed"), ""};
  const std::string picked = req.get_param_value("value");
  const bool typing = picked == "typed";
  if (!typing && picked.rfind('=', 0) != 0) {
    return Fail(res, lang, Status::InvalidArgument("record " + typed.record + " field '" + typed.field +
                                                   "': no value was picked"));
  }
  std::string value = typing ? "" : picked.substr(1);
  if (typing) {
    auto v = nb.Get(typed.record);
    if (!v.ok()) return Fail(res, lang, v.status());
    auto found = nb.FindForm(v->form, v->version);
    const Form* form = found.ok() ? *found : nullptr;
    if (!TakesTyped(form, typed.field)) {
      return Fail(res, lang, Status::InvalidArgument("field '" + typed.field + "' of record " + typed.record +
                                                     " takes only one of its competing values"));
    }
    if (Trim(typed.text).empty()) {
      typed.issue = Pick(lang, "Hãy gõ giá trị mới, hoặc chọn một giá trị ở trên.",
                         "Type the new value, or pick one of the values above.");
    } else {
      // Read as the interview reads it (a date as DD/MM/YYYY, a choice by its name or
      // label), then judged by the form's rules in Resolve.
      value = TypedValue(*form, *form->FindField(typed.field), typed.text);
    }
  }
  if (typed.issue.empty()) {
    auto saved = nb.Resolve(typed.record, typed.field, value, lang);
    if (!saved.ok()) return Fail(res, lang, saved.status());
    if (saved->ok()) return SeeOther(res, "/conflicts");
    for (const FieldIssue& i : saved->issues) typed.issue += (typed.issue.empty() ? "" : " ") + i.message;
    if (!typing) return Fail(res, lang, Status::InvalidArgument(typed.issue));
  }
  res.status = 422;
  Conflicts(req, res, nb, lang, typed);
}

}  // namespace

void AddSyncPages(httplib::Server& svr, App& app) {
  const auto unlocked_page = Unlocked(app, [&app](auto& req, auto& res, Notebook& nb, const std::string& lang) {
    SyncPage(req, res, nb, lang, app);
  });
  svr.Get("/sync", [&app, unlocked_page](const httplib::Request& req, httplib::Response& res) {
    const SyncSnapshot snap = app.sync->Snapshot();
    if (!snap.running || app.lock_wanted) return unlocked_page(req, res);
    res.set_content(RunningPage(snap, LangOf(req, app)), kHtml);
  });
  svr.Post("/sync", [&app](const httplib::Request&, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(app.mu);
      LockIfWanted(app);
      if (app.nb) app.sync->Start();  // locked: /sync answers the unlock page
    }
    (void)app.sync->WaitWhileRunning(1500);
    SeeOther(res, "/sync");
  });
  svr.Get("/conflicts", Unlocked(app, [](auto& req, auto& res, Notebook& nb, const std::string& lang) {
            Conflicts(req, res, nb, lang);
          }));
  svr.Post("/conflicts", Unlocked(app, Resolve));
}

std::string LastSyncLine(Notebook& nb, const std::string& lang) {
  auto state = nb.GetSyncState();
  auto waiting = nb.OutboxCount();
  if (!state.ok() || !waiting.ok()) return "";
  return LastSyncText(state->last_sync_ms, *waiting, lang);
}

}  // namespace sotay::shell::ui
