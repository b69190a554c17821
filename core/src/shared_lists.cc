// CheckSharedLists (shared_lists.h): the lists of one name agree across a pack.
#include "sotay/shared_lists.h"

#include <map>

namespace sotay {
namespace {

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

// The first way `a` (here) differs from `b` (there), "" when they agree. Labels are
// compared in every language either side has.
std::string FirstDifference(const std::vector<Choice>& a, const std::vector<Choice>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const std::string at = "choice " + std::to_string(i + 1) + " ";
    if (a[i].name != b[i].name) {
      return "choice " + std::to_string(i + 1) + ": " + Quoted(a[i].name) + " here, " + Quoted(b[i].name) + " there";
    }
    if (a[i].code != b[i].code) {
      return at + Quoted(a[i].name) + ": code " + Quoted(a[i].code) + " here, " + Quoted(b[i].code) + " there";
    }
    std::map<std::string, std::string> langs = a[i].label.by_lang;
    langs.insert(b[i].label.by_lang.begin(), b[i].label.by_lang.end());
    for (const auto& [lang, unused] : langs) {
      auto x = a[i].label.by_lang.find(lang);
      auto y = b[i].label.by_lang.find(lang);
      std::string here = x == a[i].label.by_lang.end() ? "" : x->second;
      std::string there = y == b[i].label.by_lang.end() ? "" : y->second;
      if (here != there) {
        return at + Quoted(a[i].name) + ": label (" + lang + ") " + Quoted(here) + " here, " + Quoted(there) + " there";
      }
    }
  }
  if (a.size() != b.size()) {
    return std::to_string(a.size()) + " choices here, " + std::to_string(b.size()) + " there";
  }
  return "";
}

}  // namespace

std::vector<std::string> CheckSharedLists(const std::vector<std::pair<std::string, const Form*>>& pack) {
  std::vector<std::string> out;
  // The first form of the pack with each list name: every later one is compared with it.
  std::map<std::string, std::pair<std::string, const std::vector<Choice>*>> first;
  for (const auto& [file, form] : pack) {
    for (const auto& [list, choices] : form->choices) {
      auto [it, fresh] = first.try_emplace(list, file, &choices);
      if (fresh) continue;
      std::string diff = FirstDifference(choices, *it->second.second);
      if (!diff.empty()) {
        out.push_back(file + ": list '" + list + "' differs from " + it->second.first + "'s: " + diff);
      }
    }
  }
  return out;
}

}  // namespace sotay
