// `sotay new`, `resume`, `drafts` and the interactive `edit`: the interview a
// worker answers question by question, kept as a sealed draft after every answer.
#include <iostream>
#include <sstream>

#include <iterator>

#include "shell.h"
#include "sotay/interview.h"
#include "sotay/read_file.h"
#include "sotay/presentation.h"
#include "sotay/text.h"

namespace sotay::shell {

namespace {

enum class Ended { kFinished, kInterrupted };

// Turns "2" into the second offered choice's name; names pass through.
std::string ChoiceInput(const Form& form, const Field& f, const Interview& iv, const std::string& typed) {
  std::vector<const Choice*> offered = AvailableChoices(form, f, iv.answers(), iv.env());
  std::string out;
  std::string normalized = typed;
  for (char& c : normalized) {
    if (c == ',') c = ' ';
  }
  std::istringstream words(normalized);
  std::string w;
  while (words >> w) {
    bool number = !w.empty() && w.find_first_not_of("0123456789") == std::string::npos && w.size() < 4;
    size_t n = number ? std::stoul(w) : 0;
    std::string name = number && n >= 1 && n <= offered.size() ? offered[n - 1]->name : w;
    out += (out.empty() ? "" : " ") + name;
  }
  return out;
}

void ShowField(const Context& ctx, const Interview& iv, const Field& f, int number) {
  const Form& form = iv.form();
  for (const std::string& g : iv.GroupsOpened()) {
    auto it = form.groups.find(g);
    std::string label = it != form.groups.end() ? it->second.label.Get(ctx.lang) : g;
    if (!label.empty()) std::cout << "\n== " << label << " ==\n";
  }
  if (f.type == FieldType::kNote) {
    std::cout << "\n" << f.label.Get(ctx.lang) << "\n";
    return;
  }
  const bool required = f.required || f.required_if;
  std::cout << "\n(" << number << ") " << f.label.Get(ctx.lang) << (required ? " *" : "") << "\n";
  if (!f.hint.empty()) std::cout << "    " << f.hint.Get(ctx.lang) << "\n";
  if (f.type == FieldType::kSelectOne || f.type == FieldType::kSelectMultiple) {
    std::vector<const Choice*> offered = AvailableChoices(form, f, iv.answers(), iv.env());
    for (size_t i = 0; i < offered.size(); ++i) {
      std::cout << "    " << (i + 1) << ". " << offered[i]->label.Get(ctx.lang) << "\n";
    }
    if (f.type == FieldType::kSelectMultiple) {
      std::cout << "    " << Tr(ctx, "(chọn nhiều: ghi các số cách nhau bởi dấu cách)",
                                "(several: numbers separated by spaces)") << "\n";
    }
  }
  std::string suggested = iv.Suggested();
  if (!suggested.empty()) {
    std::cout << "    [" << EscapeForTerminal(AnswerText(form, f, suggested, ctx.lang)) << "] "
              << Tr(ctx, "(Enter để giữ, '-' để xóa)", "(Enter keeps it, '-' clears it)") << "\n";
  }
}

// Asks until the interview is done or input ends. The draft is saved after every answer.
Ended Run(const Context& ctx, Notebook& nb, Interview& iv, Draft& draft) {
  std::cout << Tr(ctx, "Gõ '<' để quay lại câu trước; Ctrl-D hoặc Ctrl-C để lưu nháp và dừng.\n",
                  "Type '<' to go back; Ctrl-D or Ctrl-C saves a draft and stops.\n");
  int number = 1;
  while (const Field* f = iv.Current()) {
    ShowField(ctx, iv, *f, number);
    if (f->type == FieldType::kNote || f->type == FieldType::kRepeat || f->read_only) {
      iv.Answer("");
      continue;
    }
    std::cout << "> " << std::flush;
    std::string line;
    if (!ReadLine(line)) {
      std::cout << "\n";
      return Ended::kInterrupted;
    }
    line = Trim(line);
    if (line == "<") {
      if (iv.Back()) --number;
      else std::cout << Tr(ctx, "Đây là câu đầu tiên.\n", "This is the first question.\n");
      continue;
    }
    std::string typed = line;
    if (line.empty()) typed = iv.Suggested();
    else if (line == "-") typed.clear();
    else if (f->type == FieldType::kSelectOne || f->type == FieldType::kSelectMultiple) {
      typed = ChoiceInput(iv.form(), *f, iv, line);
    }
    if (auto issue = iv.Answer(typed)) {
      std::cout << "  ✗ " << issue->message << "\n";
      continue;
    }
    ++number;
    draft.answers = iv.answers();
    draft.trail = iv.trail();
    Status s = nb.SaveDraft(draft);
    if (!s.ok()) std::cerr << "sotay: " << s.ToString() << "\n";
  }
  return Ended::kFinished;
}

int Interrupted(const Context& ctx, const Draft& draft) {
  std::cout << Tr(ctx, "Đã lưu nháp ", "Draft saved as ") << draft.id
            << Tr(ctx, ". Tiếp tục bằng: sotay resume ", ". Continue with: sotay resume ") << draft.id << "\n";
  return kDraftSaved;
}

void PrintIssues(const Context& ctx, const Form& form, const std::vector<FieldIssue>& issues) {
  for (const FieldIssue& i : issues) {
    const Field* f = form.FindField(i.field);
    std::cerr << "  " << Tr(ctx, "trường ", "field ") << "'" << i.field << "'";
    if (f != nullptr) std::cerr << " (" << f->label.Get(ctx.lang) << ")";
    std::cerr << ": " << i.message << "\n";
  }
}

int RunNew(Context& ctx, Notebook& nb, Draft draft, const std::string& commune = "");

void ListCommunes(const Notebook& nb) {
  for (size_t i = 0; i < nb.communes().size(); ++i) {
    const Commune& c = nb.communes()[i];
    std::cerr << "  " << (i + 1) << ". " << c.code << "  " << c.name << "\n";
  }
}

// After a record is saved: offer its repeats (home visits...) as child records.
int OfferRepeats(Context& ctx, Notebook& nb, const Form& form, const std::string& record_id) {
  for (const Field& f : form.fields) {
    if (f.type != FieldType::kRepeat) continue;
    for (;;) {
      std::cout << "\n" << Tr(ctx, "Thêm một mục «", "Add an entry «") << f.label.Get(ctx.lang)
                << Tr(ctx, "»? (c/k) ", "»? (y/n) ") << std::flush;
      std::string line;
      if (!ReadLine(line)) return kOk;
      std::string a = FoldForSearch(line);
      if (a != "c" && a != "co" && a != "y" && a != "yes") break;
      Draft child;
      child.form = f.repeat_form;
      child.version = form.version;
      child.parent = record_id;
      int code = RunNew(ctx, nb, child);
      if (code != kOk) return code;
    }
  }
  return kOk;
}

int RunNew(Context& ctx, Notebook& nb, Draft draft, const std::string& commune) {
  auto found = nb.FindForm(draft.form, draft.version);
  if (!found.ok()) return Fail(ctx, found.status());
  const Form& form = **found;
  CheckEnv env = nb.MakeEnv(ctx.lang);
  RecordView parent;
  if (!draft.parent.empty()) {
    auto p = nb.Get(draft.parent);
    if (!p.ok()) return Fail(ctx, p.status());
    parent = std::move(p).value();
    auto pf = nb.FindForm(parent.form, parent.version);
    if (!pf.ok()) return Fail(ctx, pf.status());
    env.parent_form = *pf;
    env.parent_answers = &parent.shown;
  }
  draft.version = form.version;
  Interview iv(form, draft.answers, env);
  if (!draft.trail.empty()) iv.Restore(draft.trail);
  std::cout << "\n" << form.title.Get(ctx.lang) << " (" << form.id << ", "
            << Tr(ctx, "phiên bản ", "version ") << form.version << ")\n";
  if (Run(ctx, nb, iv, draft) == Ended::kInterrupted) {
    draft.answers = iv.answers();
    draft.trail = iv.trail();
    Status s = nb.SaveDraft(draft);
    if (!s.ok()) return Fail(ctx, s);
    return Interrupted(ctx, draft);
  }
  auto saved = nb.CreateRecord(form.id, iv.answers(), draft.parent, ctx.lang, commune);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    std::cerr << Tr(ctx, "Chưa lưu được hồ sơ:\n", "The record was not saved:\n");
    PrintIssues(ctx, form, saved->issues);
    // The answers stay a draft to correct, and the worker must know whether they did.
    draft.answers = iv.answers();
    draft.trail = iv.trail();
    Status s = nb.SaveDraft(draft);
    if (!s.ok()) return Fail(ctx, s.Annotate("keep the answers as a draft"));
    Interrupted(ctx, draft);
    return kInvalid;
  }
  std::cout << "\n" << Tr(ctx, "Đã lưu hồ sơ ", "Saved record ") << saved->id << "\n";
  if (!draft.id.empty()) {
    // The record is saved; a draft left behind only needs saying, not failing the save.
    Status s = nb.DeleteDraft(draft.id);
    if (!s.ok()) {
      std::cerr << "sotay: " << Tr(ctx, "không xóa được bản nháp ", "could not delete draft ") << draft.id << ": "
                << s.ToString() << "\n";
    }
  }
  return OfferRepeats(ctx, nb, form, saved->id);
}

// Reads an --answers file: a JSON object of field names to values.
// The answers in a JSON file, by the one rule every client shares (AnswersFromJson).
Result<Answers> ReadAnswersFile(const Context& ctx, const Form& form, const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return Status::NotFound(path + ": " + Tr(ctx, "không mở được tệp", "cannot open the file"));
  auto answers = AnswersFromJson(form, *text, ctx.lang);
  if (!answers.ok()) return Status::InvalidArgument(path + ": " + answers.status().message());
  return answers;
}

}  // namespace

