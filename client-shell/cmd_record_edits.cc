// `sotay edit`, `void` and `restore`: changing a saved record, by field=value on
// the command line or by asking its questions again (EditInteractively).
#include <iostream>

#include "interview_steps.h"
#include "record_output.h"
#include "sotay/interview.h"

namespace sotay::shell {

int CmdEdit(Context& ctx) {
  Opened o = OpenRecord(ctx, "Cách dùng: sotay edit MÃ [trường=giá_trị ...]", "Usage: sotay edit ID [field=value ...]");
  if (!o.nb) return o.code;
  auto v = o.nb->Get(o.id);
  if (!v.ok()) return Fail(ctx, v.status());
  if (ctx.args.size() == 1) return EditInteractively(ctx, *o.nb, *v);
  Answers changes;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "sotay edit: " << Tr(ctx, "cần trường=giá_trị, không phải '", "expected field=value, not '")
                << a.substr(0, a.find('=')) << "'\n";
      return kUsage;
    }
    changes[a.substr(0, eq)] = a.substr(eq + 1);
  }
  auto found = o.nb->FindForm(v->form, v->version);
  if (!found.ok()) return Fail(ctx, found.status());
  // A person may type a choice's label ("Nữ", "nu") instead of its name.
  for (auto& [name, value] : changes) {
    if (const Field* f = (*found)->FindField(name)) value = TypedValue(**found, *f, value);
  }
  auto saved = o.nb->EditRecord(o.id, changes, ctx.lang);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    PrintNotSaved(ctx, saved->issues);
    return kInvalid;
  }
  std::cout << Tr(ctx, "Đã lưu ", "Saved ") << saved->edits << Tr(ctx, " thay đổi.\n", " changes.\n");
  return kOk;
}

int CmdVoid(Context& ctx, bool restore) {
  Opened o = restore ? OpenRecord(ctx, "Cách dùng: sotay restore MÃ", "Usage: sotay restore ID")
                     : OpenRecord(ctx, "Cách dùng: sotay void MÃ", "Usage: sotay void ID");
  if (!o.nb) return o.code;
  Status s = restore ? o.nb->Restore(o.id) : o.nb->Void(o.id);
  if (!s.ok()) return Fail(ctx, s);
  std::cout << (restore ? Tr(ctx, "Đã khôi phục hồ sơ ", "Restored record ")
                        : Tr(ctx, "Đã hủy hồ sơ ", "Voided record "))
            << o.id << "\n";
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
  // Constraints check only what the edit changes: a child who has turned sixteen
  // keeps a birth date that was valid when entered (issue 14).
  CheckEnv env = nb.MakeEnv(ctx.lang);
  env.before = &view.shown;
  Interview iv(form, initial, env);
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
    PrintFieldIssues(ctx, form, saved->issues);
    return kInvalid;
  }
  std::cout << Tr(ctx, "Đã lưu ", "Saved ") << saved->edits << Tr(ctx, " thay đổi.\n", " changes.\n");
  return kOk;
}
}  // namespace sotay::shell
