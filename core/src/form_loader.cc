// Loads a form file (schemas/README.md) and checks it whole, collecting every
// problem with the file, the field and the reason (form_loader.h). This file: the
// document's top-level keys, how a problem is told, the texts in vi and en, and
// the public entry points (form.h).
#include "form_loader.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "sotay/read_file.h"
#include "sotay/text.h"

namespace sotay {

namespace {

const std::set<std::string> kTopKeys{"form", "version", "title", "instance_name", "fields",
                                     "choices", "description", "indicators"};
const std::vector<std::string> kLanguages{"vi", "en"};

}  // namespace

bool ValidFormName(const std::string& s) {
  static const std::regex re("[A-Za-z][A-Za-z0-9_]*");
  return std::regex_match(s, re);
}

std::optional<Form> FormLoader::Load(std::string_view text) {
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
  if (!doc.contains("form") || !doc["form"].is_string() || !ValidFormName(doc["form"])) {
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

void FormLoader::Problem(const std::string& field, const std::string& reason) {
  std::string p = source_ + ": ";
  if (!field.empty()) p += "field '" + field + "': ";
  problems.push_back(p + reason);
}

std::string FormLoader::Position(std::string_view text, size_t byte) {
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

std::string FormLoader::ShortReason(const std::string& what) {
  auto at = what.rfind(": ");
  return at == std::string::npos ? what : what.substr(at + 2);
}

LocalText FormLoader::Text(const json& obj, const char* key, const std::string& field, bool required) {
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
void FormLoader::NoControls(const std::string& text, const std::string& field, const std::string& where) {
  if (auto cp = FirstForbiddenChar(text)) {
    Problem(field, "'" + where + "' holds the control character " + CodePointName(*cp) +
                       " (only tab and newline are allowed)");
  }
}

Result<Form> LoadForm(std::string_view json_text, const std::string& source) {
  FormLoader loader(source);
  std::optional<Form> form = loader.Load(json_text);
  if (!form) {
    std::string all;
    for (const std::string& p : loader.problems) all += (all.empty() ? "" : "\n") + p;
    return Status::InvalidArgument(all);
  }
  form->IndexFields();
  return std::move(*form);
}

std::vector<std::string> CheckForm(std::string_view json_text, const std::string& source) {
  FormLoader loader(source);
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
  const fs::path folder = fs::u8path(dir);  // UTF-8 on Windows too, not the ANSI code page
  if (!fs::is_directory(folder, ec)) return Status::NotFound("no forms folder " + dir);
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path().u8string());
  }
  if (ec) return Status::IOError("cannot list the forms folder " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace sotay
