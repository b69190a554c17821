// `sotay new`, `resume` and `drafts`: the interview a worker answers question by
// question (interview_steps.h asks each one), kept as a sealed draft after every
// answer, then saved as a record with its repeats offered after it. A child's profile
// that resembles one already in the notebook is saved only when the worker says so.
// A link field (links.h) is answered by picking a profile from the register, or by
// creating it on the spot with its own interview.
#include <iostream>
#include <optional>

#include "duplicate_warning.h"
#include "interview_steps.h"
#include "sotay/links.h"
#include "sotay/read_file.h"
#include "sotay/presentation.h"
#include "sotay/text.h"

namespace sotay::shell {

namespace {

enum class Ended { kFinished, kInterrupted };

int RunNew(Context& ctx, Notebook& nb, Draft draft, const std::string& commune = "",
           std::string* saved_id = nullptr, bool offer_repeats = true);

// A link field's answer picked from the register, starting from `line` (not empty):
// a number from the list shown, a record id, '+' to create the profile now, or
// words to search; Enter after a list leaves it empty. nullopt when input ends.
std::optional<std::string> PickLinked(Context& ctx, Notebook& nb, const Field& f, std::string line,
                                      const std::string& commune) {
  std::vector<std::string> listed;
  for (;;) {
    const bool number = !line.empty() && line.size() < 4 && line.find_first_not_of("0123456789") == std::string::npos;
    if (line.empty() || line == "-") return std::string();
    if (line == "+") {
      Draft created;
      created.form = f.link;
      std::string id;
      const int code = RunNew(ctx, nb, created, commune, &id, /*offer_repeats=*/false);
      if (!id.empty()) return id;
      if (code == kDraftSaved) return std::nullopt;  // stopped inside: the case waits as a draft too
    } else if (number && std::stoul(line) >= 1 && std::stoul(line) <= listed.size()) {
      return listed[std::stoul(line) - 1];
    } else if (IsLinkShaped(line)) {
      auto id = ResolveLinkAnswer(nb, f, line);
      if (id.ok()) return *id;
      std::cout << "  ✗ " << f.name << ": " << id.status().message() << "\n";
    } else {
      auto found = ShowLinkMatches(ctx, nb, f, line);
      if (!found.ok()) {
        Fail(ctx, found.status());
        return std::nullopt;
      }
      listed = std::move(found).value();
      if (listed.empty()) std::cout << Tr(ctx, "    Không tìm thấy.\n", "    None found.\n");
    }
    std::cout << Tr(ctx, "Chọn số, tìm lại, '+' để lập hồ sơ mới, Enter để bỏ trống\n> ",
                    "Pick a number, search again, '+' to create the profile, Enter to leave it empty\n> ")
              << std::flush;
    if (!ReadLine(line)) return std::nullopt;
    line = Trim(line);
  }
}

// Answers a picked profile offers the fields after its link (links.h), as defaults.
Answers OfferedBy(Notebook& nb, const Form& form, const std::string& profile_id) {
  auto profile = nb.Get(profile_id);
  if (!profile.ok()) return {};
  auto pf = nb.FindForm(profile->form, profile->version);
  if (!pf.ok()) return {};
  return OfferedFromProfile(form, **pf, profile->shown);
}

// Asks until the interview is done or input ends. The draft is saved after every answer.
Ended Run(Context& ctx, Notebook& nb, Interview& iv, Draft& draft, const std::string& commune) {
  std::cout << Tr(ctx, "Gõ '<' để quay lại câu trước; Ctrl-D hoặc Ctrl-C để lưu nháp và dừng.\n",
                  "Type '<' to go back; Ctrl-D or Ctrl-C saves a draft and stops.\n");
  int number = 1;
  Answers offered;  // from a profile picked for a link field
  while (const Field* f = iv.Current()) {
    auto offer = offered.find(f->name);
    const std::string offered_here = offer == offered.end() ? "" : offer->second;
    ShowField(ctx, iv, *f, number, offered_here);
    if (f->type == FieldType::kNote || f->type == FieldType::kRepeat || f->read_only) {
      iv.Answer("");
      continue;
    }
    if (f->type == FieldType::kImage || f->type == FieldType::kFile) {
      // A file is attached to the saved record (`sotay attach`), so typing a path here
      // cannot leave bytes behind an interview that is then abandoned.
      std::cout << Tr(ctx, "    (đính kèm sau khi lưu: sotay attach MÃ_HỒ_SƠ ", "    (attach after saving: sotay attach RECORD_ID ")
                << f->name << Tr(ctx, " TỆP)\n", " FILE)\n");
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
    if (line.empty()) typed = iv.Suggested().empty() ? offered_here : iv.Suggested();
    else if (line == "-") typed.clear();
    else if (f->type == FieldType::kSelectOne || f->type == FieldType::kSelectMultiple) {
      typed = ChoiceInput(iv.form(), *f, iv, line);
    } else if (!f->link.empty()) {
      auto picked = PickLinked(ctx, nb, *f, line, commune);
      if (!picked) {
        std::cout << "\n";
        return Ended::kInterrupted;
      }
      typed = *picked;
    }
    if (auto issue = iv.Answer(typed)) {
      std::cout << "  ✗ " << issue->message << "\n";
      continue;
    }
    if (!f->link.empty() && !typed.empty()) {
      for (auto& [field, value] : OfferedBy(nb, iv.form(), typed)) offered[field] = value;
    }
    ++number;
    draft.answers = iv.answers();
    draft.trail = iv.trail();
    // A failed save is said at once (the draft and the reason), not only when the
    // interview stops: the worker then knows the answers so far are not kept yet.
    Status s = nb.drafts().Save(draft);
    if (!s.ok()) {
      std::cerr << "sotay: " << Tr(ctx, "không lưu được bản nháp ", "could not save draft ") << draft.id << ": "
                << s.ToString() << "\n";
    }
  }
  return Ended::kFinished;
}

int Interrupted(const Context& ctx, const Draft& draft) {
  std::cout << Tr(ctx, "Đã lưu nháp ", "Draft saved as ") << draft.id
            << Tr(ctx, ". Tiếp tục bằng: sotay resume ", ". Continue with: sotay resume ") << draft.id << "\n";
  return kDraftSaved;
}

bool SaidYes(const std::string& line) {
  const std::string a = FoldForSearch(Trim(line));
  return a == "c" || a == "co" || a == "y" || a == "yes";
}

// Before a profile is saved: when it resembles one in the notebook, names it and asks.
// kOk to save; otherwise the answers stay a draft and the exit code says so.
int ConfirmNotTwice(Context& ctx, Notebook& nb, const Form& form, Draft& draft) {
  auto matches = MatchingProfiles(ctx, nb, form, draft.answers);
  if (!matches.ok()) return Fail(ctx, matches.status());
  if (matches->empty()) return kOk;
  std::cout << "\n"
            << Tr(ctx, "Trẻ này có thể đã có hồ sơ trong sổ tay:\n", "This child may already have a record here:\n");
  PrintProfileMatches(ctx, *matches, std::cout);
  std::cout << Tr(ctx, "Vẫn lưu? (c/k) ", "Save anyway? (y/n) ") << std::flush;
  std::string line;
  if (ReadLine(line) && SaidYes(line)) return kOk;
  Status s = nb.drafts().Save(draft);
  if (!s.ok()) return Fail(ctx, s.Annotate("keep the answers as a draft"));
  std::cout << Tr(ctx, "Chưa lưu hồ sơ. ", "The record was not saved. ");
  return Interrupted(ctx, draft);
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

int RunNew(Context& ctx, Notebook& nb, Draft draft, const std::string& commune, std::string* saved_id,
           bool offer_repeats) {
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
  if (Run(ctx, nb, iv, draft, commune) == Ended::kInterrupted) {
    draft.answers = iv.answers();
    draft.trail = iv.trail();
    Status s = nb.drafts().Save(draft);
    if (!s.ok()) return Fail(ctx, s.Annotate("draft " + draft.id));
    return Interrupted(ctx, draft);
  }
  if (draft.parent.empty()) {
    draft.answers = iv.answers();
    draft.trail = iv.trail();
    if (int code = ConfirmNotTwice(ctx, nb, form, draft); code != kOk) return code;
  }
  auto saved = nb.CreateRecord(form.id, iv.answers(), draft.parent, ctx.lang, commune);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    std::cerr << Tr(ctx, "Chưa lưu được hồ sơ:\n", "The record was not saved:\n");
    PrintFieldIssues(ctx, form, saved->issues);
    // The answers stay a draft to correct, and the worker must know whether they did.
    draft.answers = iv.answers();
    draft.trail = iv.trail();
    Status s = nb.drafts().Save(draft);
    if (!s.ok()) return Fail(ctx, s.Annotate("keep the answers as a draft"));
    Interrupted(ctx, draft);
    return kInvalid;
  }
  std::cout << "\n" << Tr(ctx, "Đã lưu hồ sơ ", "Saved record ") << saved->id << "\n";
  if (!draft.id.empty()) {
    // The record is saved; a draft left behind only needs saying, not failing the save.
    Status s = nb.drafts().Delete(draft.id);
    if (!s.ok()) {
      std::cerr << "sotay: " << Tr(ctx, "không xóa được bản nháp ", "could not delete draft ") << draft.id << ": "
                << s.ToString() << "\n";
    }
  }
  if (saved_id != nullptr) *saved_id = saved->id;
  return offer_repeats ? OfferRepeats(ctx, nb, form, saved->id) : kOk;
}

// The answers in an --answers file, a JSON object of field names to values, by the one rule every client shares (AnswersFromJson).
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
  bool allow_duplicate = false;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    if (a == "--parent" && i + 1 < ctx.args.size()) parent = ctx.args[++i];
    else if (a == "--commune" && i + 1 < ctx.args.size()) commune = ctx.args[++i];
    else if (a == "--answers" && i + 1 < ctx.args.size()) answers_file = ctx.args[++i];
    else if (a == "--allow-duplicate") allow_duplicate = true;
    else if (form_id.empty() && a[0] != '-') form_id = a;
    else {
      std::cerr << "sotay new: " << Tr(ctx, "không hiểu '", "unexpected '") << a << "'\n";
      return kUsage;
    }
  }
  if (form_id.empty()) {
    std::cerr << Tr(ctx, "Cách dùng: sotay new BIỂU_MẪU [--commune MÃ_XÃ] [--parent MÃ] [--answers TỆP.json "
                         "[--allow-duplicate]]\n",
                    "Usage: sotay new FORM [--commune CODE] [--parent ID] [--answers FILE.json [--allow-duplicate]]\n");
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
  // A link names a record in this notebook: its full id is what is kept.
  for (const Field* f : LinkFields(**form)) {
    auto it = answers->find(f->name);
    if (it == answers->end() || it->second.empty()) continue;
    auto id = ResolveLinkAnswer(*nb, *f, it->second);
    if (!id.ok() && id.status().code() != Status::Code::kNotFound && id.status().code() != Status::Code::kInvalidArgument) {
      return Fail(ctx, id.status());
    }
    if (!id.ok()) {
      std::cerr << answers_file << Tr(ctx, ": hồ sơ chưa được lưu:\n", ": the record was not saved:\n");
      PrintFieldIssues(ctx, **form, {FieldIssue{f->name, id.status().message()}});
      return kInvalid;
    }
    it->second = *id;
  }
  if (!allow_duplicate && parent.empty()) {
    // No one to ask: a child already in the notebook is saved again only when told.
    auto matches = MatchingProfiles(ctx, *nb, **form, *answers);
    if (!matches.ok()) return Fail(ctx, matches.status());
    if (!matches->empty()) {
      std::cerr << answers_file
                << Tr(ctx, ": hồ sơ chưa được lưu: trẻ này có thể đã có hồ sơ trong sổ tay:\n",
                      ": the record was not saved: this child may already have a record here:\n");
      PrintProfileMatches(ctx, *matches, std::cerr);
      std::cerr << Tr(ctx, "Thêm --allow-duplicate để vẫn lưu.\n", "Add --allow-duplicate to save it anyway.\n");
      return kInvalid;
    }
  }
  auto saved = nb->CreateRecord(form_id, *answers, parent, ctx.lang, commune);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    std::cerr << answers_file << Tr(ctx, ": hồ sơ chưa được lưu:\n", ": the record was not saved:\n");
    PrintFieldIssues(ctx, **form, saved->issues);
    return kInvalid;
  }
  std::cout << saved->id << "\n";
  return kOk;
}

int CmdResume(Context& ctx) {
  if (ctx.args.size() != 1) {
    std::cerr << Tr(ctx, "Cách dùng: sotay resume MÃ_NHÁP\n", "Usage: sotay resume DRAFT_ID\n");
    return kUsage;
  }
  int code = kOk;
  auto nb = OpenNotebook(ctx, code);
  if (!nb) return code;
  auto draft = nb->drafts().Get(ctx.args[0]);
  if (!draft.ok()) return Fail(ctx, draft.status());
  if (!draft->record.empty()) {
    // An edit begun in `sotay ui`: finished here it would make a second record.
    std::cerr << "sotay resume: " << Tr(ctx, "bản nháp này sửa hồ sơ ", "this draft edits record ") << ShortId(draft->record)
              << Tr(ctx, ": hãy tiếp tục trong sotay ui\n", ": continue it in sotay ui\n");
    return kNotAllowed;
  }
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
  auto drafts = nb->drafts().List();
  if (!drafts.ok()) return Fail(ctx, drafts.status());
  if (drafts->empty()) std::cout << Tr(ctx, "Không có bản nháp.\n", "No drafts.\n");
  for (const Draft& d : *drafts) {
    std::cout << EscapeForTerminal(d.id) << "  " << EscapeForTerminal(d.form) << "  " << FormatTime(d.updated_ms) << "  "
              << d.answers.size() << Tr(ctx, " câu đã trả lời\n", " answers\n");
  }
  return kOk;
}

}  // namespace sotay::shell
