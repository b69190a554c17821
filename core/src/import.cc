#include "sotay/import.h"

#include <nlohmann/json.hpp>

#include "answers_json.h"
#include "sotay/csv.h"
#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "sotay/register.h"
#include "sotay/text.h"

namespace sotay {

namespace {

bool SameText(const std::string& a, const std::string& b) { return FoldForSearch(a) == FoldForSearch(b); }

const Field* ColumnField(const Form& form, const std::string& column) {
  if (const Field* f = form.FindField(column)) return f->HoldsValue() ? f : nullptr;
  for (const Field& f : form.fields) {
    if (!f.HoldsValue()) continue;
    for (const auto& [lang, label] : f.label.by_lang) {
      if (SameText(label, column)) return &f;
    }
  }
  return nullptr;
}

ImportRow Check(const Form& form, size_t line, const Answers& raw, const CheckEnv& env) {
  ImportRow row;
  row.line = line;
  Checked checked = CheckAnswers(form, raw, env);
  row.answers = std::move(checked.answers);
  row.issues = std::move(checked.issues);
  return row;
}

}  // namespace

Result<std::vector<ImportRow>> PlanCsvImport(const Form& form, std::string_view text, const CheckEnv& env) {
  auto table = ParseCsv(text);
  if (!table.ok()) return table.status();
  std::vector<const Field*> columns;
  for (size_t i = 0; i < table->header.size(); ++i) {
    const std::string& name = table->header[i];
    if (name.empty()) {
      columns.push_back(nullptr);  // an unnamed column must stay empty; checked per row
      continue;
    }
    const Field* f = ColumnField(form, name);
    if (f == nullptr) {
      return Status::InvalidArgument("column " + std::to_string(i + 1) + " '" + name + "' is not a field of form '" +
                                     form.id + "' (use a field name or its label)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (columns[j] == f) {
        return Status::InvalidArgument("columns " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                                       " are both field '" + f->name + "'");
      }
    }
    columns.push_back(f);
  }
  std::vector<ImportRow> out;
  out.reserve(table->rows.size());
  for (const CsvRow& r : table->rows) {
    Answers raw;
    std::vector<FieldIssue> extra;
    for (size_t i = 0; i < r.cells.size(); ++i) {
      const std::string cell = Trim(r.cells[i]);
      if (cell.empty()) continue;
      if (i >= columns.size() || columns[i] == nullptr) {
        extra.push_back(FieldIssue{"#" + std::to_string(i + 1), Pick(env.lang, "có giá trị ở cột không có tên",
                                                                     "a value in a column without a heading")});
        continue;
      }
      raw[columns[i]->name] = AnswerFromCell(form, *columns[i], cell);
    }
    ImportRow row = Check(form, r.line, raw, env);
    row.issues.insert(row.issues.begin(), extra.begin(), extra.end());
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<ImportRow>> PlanJsonLinesImport(const Form& form, std::string_view text, const CheckEnv& env) {
  std::vector<ImportRow> out;
  size_t line = 0, start = 0;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view one = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (Trim(one).empty()) continue;
    nlohmann::json j = nlohmann::json::parse(one.begin(), one.end(), nullptr, false);
    ImportRow row;
    row.line = line;
    if (j.is_discarded() || !j.is_object()) {
      row.issues.push_back(
          FieldIssue{"", Pick(env.lang, "dòng này không phải một đối tượng JSON", "the line is not a JSON object")});
      out.push_back(std::move(row));
      continue;
    }
    Answers raw;
    std::vector<FieldIssue> shape;  // values of no allowed shape (a list for a date...)
    for (const auto& [k, v] : j.items()) {
      Status s = AnswerFromJson(form, k, v, env.lang, raw);
      if (!s.ok()) shape.push_back(FieldIssue{k, s.message()});
    }
    row = Check(form, line, raw, env);
    row.issues.insert(row.issues.begin(), shape.begin(), shape.end());
    out.push_back(std::move(row));
  }
  return out;
}

void MarkDuplicateRows(const Form& form, const std::vector<DuplicateProfile>& existing, std::vector<ImportRow>& rows) {
  if (!IsRegisterForm(form)) return;
  std::vector<size_t> row_of;  // incoming profile -> row
  std::vector<DuplicateProfile> incoming;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].issues.empty()) continue;  // not imported, so nothing to be a duplicate of
    row_of.push_back(i);
    incoming.push_back(ProfileFromAnswers("", rows[i].answers));
  }
  const auto matches = MatchNewProfiles(existing, incoming, DuplicateReason::kSameNameAndBirth);
  for (size_t k = 0; k < matches.size(); ++k) {
    if (matches[k].empty()) continue;
    const DuplicateMatch& m = matches[k].front();
    ImportDuplicate d;
    d.reason = m.reason;
    if (m.in_incoming) d.line = rows[row_of[m.other]].line;
    else d.record_id = existing[m.other].id;
    rows[row_of[k]].duplicate = std::move(d);
  }
}

}  // namespace sotay
