// The form loader's reader (schemas/README.md), private to sotay_logic: one object
// reads one form file and collects every problem with the file, the field and the
// reason, so an author sees them all at once (LoadForm, CheckForm in form.h). Its
// parts live by concept: the document and its texts (form_loader.cc), fields,
// groups and repeats (form_loader_fields.cc), choice lists
// (form_loader_choices.cc), indicators (form_loader_indicators.cc), expressions
// and the names they reference (form_loader_expressions.cc).
//
// Thread-safety: one loader per thread; it holds the problems of its one file.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sotay/form.h"

namespace sotay {

class FormLoader {
 public:
  explicit FormLoader(std::string source) : source_(std::move(source)) {}

  // The form, or nullopt with the reasons in `problems`.
  std::optional<Form> Load(std::string_view text);

  std::vector<std::string> problems;

 private:
  using json = nlohmann::json;

  std::string source_;
  std::set<std::string> names_;  // every field and group name in the file: XLSForm wants them unique

  void Problem(const std::string& field, const std::string& reason);
  static std::string Position(std::string_view text, size_t byte);
  static std::string ShortReason(const std::string& what);
  LocalText Text(const json& obj, const char* key, const std::string& field, bool required);
  void NoControls(const std::string& text, const std::string& field, const std::string& where);

  std::optional<Expression> Expr(const json& value, const std::string& field, const char* key);
  void CheckReferences(const Form& form, const Form* parent);

  void LoadChoices(const json& lists, Form& form);

  bool ParseType(const std::string& raw, Field& f, std::string& structural);
  void LoadFields(const json& fields, size_t& i, Form& form, const std::string& open,
                  std::vector<std::string> groups);
  void LoadFieldDetails(const json& raw, Field& f, const Form& form);
  void LoadFileParameters(const json& raw, Field& f);

  void LoadIndicators(const json& list, Form& form);
};

// A name of letters, digits and _ starting with a letter: form ids, field and
// indicator names.
bool ValidFormName(const std::string& s);

}  // namespace sotay
