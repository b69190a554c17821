// The form loader's fields (form_loader.h): each field's type, its texts and
// expressions, and the groups and repeats that hold fields, read in file order.
#include <map>
#include <sstream>

#include "form_loader.h"

namespace sotay {

namespace {

const std::set<std::string> kFieldKeys{
    "type",       "name",       "label",   "hint",          "required", "required_message",
    "relevant",   "constraint", "constraint_message",       "calculate", "default",
    "choice_filter", "read_only", "merge", "appearance", "link", "sensitive", "parameters"};

}  // namespace

bool FormLoader::ParseType(const std::string& raw, Field& f, std::string& structural) {
  std::istringstream in(raw);
  std::string word, list, extra;
  in >> word >> list >> extra;
  static const std::map<std::string, FieldType> simple{
      {"text", FieldType::kText},         {"integer", FieldType::kInteger},
      {"decimal", FieldType::kDecimal},   {"date", FieldType::kDate},
      {"datetime", FieldType::kDateTime}, {"geopoint", FieldType::kGeopoint},
      {"phone", FieldType::kPhone},       {"note", FieldType::kNote},
      {"calculate", FieldType::kCalculate}, {"image", FieldType::kImage},
      {"file", FieldType::kFile}};
  if (word == "begin_group" || word == "end_group" || word == "begin_repeat" ||
      word == "end_repeat") {
    structural = word;
    return list.empty();
  }
  if (word == "select_one" || word == "select_multiple") {
    f.type = word == "select_one" ? FieldType::kSelectOne : FieldType::kSelectMultiple;
    f.list = list;
    return !list.empty() && extra.empty();
  }
  auto it = simple.find(word);
  if (it == simple.end() || !list.empty()) return false;
  f.type = it->second;
  return true;
}

// Reads fields from `fields[i]` on until the end or the end_* that closes `open`.
void FormLoader::LoadFields(const json& fields, size_t& i, Form& form, const std::string& open,
                            std::vector<std::string> groups) {
  for (; i < fields.size(); ++i) {
    const json& raw = fields[i];
    std::string where = "#" + std::to_string(i + 1);
    if (!raw.is_object()) {
      Problem(where, "must be an object");
      continue;
    }
    if (raw.contains("name") && raw["name"].is_string()) where = raw["name"].get<std::string>();
    for (const auto& [key, value] : raw.items()) {
      (void)value;
      if (kFieldKeys.count(key) == 0) Problem(where, "unknown key '" + key + "'");
    }
    if (!raw.contains("type") || !raw["type"].is_string()) {
      Problem(where, "'type' is missing");
      continue;
    }
    Field f;
    std::string structural;
    const std::string type = raw["type"];
    if (!ParseType(type, f, structural)) {
      Problem(where, "unknown type '" + type + "'");
      continue;
    }
    if (structural == "end_group" || structural == "end_repeat") {
      const std::string wanted = structural == "end_group" ? "begin_group" : "begin_repeat";
      if (open != wanted) {
        Problem(where, "'" + structural + "' without a matching '" + wanted + "'");
        continue;
      }
      return;
    }
    if (!raw.contains("name") || !raw["name"].is_string() || !ValidFormName(raw["name"])) {
      Problem(where, "'name' must be letters, digits and _ starting with a letter");
      continue;
    }
    f.name = raw["name"];
    if (!names_.insert(f.name).second) Problem(f.name, "the name is used twice in this form");
    if (structural == "begin_group") {
      Group g{f.name, Text(raw, "label", f.name, false), std::nullopt, groups};
      if (raw.contains("relevant")) g.relevant = Expr(raw["relevant"], f.name, "relevant");
      form.groups[f.name] = g;
      std::vector<std::string> inner = groups;
      inner.push_back(f.name);
      ++i;
      LoadFields(fields, i, form, "begin_group", inner);
      if (i >= fields.size()) Problem(f.name, "group is never closed with 'end_group'");
      continue;
    }
    if (structural == "begin_repeat") {
      Form child;
      child.id = form.id + "." + f.name;
      child.version = form.version;
      child.parent_form = form.id;
      child.title = Text(raw, "label", f.name, true);
      child.choices = form.choices;
      ++i;
      LoadFields(fields, i, child, "begin_repeat", {});
      if (i >= fields.size()) Problem(f.name, "repeat is never closed with 'end_repeat'");
      f.type = FieldType::kRepeat;
      f.label = child.title;
      f.repeat_form = child.id;
      f.groups = groups;
      if (raw.contains("relevant")) f.relevant = Expr(raw["relevant"], f.name, "relevant");
      form.repeats.push_back(std::move(child));
      form.fields.push_back(std::move(f));
      continue;
    }
    f.groups = groups;
    LoadFieldDetails(raw, f, form);
    form.fields.push_back(std::move(f));
  }
  if (!open.empty() && i >= fields.size()) return;  // reported by the caller
}

void FormLoader::LoadFieldDetails(const json& raw, Field& f, const Form& form) {
  const std::string& n = f.name;
  f.label = Text(raw, "label", n, f.type != FieldType::kCalculate);
  if (raw.contains("hint")) f.hint = Text(raw, "hint", n, false);
  if (raw.contains("constraint_message")) f.constraint_message = Text(raw, "constraint_message", n, false);
  if (raw.contains("required_message")) f.required_message = Text(raw, "required_message", n, false);
  if (raw.contains("required")) {
    const json& r = raw["required"];
    if (r.is_boolean()) f.required = r.get<bool>();
    else if (r.is_string() && (r == "yes" || r == "true")) f.required = true;
    else if (r.is_string() && (r == "no" || r == "false" || r == "")) f.required = false;
    else if (r.is_string()) f.required_if = Expr(r, n, "required");
    else Problem(n, "'required' must be true, false or an expression");
  }
  if (raw.contains("relevant")) f.relevant = Expr(raw["relevant"], n, "relevant");
  if (raw.contains("constraint")) f.constraint = Expr(raw["constraint"], n, "constraint");
  if (raw.contains("calculate")) f.calculate = Expr(raw["calculate"], n, "calculate");
  if (raw.contains("choice_filter")) f.choice_filter = Expr(raw["choice_filter"], n, "choice_filter");
  if (raw.contains("read_only")) {
    if (raw["read_only"].is_boolean()) f.read_only = raw["read_only"];
    else Problem(n, "'read_only' must be true or false");
  }
  if (raw.contains("sensitive")) {
    // Only an answer can be kept from someone: a note or a calculation shows none of
    // its own, and a calculation over a sensitive answer would show it anyway.
    if (!raw["sensitive"].is_boolean()) Problem(n, "'sensitive' must be true or false");
    else if (raw["sensitive"].get<bool>() && !f.IsQuestion()) Problem(n, "'sensitive' is only for a question: a note or calculate has no answer to keep back");
    else f.sensitive = raw["sensitive"];
  }
  if (raw.contains("default")) {
    const json& d = raw["default"];
    if (d.is_string()) f.default_value = d.get<std::string>();
    else if (d.is_number()) f.default_value = d.dump();
    else Problem(n, "'default' must be text or a number");
  }
  if (f.type == FieldType::kCalculate && !f.calculate) {
    Problem(n, "a calculate field needs a 'calculate' expression");
  }
  if ((f.type == FieldType::kSelectOne || f.type == FieldType::kSelectMultiple) &&
      form.FindList(f.list) == nullptr) {
    Problem(n, "choice list '" + f.list + "' is not in 'choices'");
  }
  if (raw.contains("link")) {
    // A record id in a text answer, the smallest extension of XLSForm that says what
    // it names (schemas/README.md); whether that form is in the pack is CheckLinks's.
    const json& l = raw["link"];
    if (!l.is_string() || !ValidFormName(l.get<std::string>())) Problem(n, "'link' must name a form: letters, digits and _");
    else if (f.type != FieldType::kText) Problem(n, "'link' is only for a text field: the answer is a record id");
    else f.link = l.get<std::string>();
  }
  if ((f.type == FieldType::kImage || f.type == FieldType::kFile) && (f.required || f.required_if)) {
    // The file is attached to the saved record (`sotay attach`), so it cannot be a
    // condition of saving it.
    Problem(n, "an image or file field cannot be 'required': it is attached after the record is saved");
  }
  LoadFileParameters(raw, f);
  if (raw.contains("merge")) {
    const json& m = raw["merge"];
    if (m == "append" && f.type == FieldType::kText) f.policy = MergePolicy::kAppend;
    else if (m == "set" && f.type == FieldType::kSelectMultiple) f.policy = MergePolicy::kSet;
    else if (m == "register") f.policy = MergePolicy::kRegister;
    else Problem(n, "'merge' must be 'append' (text), 'set' (select_multiple) or 'register'");
  }
}

// XLSForm's `parameters` of an image or file question: `max-pixels` (image),
// `max-size` in bytes and `accept`, a list of media types or extensions.
void FormLoader::LoadFileParameters(const json& raw, Field& f) {
  const std::string& n = f.name;
  const bool is_file = f.type == FieldType::kImage || f.type == FieldType::kFile;
  if (!raw.contains("parameters")) return;
  const json& p = raw["parameters"];
  if (!is_file) return Problem(n, "'parameters' is only for an image or file field");
  if (!p.is_object()) return Problem(n, "'parameters' must be an object");
  for (const auto& [key, value] : p.items()) {
    if (key == "max-pixels") {
      if (f.type != FieldType::kImage) Problem(n, "'max-pixels' is only for an image field");
      else if (!value.is_number_integer() || value.get<int64_t>() < 16 || value.get<int64_t>() > 20000) Problem(n, "'max-pixels' must be a whole number of pixels from 16 to 20000");
      else f.file.max_pixels = value.get<int64_t>();
    } else if (key == "max-size") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > kAttachmentHardMaxBytes) {
        Problem(n, "'max-size' must be a number of bytes from 1 to " + std::to_string(kAttachmentHardMaxBytes));
      } else {
        f.file.max_bytes = value.get<int64_t>();
      }
    } else if (key == "accept") {
      if (!value.is_array() || value.empty()) {
        Problem(n, "'accept' must be a list of media types (image/jpeg, image/*) or extensions (.pdf)");
        continue;
      }
      for (const json& a : value) {
        const std::string text = a.is_string() ? a.get<std::string>() : std::string();
        const bool ext = text.size() > 1 && text[0] == '.' && ExtensionOf("x" + text) == text.substr(1);
        const size_t slash = text.find('/');
        const bool type = slash != std::string::npos && slash > 0 && slash + 1 < text.size() &&
                          text.find(' ') == std::string::npos && text.find('/', slash + 1) == std::string::npos;
        if (!ext && !type) Problem(n, "'accept' entry must be a media type like image/jpeg or an extension like .pdf");
        else f.file.accept.push_back(text);
      }
    } else {
      Problem(n, "unknown parameter '" + key + "' (an image or file field takes max-pixels, max-size, accept)");
    }
  }
}

}  // namespace sotay
