// `sotay ui`'s sync and conflicts: a sync with the server the notebook is enrolled
// with, by the shell's own path (SyncWithServer, as `sotay sync`), what it sent and
// received, and the last successful sync; the fields where devices disagree, their
// values side by side, settled by picking one (Notebook::Resolve, as `sotay resolve`).
// A sync holds the notebook (App::mu) until it ends: other pages wait for it.
#include "sotay/edit_rules.h"
#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "ui_app.h"
#include "ui_html.h"

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

void SyncPage(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang,
              const App& app) {
  auto state = nb.GetSyncState();
  if (!state.ok()) return Fail(res, lang, state.status());
  auto waiting = nb.OutboxCount();
  if (!waiting.ok()) return Fail(res, lang, waiting.status());
  std::string body = "<section class=\"group\"><dl class=\"answers\"><dt>" +
                     std::string(Pick(lang, "Máy chủ", "Server")) + "</dt><dd>" +
                     Esc(state->server_url.empty() ? Pick(lang, "chưa đăng ký (sotay enroll)", "not enrolled (sotay enroll)")
                                                   : state->server_url) +
                     "</dd><dt>" + Pick(lang, "Thay đổi chờ gửi", "Changes waiting to be sent") + "</dt><dd id=\"waiting\">" +
                     std::to_string(*waiting) + "</dd></dl>";
  if (!app.last_sync.empty()) body += "<p id=\"outcome\" class=\"status\">" + Esc(app.last_sync) + "</p>";
  body += "<form method=\"post\" action=\"/sync\"><div class=\"actions\"><button autofocus>" +
          std::string(Pick(lang, "Đồng bộ ngay", "Sync now")) + "</button></div></form></section>";
  res.set_content(Page(lang, Pick(lang, "Đồng bộ", "Sync"), body, true, req.path), kHtml);
}

void SyncNow(httplib::Response& res, Notebook& nb, const std::string& lang, App& app) {
  auto run = SyncWithServer(nb, {});
  app.last_sync = run.ok() ? Outcome(*run, lang) : run.status().message();
  SeeOther(res, "/sync");
}

std::string Side(const Form* form, const std::string& field, const ConflictChoice& c,
                 size_t n, const std::string& lang) {
  std::string who;
  for (const Head* h : c.by) {
    who += (who.empty() ? "" : "; ") + std::string(Pick(lang, "người sửa ", "by ")) + (h->author.empty() ? "-" : h->author) +
           ", " + FormatTime(h->hlc.ms);
  }
  return "<label class=\"side\"><input type=\"radio\" name=\"value\" value=\"" + Esc(c.value) + "\"" +
         (n == 0 ? " checked" : "") + "> <strong>" + Esc(ValueText(form, field, c.value, lang)) + "</strong><br><span class=\"hint\">" +
         Esc(who) + "</span></label>";
}

void Conflicts(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
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
      body += "<section class=\"group conflict\" data-record=\"" + Esc(r.id) + "\" data-field=\"" + Esc(field) +
              "\"><h2><a href=\"/record/" + Esc(r.id) + "\">" + Esc(r.name.empty() ? ShortId(r.id) : r.name) + "</a> · " +
              Esc(FieldLabel(form, field, lang)) + "</h2><form method=\"post\" action=\"/conflicts\">"
              "<input type=\"hidden\" name=\"record\" value=\"" + Esc(r.id) + "\"><input type=\"hidden\" name=\"field\" value=\"" +
              Esc(field) + "\"><div class=\"sides\">";
      const std::vector<ConflictChoice> choices = ConflictChoices(v->state, field);
      for (size_t n = 0; n < choices.size(); ++n) body += Side(form, field, choices[n], n, lang);
      body += "</div><div class=\"actions\"><button>" + std::string(Pick(lang, "Giữ giá trị đã chọn", "Keep the value picked")) +
              "</button></div></form></section>";
    }
  }
  body = "<p id=\"count\">" + std::to_string(count) + Pick(lang, " xung đột", " conflicts") + "</p>" + body;
  res.set_content(Page(lang, Pick(lang, "Xung đột", "Conflicts"), body, true, req.path), kHtml);
}

void Resolve(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  auto saved = nb.Resolve(req.get_param_value("record"), req.get_param_value("field"), req.get_param_value("value"), lang);
  if (!saved.ok()) return Fail(res, lang, saved.status());
  if (!saved->ok()) {
    std::string why;
    for (const FieldIssue& i : saved->issues) why += i.field + ": " + i.message + "\n";
    return Fail(res, lang, Status::InvalidArgument(why));
  }
  SeeOther(res, "/conflicts");
}

}  // namespace

void AddSyncPages(httplib::Server& svr, App& app) {
  svr.Get("/sync", Unlocked(app, [&app](auto& req, auto& res, Notebook& nb, const std::string& lang) {
            SyncPage(req, res, nb, lang, app);
          }));
  svr.Post("/sync", Unlocked(app, [&app](auto&, auto& res, Notebook& nb, const std::string& lang) {
             SyncNow(res, nb, lang, app);
           }));
  svr.Get("/conflicts", Unlocked(app, Conflicts));
  svr.Post("/conflicts", Unlocked(app, Resolve));
}

std::string LastSyncLine(Notebook& nb, const std::string& lang) {
  auto state = nb.GetSyncState();
  auto waiting = nb.OutboxCount();
  if (!state.ok() || !waiting.ok()) return "";
  return std::string(Pick(lang, "Đồng bộ thành công lần cuối: ", "Last successful sync: ")) +
         (state->last_sync_ms > 0 ? FormatTime(state->last_sync_ms) : Pick(lang, "chưa lần nào", "never")) + " · " +
         std::to_string(*waiting) + Pick(lang, " thay đổi chờ gửi", " changes waiting");
}

}  // namespace sotay::shell::ui
