// Writing: a person's answer, typed in a table cell or given as JSON, as the form
// stores it (sotay/presentation.h). One resolver for choices, so import, the shell
// and the C API accept the same codes and labels.
#include <optional>

#include <nlohmann/json.hpp>

#include "answers_json.h"
#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "sotay/text.h"

namespace sotay {

namespace {

bool SameText(const std::string& a, const std::string& b) { return FoldForSearch(a) == FoldForSearch(b); }

bool IsSelect(const Field& f) { return f.type == FieldType::kSelectOne || f.type == FieldType::kSelectMultiple; }

// A JSON string or number as text; nullopt for anything else.
std::optional<std::string> ScalarText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return std::nullopt;
}

}  // namespace

std::string ResolveChoice(const Form& form, const Field& field, const std::string& typed) {
  const std::string t = Trim(typed);
  if (form.FindChoice(field.list, t) != nullptr) return t;
  if (const std::vector<Choice>* list = form.FindList(field.list)) {
    for (const Choice& c : *list) {
      for (const auto& [lang, label] : c.label.by_lang) {
        if (SameText(label, t)) return c.name;
      }
    }
  }
  return t;  // validation will say it is not in the list
}

std::string AnswerFromCell(const Form& form, const Field& field, const std::string& cell) {
  if (field.type == FieldType::kSelectOne) return ResolveChoice(form, field, cell);
  if (field.type != FieldType::kSelectMultiple) return cell;
  // Several choices: "a b", or labels separated by ';' or ',' as a person types them.
  std::string out;
  const bool listed = cell.find(';') != std::string::npos || cell.find(',') != std::string::npos;
  std::string item;
  auto flush = [&]() {
    std::string name = ResolveChoice(form, field, item);
    if (!name.empty()) out += (out.empty() ? "" : " ") + name;
    item.clear();
  };
  for (char c : cell) {
    if (c == ';' || c == ',' || (!listed && c == ' ')) flush();
    else item += c;
  }
  flush();
  return out;
}

Status AnswerFromJson(const Form& form, const std::string& name, const nlohmann::json& value, const std::string& lang,
                      Answers& out) {
  if (value.is_null()) return Status::OK();
  const Field* f = form.FindField(name);
  if (value.is_string() || value.is_number() || value.is_boolean()) {
    const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    out[name] = f != nullptr && IsSelect(*f) ? AnswerFromCell(form, *f, text) : text;
    return Status::OK();
  }
  if (!value.is_array()) {
    return Status::InvalidArgument(Pick(lang, "phải là chữ, số hoặc danh sách", "must be text, a number or a list"));
  }
  if (f == nullptr || f->type != FieldType::kSelectMultiple) {
    return Status::InvalidArgument(Pick(lang, "chỉ câu hỏi chọn nhiều mới nhận một danh sách",
                                        "a list is only for a question with several choices (select_multiple)"));
  }
  std::string joined;
  for (const nlohmann::json& item : value) {
    std::optional<std::string> text = ScalarText(item);
    if (!text) {
      return Status::InvalidArgument(Pick(lang, "mỗi mục của danh sách phải là mã hoặc nhãn của một lựa chọn",
                                          "each item of the list must be a choice's code or label"));
    }
    // One item is one choice, so a label with spaces stays whole.
    const std::string code = ResolveChoice(form, *f, *text);
    if (!code.empty()) joined += (joined.empty() ? "" : " ") + code;
  }
  out[name] = joined;
  return Status::OK();
}

Result<Answers> AnswersFromJson(const Form& form, std::string_view json_object, const std::string& lang) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_object.begin(), json_object.end());
  } catch (const nlohmann::json::parse_error& e) {
    // Where it breaks, for a person who wrote the file by hand.
    return Status::InvalidArgument(Pick(lang, "không phải JSON hợp lệ ở byte ", "not valid JSON at byte ") +
                                   std::to_string(e.byte));
  }
  if (!j.is_object()) {
    return Status::InvalidArgument(Pick(lang, "cần một đối tượng JSON {\"trường\": giá trị}",
                                        "expected a JSON object {\"field\": value}"));
  }
  Answers out;
  for (const auto& [name, value] : j.items()) {
    Status s = AnswerFromJson(form, name, value, lang, out);
    if (!s.ok()) return Status::InvalidArgument("'" + name + "': " + s.message());
  }
  return out;
}

}  // namespace sotay
