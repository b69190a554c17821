#include "sotay/import.h"

#include <nlohmann/json.hpp>

#include "sotay/csv.h"
#include "sotay/text.h"

namespace sotay {

namespace {

bool SameText(const std::string& a, const std::string& b) { return FoldForSearch(a) == FoldForSearch(b); }

// The choice a person wrote: its name, or its label in any language.
std::string ChoiceName(const Form& form, const Field& f, const std::string& typed) {
  const std::string t = Trim(typed);
  if (form.FindChoice(f.list, t) != nullptr) return t;
  if (const std::vector<Choice>* list = form.FindList(f.list)) {
    for (const Choice& c : *list) {
      for (const auto& [lang, label] : c.label.by_lang) {
        if (SameText(label, t)) return c.name;
      }
    }
  }
  return t;  // validation will say it is not in the list
}

std::string Value(const Form& form, const Field& f, const std::string& raw) {
  if (f.type == FieldType::kSelectOne) return ChoiceName(form, f, raw);
  if (f.type != FieldType::kSelectMultiple) return raw;
  // Several choices: "a b", or labels separated by ';' or ',' as a person types them.
  std::string out;
  const bool listed = raw.find(';') != std::string::npos || raw.find(',') != std::string::npos;
  std::string item;
  auto flush = [&]() {
    std::string name = ChoiceName(form, f, item);
    if (!name.empty()) out += (out.empty() ? "" : " ") + name;
    item.clear();
  };
  for (char c : raw) {
    if (c == ';' || c == ',' || (!listed && c == ' ')) flush();
    else item += c;
  }
  flush();
  return out;
}

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
        extra.push_back(FieldIssue{"#" + std::to_string(i + 1),
                                   env.lang == "en" ? "a value in a column without a heading"
                                                    : "có giá trị ở cột không có tên"});
        continue;
      }
      raw[columns[i]->name] = Value(form, *columns[i], cell);
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
      row.issues.push_back(FieldIssue{"", env.lang == "en" ? "the line is not a JSON object"
                                                            : "dòng này không phải một đối tượng JSON"});
      out.push_back(std::move(row));
      continue;
    }
    Answers raw;
    for (const auto& [k, v] : j.items()) {
      std::string value;
      if (v.is_string()) value = v.get<std::string>();
      else if (v.is_number() || v.is_boolean()) value = v.dump();
      else if (v.is_array()) {
        for (const auto& item : v) value += (value.empty() ? "" : ";") + (item.is_string() ? item.get<std::string>() : item.dump());
      } else if (v.is_null()) continue;
      const Field* f = form.FindField(k);
      raw[k] = f != nullptr ? Value(form, *f, value) : value;
    }
    out.push_back(Check(form, line, raw, env));
  }
  return out;
}

}  // namespace sotay
