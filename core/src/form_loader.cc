// Loads a form file (schemas/README.md) and checks it whole, collecting every
// problem with the file, the field and the reason.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "sotay/form.h"
#include "sotay/read_file.h"
#include "sotay/text.h"

namespace sotay {

using nlohmann::json;

namespace {

const std::set<std::string> kTopKeys{"form", "version", "title", "instance_name", "fields",
                                     "choices", "description", "indicators"};
const std::set<std::string> kIndicatorKeys{"name", "label", "definition", "count", "of", "when", "period"};
const std::set<std::string> kFieldKeys{
    "type",       "name",       "label",   "hint",          "required", "required_message",
    "relevant",   "constraint", "constraint_message",       "calculate", "default",
    "choice_filter", "read_only", "merge", "appearance"};
const std::vector<std::string> kLanguages{"vi", "en"};

bool ValidName(const std::string& s) {
  static const std::regex re("[A-Za-z][A-Za-z0-9_]*");
  return std::regex_match(s, re);
}

class Loader {
 public:
  explicit Loader(std::string source) : source_(std::move(source)) {}

  std::vector<std::string> problems;

  std::optional<Form> Load(std::string_view text) {
    json doc;
    try {
      doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
      Problem("", "not valid JSON at " + Position(text, e.byte) + ": " + ShortReason(e.what()));
      return std::nullopt;
    } catch (const json::out_of_range&) {  // what the reader throws for 1e400
      Problem("", "not valid JSON: a number is out of range");
      return std::nullopt;
    }
    if (!IsValidUtf8(text)) Problem("", "the file is not valid UTF-8");
    if (!doc.is_object()) {
      Problem("", "the file must hold one JSON object");
      return std::nullopt;
    }
    for (const auto& [key, value] : doc.items()) {
      (void)value;
      if (kTopKeys.count(key) == 0) Problem("", "unknown key '" + key + "'");
    }
    Form form;
    if (!doc.contains("form") || !doc["form"].is_string() || !ValidName(doc["form"])) {
      Problem("", "'form' must be an id of letters, digits and _ starting with a letter");
    } else {
      form.id = doc["form"];
    }
    if (!doc.contains("version") || !doc["version"].is_number_integer() ||
        doc["version"].get<int64_t>() < 1 || doc["version"].get<int64_t>() > 1000000) {
      Problem("", "'version' must be a whole number from 1");
    } else {
      form.version = doc["version"].get<int>();
    }
    form.title = Text(doc, "title", "", true);
    if (doc.contains("choices")) LoadChoices(doc["choices"], form);
    if (!doc.contains("fields") || !doc["fields"].is_array() || doc["fields"].empty()) {
      Problem("", "'fields' must be a non-empty list");
      return std::nullopt;
    }
    size_t i = 0;
    LoadFields(doc["fields"], i, form, "", {});
    if (doc.contains("instance_name")) {
      form.instance_name = Expr(doc["instance_name"], "", "instance_name");
    }
    if (doc.contains("indicators")) LoadIndicators(doc["indicators"], form);
    CheckReferences(form, nullptr);
    if (!problems.empty()) return std::nullopt;
    return form;
  }

 private:
  std::string source_;
  std::set<std::string> names_;  // every field and group name in the file: XLSForm wants them unique

  void Problem(const std::string& field, const std::string& reason) {
    std::string p = source_ + ": ";
    if (!field.empty()) p += "field '" + field + "': ";
    problems.push_back(p + reason);
  }

  static std::string Position(std::string_view text, size_t byte) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
  }

  static std::string ShortReason(const std::string& what) {
    auto at = what.rfind(": ");
    return at == std::string::npos ? what : what.substr(at + 2);
  }

  LocalText Text(const json& obj, const char* key, const std::string& field, bool required) {
    LocalText out;
    if (!obj.contains(key)) {
      if (required) Problem(field, std::string("'") + key + "' is missing (give it in vi and en)");
      return out;
    }
    const json& t = obj[key];
    if (!t.is_object()) {
      Problem(field, std::string("'") + key + "' must be an object of languages, e.g. {\"vi\": ..., \"en\": ...}");
      return out;
    }
    for (const auto& [lang, text] : t.items()) {
      if (!text.is_string()) {
        Problem(field, std::string("'") + key + "." + lang + "' must be text");
        continue;
      }
      out.by_lang[lang] = text.get<std::string>();
      NoControls(out.by_lang[lang], field, std::string(key) + "." + lang);
    }
    for (const std::string& lang : kLanguages) {
      if (out.by_lang.count(lang) == 0 || out.by_lang[lang].empty()) {
        Problem(field, std::string("'") + key + "' has no '" + lang + "' text");
      }
    }
    return out;
  }

