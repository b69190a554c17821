// `sotay ui`'s transfer page: the family moved to another commune of the district, so
// the child's profile and the records that go with it move there (as `sotay
// transfer`; both judge it by transfer_plan.h). The page says what moves and that it
// leaves this device after the next sync, and asks for the receiving commune: from
// the communes the device knows, or its code typed (a commune device knows only its
// own; the district gives the code).
#include "../transfer_plan.h"
#include "sotay/lang.h"
#include "ui_app.h"
#include "ui_html.h"

namespace sotay::shell::ui {

namespace {

void Problem(httplib::Response& res, const std::string& lang, const Status& s) {
  res.status = s.code() == Status::Code::kNotFound ? 404 : s.code() == Status::Code::kFailedPrecondition ? 409 : 500;
  res.set_content(Page(lang, Pick(lang, "Không chuyển được", "Cannot transfer"),
                       "<p class=\"issue\" id=\"issue\" role=\"alert\">" + Esc(s.message()) + "</p>", true, "/"),
                  "text/html; charset=utf-8");
}

// The page; `issue` when the commune given was refused, `typed` what was typed.
std::string TransferPage(const Context& ctx, const Notebook& nb, const TransferPlan& plan, const std::string& typed,
                         const std::string& issue) {
  const std::string& lang = ctx.lang;
  const std::string& id = plan.view.id;
  const std::string who = plan.name.empty() ? ShortId(id) : plan.name;
  std::string body = "<section class=\"group\" id=\"transfer\"><dl class=\"answers\"><dt>" +
                     std::string(Pick(lang, "Từ", "From")) + "</dt><dd id=\"from\">" +
                     Esc(CommuneText(ctx, nb, plan.view.area)) + "</dd><dt>" +
                     Pick(lang, "Cùng hồ sơ liên quan", "With linked records") + "</dt><dd id=\"moving\">" +
                     std::to_string(plan.moving.size() - 1) + "</dd></dl><p class=\"hint\">" +
                     Pick(lang,
                          "Sau lần đồng bộ tới, các hồ sơ này chuyển cho xã nhận và không còn trên máy này. Trẻ "
                          "chuyển sang tỉnh khác thì không chuyển ở đây: hãy sửa trạng thái đăng ký thành \"Chuyển đi nơi khác\".",
                          "After the next sync these records go to the receiving commune and leave this device. A "
                          "child moving to another province is not transferred here: edit the register status to "
                          "\"Moved to another commune\".") +
                     "</p><form method=\"post\" action=\"/record/" + Esc(id) + "/transfer\">";
  std::string options;
  for (const Commune& c : nb.communes()) {
    if (c.code == plan.view.area) continue;
    options += "<option value=\"" + Esc(c.code) + "\"" + (c.code == typed ? " selected" : "") + ">" +
               Esc(c.name.empty() ? c.code : c.name) + " (" + Esc(c.code) + ")</option>";
  }
  if (!options.empty()) {
    body += "<label class=\"q\" for=\"to\">" + std::string(Pick(lang, "Xã nhận", "Receiving commune")) +
            "</label><select id=\"to\" name=\"to\"><option value=\"\"></option>" + options + "</select>";
  }
  body += "<label class=\"q\" for=\"code\">" +
          std::string(options.empty() ? Pick(lang, "Mã xã nhận", "The receiving commune's code")
                                      : Pick(lang, "hoặc gõ mã xã", "or type its code")) +
          "</label><input id=\"code\" name=\"code\" autocomplete=\"off\" maxlength=\"16\" value=\"" +
          Esc(options.empty() ? typed : "") + "\"" + (issue.empty() ? "" : " aria-invalid=\"true\"") + ">";
  if (!issue.empty()) body += "<p class=\"issue\" id=\"issue\" role=\"alert\">" + Esc(issue) + "</p>";
  body += "<div class=\"actions\"><button>" + std::string(Pick(lang, "Chuyển", "Transfer")) +
          "</button><a class=\"button secondary\" href=\"/record/" + Esc(id) + "\">" + Pick(lang, "Thôi", "Cancel") +
          "</a></div></form></section>";
  return Page(lang, std::string(Pick(lang, "Chuyển xã: ", "Transfer: ")) + who, body, true,
              "/record/" + id + "/transfer");
}

// The record of the address and what its transfer would move; false (the answer
// written) when there is none or it cannot move.
bool Plan(const httplib::Request& req, httplib::Response& res, Notebook& nb, const Context& ctx, TransferPlan& plan) {
  auto id = nb.ResolveId(req.matches[1]);
  auto planned = id.ok() ? PlanTransfer(ctx, nb, *id) : Result<TransferPlan>(id.status());
  if (!planned.ok()) {
    Problem(res, ctx.lang, planned.status());
    return false;
  }
  plan = std::move(planned).value();
  return true;
}

void Show(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  Context ctx;
  ctx.lang = lang;
  TransferPlan plan;
  if (!Plan(req, res, nb, ctx, plan)) return;
  res.set_content(TransferPage(ctx, nb, plan, "", ""), "text/html; charset=utf-8");
}

void Move(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  Context ctx;
  ctx.lang = lang;
  TransferPlan plan;
  if (!Plan(req, res, nb, ctx, plan)) return;
  const std::string code = req.get_param_value("code");
  const std::string to = code.empty() ? req.get_param_value("to") : code;
  Status checked = to.empty() ? Status::InvalidArgument(Pick(lang, "Hãy chọn hoặc gõ mã xã nhận.",
                                                             "Choose or type the receiving commune's code."))
                              : CheckTransferTo(ctx, nb, plan, to);
  if (!checked.ok()) {
    res.status = 422;
    return res.set_content(TransferPage(ctx, nb, plan, to, checked.message()), "text/html; charset=utf-8");
  }
  auto moved = nb.Transfer(plan.view.id, to);
  if (!moved.ok()) return Problem(res, lang, moved.status());
  SeeOther(res, "/record/" + plan.view.id);
}

}  // namespace

void AddTransferPages(httplib::Server& svr, App& app) {
  svr.Get(R"(/record/([0-9a-f-]+)/transfer)", Unlocked(app, Show));
  svr.Post(R"(/record/([0-9a-f-]+)/transfer)", Unlocked(app, Move));
}

}  // namespace sotay::shell::ui