int CmdNew(Context& ctx) {
  std::string form_id, parent, answers_file, commune;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    if (a == "--parent" && i + 1 < ctx.args.size()) parent = ctx.args[++i];
    else if (a == "--commune" && i + 1 < ctx.args.size()) commune = ctx.args[++i];
    else if (a == "--answers" && i + 1 < ctx.args.size()) answers_file = ctx.args[++i];
    else if (form_id.empty() && a[0] != '-') form_id = a;
    else {
      std::cerr << "sotay new: " << Tr(ctx, "không hiểu '", "unexpected '") << a << "'\n";
      return kUsage;
    }
  }
  if (form_id.empty()) {
    std::cerr << Tr(ctx, "Cách dùng: sotay new BIỂU_MẪU [--commune MÃ_XÃ] [--parent MÃ] [--answers TỆP.json]\n",
                    "Usage: sotay new FORM [--commune CODE] [--parent ID] [--answers FILE.json]\n");
    return kUsage;
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  if (!parent.empty()) {
    auto id = nb->ResolveId(parent);
    if (!id.ok()) return Fail(ctx, id.status());
    parent = *id;
  }
  // A repeat's entry lives in its parent's commune; any other record names one the
  // user may edit before a question is asked.
  if (parent.empty()) {
    commune = ChooseCommune(ctx, *nb, commune, answers_file.empty(), code);
    if (code != kOk) return code;
  } else if (!commune.empty()) {
    std::cerr << "sotay new: " << Tr(ctx, "--commune không dùng với --parent: mục mới thuộc xã của hồ sơ cha\n",
                                     "--commune does not go with --parent: an entry belongs to its parent's commune\n");
    return kUsage;
  }
  if (answers_file.empty()) {
    Draft draft;
    draft.form = form_id;
    draft.parent = parent;
    return RunNew(ctx, *nb, draft, commune);
  }
  auto form = nb->FindForm(form_id);
  if (!form.ok()) return Fail(ctx, form.status());
  auto answers = ReadAnswersFile(ctx, **form, answers_file);
  if (!answers.ok()) return Fail(ctx, answers.status());
  auto saved = nb->CreateRecord(form_id, *answers, parent, ctx.lang, commune);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    std::cerr << answers_file << Tr(ctx, ": hồ sơ chưa được lưu:\n", ": the record was not saved:\n");
    PrintIssues(ctx, **form, saved->issues);
    return kInvalid;
  }
  std::cout << saved->id << "\n";
  return kOk;
}