  // A label a terminal or a page would show: no escape sequences, no bidi overrides
  // (the same rule as answers, validate.h), named by code point.
  void NoControls(const std::string& text, const std::string& field, const std::string& where) {
    if (auto cp = FirstForbiddenChar(text)) {
      Problem(field, "'" + where + "' holds the control character " + CodePointName(*cp) +
                         " (only tab and newline are allowed)");
    }
  }

  std::optional<Expression> Expr(const json& value, const std::string& field, const char* key) {
    if (!value.is_string()) {
      Problem(field, std::string("'") + key + "' must be an expression in a string");
      return std::nullopt;
    }
    auto parsed = Expression::Parse(value.get<std::string>());
    if (!parsed.ok()) {
      Problem(field, std::string(key) + ": " + parsed.status().message());
      return std::nullopt;
    }
    return *parsed;
  }

  void LoadChoices(const json& lists, Form& form) {
    if (!lists.is_object()) {
      Problem("", "'choices' must map list names to lists of choices");
      return;
    }
    for (const auto& [list, entries] : lists.items()) {
      std::string where = "choices." + list;
      if (!entries.is_array() || entries.empty()) {
        Problem("", "'" + where + "' must be a non-empty list");
        continue;
      }
      std::vector<Choice>& out = form.choices[list];
      std::set<std::string> seen;
      for (const json& c : entries) {
        if (!c.is_object() || !c.contains("name") || !(c["name"].is_string() || c["name"].is_number_integer())) {
          Problem("", "'" + where + "': every choice needs a 'name'");
          continue;
        }
        Choice choice;
        choice.name = c["name"].is_string() ? c["name"].get<std::string>() : std::to_string(c["name"].get<int64_t>());
        NoControls(choice.name, "", where + " name");
        if (choice.name.empty() || choice.name.find(' ') != std::string::npos) {
          Problem("", "'" + where + "': choice name '" + choice.name + "' must be non-empty without spaces");
        }
        if (!seen.insert(choice.name).second) {
          Problem("", "'" + where + "': choice '" + choice.name + "' appears twice");
        }
        choice.label = Text(c, "label", where + "." + choice.name, true);
        for (const auto& [k, v] : c.items()) {
          if (k == "name" || k == "label") continue;
          if (v.is_string()) choice.properties[k] = v.get<std::string>();
          else if (v.is_number()) choice.properties[k] = v.dump();
          else Problem("", "'" + where + "." + choice.name + "." + k + "' must be text or a number");
        }
        out.push_back(std::move(choice));
      }
    }
  }

