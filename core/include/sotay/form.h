// Form schemas (FORMS.md): one JSON file per form and version, in the XLSForm
// vocabulary. The file format is documented in schemas/README.md.
//
// LoadForm checks everything it can before a worker ever sees the form: unknown
// keys and types, duplicate names, unbalanced groups, choice lists that do not
// exist, expressions that do not parse or name fields that do not exist. Each
// problem is reported with the file, the field and the reason.
//
// Thread-safety: a Form is an immutable value once loaded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sotay/attachment.h"
#include "sotay/expr.h"
#include "sotay/merge.h"
#include "sotay/status.h"

namespace sotay {

// Text in several languages ("vi", "en", ...).
struct LocalText {
  std::map<std::string, std::string> by_lang;
  // The text in `lang`, else Vietnamese, else English, else any; "" if none.
  std::string Get(const std::string& lang) const;
  bool empty() const { return by_lang.empty(); }
};

enum class FieldType {
  kText, kInteger, kDecimal, kDate, kDateTime, kSelectOne, kSelectMultiple,
  kGeopoint, kPhone, kNote, kCalculate,
  kRepeat,  // a place in the parent form where entries of a child form are added
  // A file kept with the record: the answer is a reference (attachment.h), the
  // bytes travel and are stored apart (docs/forms-files.md).
  kImage, kFile,
};

struct Choice {
  std::string name;
  LocalText label;
  std::string code;  // an official code ("01" for Kinh in the ethnicity list); "" when none
  std::map<std::string, std::string> properties;  // extra columns, for choice_filter
};

struct Field {
  std::string name;
  FieldType type = FieldType::kText;
  std::string list;  // choice list, for select_one / select_multiple
  LocalText label, hint, constraint_message, required_message;
  bool required = false;                  // literal `required: true`
  std::optional<Expression> required_if;  // `required` given as an expression
  std::optional<Expression> relevant;     // own condition only; see Form::IsRelevant
  std::optional<Expression> constraint;
  std::optional<Expression> calculate;
  std::optional<Expression> choice_filter;
  std::string default_value;
  bool read_only = false;
  MergePolicy policy = MergePolicy::kRegister;
  std::vector<std::string> groups;  // names of the enclosing groups, outermost first
  std::string repeat_form;          // for kRepeat: the child form's id
  std::string link;                 // for a text field: the form whose record id it holds (links.h)
  // `"sensitive": true`: the answer identifies someone who must stay protected (an
  // abuse report's reporter). Shown only to whom the server allows, exported only on
  // request and sent only to its author's devices (schemas/README.md, "Sensitive").
  bool sensitive = false;
  FileRules file;  // kImage, kFile: `parameters` (max-size, max-pixels, accept)

  // Whether a worker answers it (not a note, calculate or repeat placeholder).
  bool IsQuestion() const;
  // Whether it holds a value in the record (anything but a note or a repeat).
  bool HoldsValue() const;
};

struct Group {
  std::string name;
  LocalText label;
  std::optional<Expression> relevant;
  std::vector<std::string> groups;  // enclosing groups
};

// A named count or share over a form's records (FORMS.md), computed per commune and
// period by ComputeIndicators (indicators.h). Defined in the form so that the
// shell, the server's reports and the dashboard count the same way.
struct Indicator {
  enum class Period {
    kFlow,   // counted when its date falls in the period (cases reported this year)
    kStock,  // counted when its date is on or before the period's end (children on the register)
  };
  std::string name;
  LocalText label, definition;
  Expression count;              // true for a record that counts
  std::string of;                // another indicator: this one is then a share of it
  std::optional<Expression> when;  // the record's date; default: the day it was created
  Period period = Period::kFlow;
};

struct Form {
  std::string id;      // e.g. "child_profile"; a repeat's child form is "parent.repeat"
  int version = 0;     // positive; a published version never changes
  LocalText title;
  std::string parent_form;  // for a repeat's child form: the parent's id
  std::vector<Field> fields;  // in order; groups are flattened into Field::groups
  std::map<std::string, Group> groups;
  std::map<std::string, std::vector<Choice>> choices;
  std::optional<Expression> instance_name;  // how a record is named in lists
  std::vector<Form> repeats;  // child forms declared inline with begin_repeat
  std::vector<Indicator> indicators;

  // Each field's place in `fields` by name, made by LoadForm (IndexFields): a push
  // looks fields up three times an edit. FindField checks what the index says and
  // walks `fields` when the index is not whole (a form built by hand).
  std::unordered_map<std::string, size_t> field_places;
  void IndexFields();  // for this form and its repeats

  const Field* FindField(const std::string& name) const;
  const std::vector<Choice>* FindList(const std::string& list) const;
  const Choice* FindChoice(const std::string& list, const std::string& name) const;
  // The form (this or a child) with that id, or nullptr.
  const Form* FindForm(const std::string& id) const;
  MergePolicy PolicyOf(const std::string& field) const;
  const Indicator* FindIndicator(const std::string& name) const;
};

// Parses and checks a form. `source` names the file in error messages.
Result<Form> LoadForm(std::string_view json_text, const std::string& source);
// Reads and loads a file.
Result<Form> LoadFormFile(const std::string& path);
// The form files (*.json) of the folder `dir`, sorted by path: the order in which
// `sotay init --forms` and the server's `init` install them, so both see the same.
// NotFound when `dir` is not a folder, IOError when it cannot be listed.
Result<std::vector<std::string>> FormFilesIn(const std::string& dir);

// Every problem in a form, not just the first (for `sotay forms check`).
std::vector<std::string> CheckForm(std::string_view json_text, const std::string& source);

}  // namespace sotay
