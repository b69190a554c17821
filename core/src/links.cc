// Record links (links.h).
#include "sotay/links.h"

#include <algorithm>

namespace sotay {

namespace {

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The names the pack gives a child's identity in a case and in the profile.
const std::pair<const char*, const char*> kFromProfile[] = {
    {"child_name", "full_name"}, {"child_sex", "sex"}, {"child_dob", "dob"},
    {"child_personal_id", "personal_id"}, {"village", "village"}};

}  // namespace

LinkMatch MatchLink(std::string_view answer, std::string_view record_id) {
  if (answer.empty() || record_id.empty()) return LinkMatch::kNone;
  if (answer == record_id) return LinkMatch::kExact;
  if (answer.size() == 8 && record_id.size() > 8 && record_id.substr(0, 8) == answer) return LinkMatch::kPrefix;
  return LinkMatch::kNone;
}

bool IsLinkShaped(std::string_view a) {
  if (a.size() == 8) return IsLowerHex(a);
  if (a.size() != 36) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (a[i] == '-')) return false;
    if (!dash && !IsLowerHex(a.substr(i, 1))) return false;
  }
  return true;
}

std::vector<const Field*> LinkFields(const Form& form, const std::string& target_form) {
  std::vector<const Field*> out;
  for (const Field& f : form.fields) {
    if (!f.link.empty() && (target_form.empty() || f.link == target_form)) out.push_back(&f);
  }
  return out;
}

const Field* SubjectLink(const Form& form) {
  for (const Field& f : form.fields) {
    if (!f.link.empty() && f.link != form.id) return &f;
  }
  return nullptr;
}

bool LinksTo(const Form& form, const Answers& answers, const std::string& target_form, const std::string& record_id) {
  for (const Field* f : LinkFields(form, target_form)) {
    auto it = answers.find(f->name);
    if (it != answers.end() && NamesRecord(it->second, record_id)) return true;
  }
  return false;
}

Result<std::string> ResolveLink(std::string_view answer, const std::vector<std::string>& ids, const std::string& field) {
  std::vector<const std::string*> named;
  for (const std::string& id : ids) {
    const LinkMatch m = MatchLink(answer, id);
    if (m == LinkMatch::kExact) return id;
    if (m == LinkMatch::kPrefix) named.push_back(&id);
  }
  if (named.empty()) {
    return Status::NotFound("field '" + field + "': the record id '" + std::string(answer) +
                            "' names no record it may link to here");
  }
  if (named.size() > 1) {
    return Status::InvalidArgument("field '" + field + "': the record id '" + std::string(answer) + "' names " +
                                   std::to_string(named.size()) + " records: give all 36 characters");
  }
  return *named.front();
}

std::vector<std::string> CheckLinks(const std::vector<std::pair<std::string, const Form*>>& pack) {
  std::vector<std::string> out;
  auto in_pack = [&](const std::string& id) {
    return std::any_of(pack.begin(), pack.end(), [&](const auto& p) { return p.second->FindForm(id) != nullptr; });
  };
  for (const auto& [file, form] : pack) {
    std::vector<const Form*> all{form};
    for (const Form& r : form->repeats) all.push_back(&r);
    for (const Form* f : all) {
      for (const Field* l : LinkFields(*f)) {
        if (!in_pack(l->link)) {
          out.push_back(file + ": field '" + l->name + "': links to form '" + l->link + "', which is not in the pack");
        }
      }
    }
  }
  return out;
}

Answers OfferedFromProfile(const Form& form, const Form& profile_form, const Answers& profile) {
  Answers out;
  for (const auto& [mine, theirs] : kFromProfile) {
    const Field* to = form.FindField(mine);
    const Field* from = profile_form.FindField(theirs);
    auto it = profile.find(theirs);
    if (to == nullptr || from == nullptr || it == profile.end() || it->second.empty()) continue;
    if (to->type != from->type || to->list != from->list) continue;
    out[mine] = it->second;
  }
  return out;
}

}  // namespace sotay