  bool ParseType(const std::string& raw, Field& f, std::string& structural) {
    std::istringstream in(raw);
    std::string word, list, extra;
    in >> word >> list >> extra;
    static const std::map<std::string, FieldType> simple{
        {"text", FieldType::kText},         {"integer", FieldType::kInteger},
        {"decimal", FieldType::kDecimal},   {"date", FieldType::kDate},
        {"datetime", FieldType::kDateTime}, {"geopoint", FieldType::kGeopoint},
        {"phone", FieldType::kPhone},       {"note", FieldType::kNote},
        {"calculate", FieldType::kCalculate}};
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
  void LoadFields(const json& fields, size_t& i, Form& form, const std::string& open,
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
      if (!raw.contains("name") || !raw["name"].is_string() || !ValidName(raw["name"])) {
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

  void LoadFieldDetails(const json& raw, Field& f, const Form& form) {
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
    if (raw.contains("merge")) {
      const json& m = raw["merge"];
      if (m == "append" && f.type == FieldType::kText) f.policy = MergePolicy::kAppend;
      else if (m == "set" && f.type == FieldType::kSelectMultiple) f.policy = MergePolicy::kSet;
      else if (m == "register") f.policy = MergePolicy::kRegister;
      else Problem(n, "'merge' must be 'append' (text), 'set' (select_multiple) or 'register'");
    }
  }

  void LoadIndicators(const json& list, Form& form) {
    if (!list.is_array()) {
      Problem("", "'indicators' must be a list");
      return;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const json& raw = list[i];
      std::string where = "indicators #" + std::to_string(i + 1);
      if (!raw.is_object() || !raw.contains("name") || !raw["name"].is_string() || !ValidName(raw["name"])) {
        Problem("", where + ": needs a 'name' of letters, digits and _");
        continue;
      }
      Indicator ind;
      ind.name = raw["name"];
      where = "indicator '" + ind.name + "'";
      for (const auto& [key, value] : raw.items()) {
        (void)value;
        if (kIndicatorKeys.count(key) == 0) Problem("", where + ": unknown key '" + key + "'");
      }
      if (form.FindIndicator(ind.name) != nullptr) Problem("", where + ": the name is used twice");
      ind.label = Text(raw, "label", where, true);
      ind.definition = Text(raw, "definition", where, true);
      if (!raw.contains("count")) {
        Problem("", where + ": 'count' (which records count) is missing");
        continue;
      }
      auto count = Expr(raw["count"], where, "count");
      if (!count) continue;
      ind.count = *count;
      if (raw.contains("when")) ind.when = Expr(raw["when"], where, "when");
      if (raw.contains("of")) {
        if (!raw["of"].is_string()) Problem("", where + ": 'of' must name another indicator");
        else ind.of = raw["of"];
      }
      if (raw.contains("period")) {
        if (raw["period"] == "stock") ind.period = Indicator::Period::kStock;
        else if (raw["period"] != "flow") Problem("", where + ": 'period' must be 'flow' or 'stock'");
      }
      form.indicators.push_back(std::move(ind));
    }
    for (const Indicator& ind : form.indicators) {
      if (ind.of.empty()) continue;
      const Indicator* base = form.FindIndicator(ind.of);
      if (base == nullptr || ind.of == ind.name) {
        Problem("", "indicator '" + ind.name + "': 'of' names '" + ind.of + "', which is not another indicator of this form");
      } else if (!base->of.empty()) {
        Problem("", "indicator '" + ind.name + "': 'of' must name a count, but '" + ind.of + "' is itself a share");
      }
    }
  }

  // Every ${name} must name a field of this form or, in a repeat, of its parent.
  void CheckReferences(const Form& form, const Form* parent) {
    auto known = [&](const std::string& name) {
      return form.FindField(name) != nullptr || (parent != nullptr && parent->FindField(name) != nullptr);
    };
    auto check = [&](const std::optional<Expression>& e, const std::string& field, const char* key) {
      if (!e) return;
      for (const std::string& ref : e->references()) {
        if (!known(ref)) Problem(field, std::string(key) + ": ${" + ref + "} is not a field of this form");
      }
    };
    for (const Field& f : form.fields) {
      check(f.relevant, f.name, "relevant");
      check(f.constraint, f.name, "constraint");
      check(f.calculate, f.name, "calculate");
      check(f.choice_filter, f.name, "choice_filter");
      check(f.required_if, f.name, "required");
    }
    for (const auto& [name, g] : form.groups) check(g.relevant, name, "relevant");
    for (const Indicator& ind : form.indicators) {
      std::optional<Expression> count = ind.count;
      check(count, "", ("indicator '" + ind.name + "': count").c_str());
      check(ind.when, "", ("indicator '" + ind.name + "': when").c_str());
    }
    check(form.instance_name, "", "instance_name");
    for (const Form& child : form.repeats) CheckReferences(child, &form);
  }
};

}  // namespace

Result<Form> LoadForm(std::string_view json_text, const std::string& source) {
  Loader loader(source);
  std::optional<Form> form = loader.Load(json_text);
  if (!form) {
    std::string all;
    for (const std::string& p : loader.problems) all += (all.empty() ? "" : "\n") + p;
    return Status::InvalidArgument(all);
  }
  return std::move(*form);
}

std::vector<std::string> CheckForm(std::string_view json_text, const std::string& source) {
  Loader loader(source);
  loader.Load(json_text);
  return loader.problems;
}

Result<Form> LoadFormFile(const std::string& path) {
  auto text = ReadWholeFile(path, "the form file");
  if (!text.ok()) return text.status();
  return LoadForm(*text, path);
}

Result<std::vector<std::string>> FormFilesIn(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("no forms folder " + dir);
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path().string());
  }
  if (ec) return Status::IOError("cannot list the forms folder " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace sotay