std::string ChooseCommune(const Context& ctx, const Notebook& nb, const std::string& given, bool may_ask,
                          int& exit_code) {
  exit_code = kOk;
  if (nb.communes().empty() && nb.role() == "district") {
    std::cerr << "sotay: " << Tr(ctx, "thiết bị chưa biết các xã mà bạn được ghi hồ sơ: hãy đồng bộ trước (sotay sync) "
                                      "để nhận danh sách xã\n",
                                 "this device does not know the communes you may record for yet: sync first "
                                 "(sotay sync) to learn the communes\n");
    exit_code = kNotAllowed;
    return "";
  }
  if (!given.empty()) {
    if (nb.CommuneForNewRecord(given).ok()) return given;
    std::cerr << "sotay: --commune " << given
              << Tr(ctx, ": không phải xã bạn được ghi hồ sơ. Các xã:\n", ": not a commune you may record for. The communes:\n");
    ListCommunes(nb);
    exit_code = kUsage;
    return "";
  }
  if (!nb.NeedsCommuneChoice()) return "";
  if (!may_ask) {
    std::cerr << "sotay: " << Tr(ctx, "khu vực của thiết bị (", "this device's area (") << nb.area()
              << Tr(ctx, ") không phải là xã: hãy ghi hồ sơ thuộc xã nào bằng --commune MÃ_XÃ. Các xã:\n",
                    ") is not a commune: name the record's commune with --commune CODE. The communes:\n");
    ListCommunes(nb);
    exit_code = kUsage;
    return "";
  }
  std::cout << Tr(ctx, "Hồ sơ này thuộc xã nào?\n", "Which commune does this record belong to?\n");
  for (size_t i = 0; i < nb.communes().size(); ++i) {
    std::cout << "    " << (i + 1) << ". " << nb.communes()[i].name << " (" << nb.communes()[i].code << ")\n";
  }
  for (;;) {
    std::cout << "> " << std::flush;
    std::string line;
    if (!ReadLine(line)) {
      std::cout << "\n" << Tr(ctx, "Chưa chọn xã; không có gì được lưu.\n", "No commune chosen; nothing was saved.\n");
      exit_code = kUsage;
      return "";
    }
    line = Trim(line);
    const bool number = !line.empty() && line.size() < 4 && line.find_first_not_of("0123456789") == std::string::npos;
    const size_t n = number ? std::stoul(line) : 0;
    if (number && n >= 1 && n <= nb.communes().size()) return nb.communes()[n - 1].code;
    for (const Commune& c : nb.communes()) {
      if (c.code == line) return c.code;
    }
    std::cout << "  ✗ " << Tr(ctx, "hãy ghi số thứ tự hoặc mã xã trong danh sách\n",
                              "type a number or a commune code from the list\n");
  }
}

