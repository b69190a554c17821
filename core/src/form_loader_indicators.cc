// The form loader's indicators (form_loader.h): the counts a form defines for the
// district's report, and the shares ("of") between them.
#include "form_loader.h"

namespace sotay {

namespace {

const std::set<std::string> kIndicatorKeys{"name", "label", "definition", "count", "of", "when", "period"};

}  // namespace

void FormLoader::LoadIndicators(const json& list, Form& form) {
  if (!list.is_array()) {
    Problem("", "'indicators' must be a list");
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const json& raw = list[i];
    std::string where = "indicators #" + std::to_string(i + 1);
    if (!raw.is_object() || !raw.contains("name") || !raw["name"].is_string() || !ValidFormName(raw["name"])) {
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

}  // namespace sotay
