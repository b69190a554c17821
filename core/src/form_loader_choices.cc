// The form loader's choice lists (form_loader.h): "choices", the named lists that
// select fields offer, each choice with its name, label, optional official code
// and extra properties.
#include "form_loader.h"

namespace sotay {

void FormLoader::LoadChoices(const json& lists, Form& form) {
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
    std::set<std::string> codes;
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
      if (c.contains("code")) {
        // A string, so "01" keeps its leading zero as the official lists write it.
        const json& code = c["code"];
        if (!code.is_string() || code.get<std::string>().empty() ||
            code.get<std::string>().find(' ') != std::string::npos) {
          Problem("", "'" + where + "." + choice.name + ".code' must be non-empty text without spaces, like \"01\"");
        } else {
          choice.code = code.get<std::string>();
          NoControls(choice.code, "", where + "." + choice.name + ".code");
          if (!codes.insert(choice.code).second) {
            Problem("", "'" + where + "': code '" + choice.code + "' appears twice");
          }
        }
      }
      for (const auto& [k, v] : c.items()) {
        if (k == "name" || k == "label" || k == "code") continue;
        if (v.is_string()) choice.properties[k] = v.get<std::string>();
        else if (v.is_number()) choice.properties[k] = v.dump();
        else Problem("", "'" + where + "." + choice.name + "." + k + "' must be text or a number");
      }
      out.push_back(std::move(choice));
    }
  }
}

}  // namespace sotay