int CmdResume(Context& ctx) {
  if (ctx.args.size() != 1) {
    std::cerr << Tr(ctx, "Cách dùng: sotay resume MÃ_NHÁP\n", "Usage: sotay resume DRAFT_ID\n");
    return kUsage;
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  auto draft = nb->GetDraft(ctx.args[0]);
  if (!draft.ok()) return Fail(ctx, draft.status());
  std::string commune;
  if (draft->parent.empty()) {  // asked now, not after every question is answered
    commune = ChooseCommune(ctx, *nb, "", true, code);
    if (code != kOk) return code;
  }
  return RunNew(ctx, *nb, *draft, commune);
}

int CmdDrafts(Context& ctx) {
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  auto drafts = nb->Drafts();
  if (!drafts.ok()) return Fail(ctx, drafts.status());
  if (drafts->empty()) std::cout << Tr(ctx, "Không có bản nháp.\n", "No drafts.\n");
  for (const Draft& d : *drafts) {
    std::cout << EscapeForTerminal(d.id) << "  " << EscapeForTerminal(d.form) << "  " << FormatTime(d.updated_ms) << "  "
              << d.answers.size() << Tr(ctx, " câu đã trả lời\n", " answers\n");
  }
  return kOk;
}

// Asks every relevant question again with the current answers offered.
int EditInteractively(Context& ctx, Notebook& nb, const RecordView& view) {
  auto found = nb.FindForm(view.form, view.version);
  if (!found.ok()) return Fail(ctx, found.status());
  const Form& form = **found;
  Answers initial = view.shown;
  for (const Field& f : form.fields) {
    if (f.policy == MergePolicy::kAppend) initial.erase(f.name);  // a new note, not the old ones
  }
  // An interrupted edit changes nothing (edits are short; no draft is kept).
  Interview iv(form, initial, nb.MakeEnv(ctx.lang));
  std::cout << form.title.Get(ctx.lang) << " — " << view.id << "\n";
  while (const Field* f = iv.Current()) {
    ShowField(ctx, iv, *f, 0);
    if (!f->IsQuestion() || f->read_only) {
      iv.Answer("");
      continue;
    }
    std::cout << "> " << std::flush;
    std::string line;
    if (!ReadLine(line)) {
      std::cout << Tr(ctx, "\nĐã dừng; hồ sơ không thay đổi.\n", "\nStopped; the record is unchanged.\n");
      return kDraftSaved;
    }
    line = Trim(line);
    if (line == "<") {
      iv.Back();
      continue;
    }
    std::string typed = line.empty() ? iv.Suggested() : line == "-" ? "" : line;
    if (!line.empty() && line != "-" &&
        (f->type == FieldType::kSelectOne || f->type == FieldType::kSelectMultiple)) {
      typed = ChoiceInput(form, *f, iv, line);
    }
    if (auto issue = iv.Answer(typed)) std::cout << "  ✗ " << issue->message << "\n";
  }
  Answers changes = iv.answers();
  for (const auto& [name, value] : view.shown) {
    if (!changes.count(name) && form.PolicyOf(name) != MergePolicy::kAppend) changes[name] = "";
  }
  auto saved = nb.EditRecord(view.id, changes, ctx.lang);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    PrintIssues(ctx, form, saved->issues);
    return kInvalid;
  }
  std::cout << Tr(ctx, "Đã lưu ", "Saved ") << saved->edits << Tr(ctx, " thay đổi.\n", " changes.\n");
  return kOk;
}

}  // namespace sotay::shell
