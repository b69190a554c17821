// The published forms, loaded and indexed: which (form, version) exist, the loaded
// Form for validation and merge policies, and the JSON text to hand to devices.
// A repeat's child form ("child_profile.visits") is found through its parent form
// and shares its version.
//
// Thread-safety: an immutable value once built; the server swaps in a new catalog
// under its mutex when forms are published.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/server_store.h"
#include "sotay/form.h"

namespace sotay::server {

class FormCatalog {
 public:
  FormCatalog() = default;

  // Loads every published form. Corrupt if a stored text no longer loads.
  static Result<FormCatalog> Load(ServerStore& store);

  // The form (or a repeat's child form) `id` at `version`, or nullptr.
  const Form* Find(const std::string& id, int version) const;
  // Whether some published version has a form or child form `id`.
  bool HasId(const std::string& id) const;
  // The JSON texts of published forms whose "form@version" is not in `have`.
  std::vector<std::string> Lacking(const std::vector<std::string>& have) const;

  // Each top-level form at its newest published version, by id.
  std::vector<const Form*> Latest() const;
  // Whether `field` of the form or child form `id` is sensitive (`"sensitive": true`)
  // in some published version: a record of an older version is kept back as a newer
  // version says (schemas/README.md, "Sensitive").
  bool IsSensitive(const std::string& id, const std::string& field) const;
  // Every field name that is sensitive in some form: a cheap first look.
  const std::set<std::string>& SensitiveNames() const { return sensitive_names_; }
  // The form (or child form) `id` at its newest version, with every field an older
  // version had and the newest retired appended, each with its choice list and
  // group: the columns that export records of every version whole, with their
  // labels (version 2's `urgency` beside version 3's `risk_level`). A list or group
  // the newest version also has keeps the newest's. nullopt when `id` is unknown.
  std::optional<Form> WithRetiredFields(const std::string& id) const;
  size_t size() const { return forms_.size(); }

 private:
  struct Published {
    std::shared_ptr<const Form> form;
    std::string text;
  };
  std::map<std::pair<std::string, int>, Published> forms_;  // by (top-level id, version)
  std::set<std::string> ids_;                                // every form and child form id
  std::set<std::pair<std::string, std::string>> sensitive_;  // (form or child form id, field)
  std::set<std::string> sensitive_names_;
};

}  // namespace sotay::server
