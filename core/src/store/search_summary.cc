// The sealed search summary's contents and layout (search_summary.h).
#include "search_summary.h"

#include <vector>

#include "sotay/duplicates.h"
#include "sotay/register.h"
#include "sotay/text.h"

namespace sotay {

namespace {

constexpr char kLayout = 0x02;
constexpr char kLayout1 = 0x01;
constexpr size_t kFieldCount = 15;  // layout 1: 14

void PutField(std::string& out, const std::string& v) {
  const uint32_t n = static_cast<uint32_t>(v.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out += v;
}

}  // namespace

bool HasIdentityFacts(const Form& form) {
  return form.parent_form.empty() && form.FindField(kProfileNameField) != nullptr &&
         form.FindField(kProfileBirthField) != nullptr;
}

SearchSummary SummaryOf(const Form& form, const RecordFacts& facts, const std::string& name) {
  auto shown = [&](const char* field) {
    auto it = facts.shown.find(field);
    return it == facts.shown.end() ? std::string() : it->second;
  };
  SearchSummary s;
  s.version = facts.version;
  s.name = name;
  s.sort_key = CollationKey(name);
  // What `list --query` has always searched: the name and the text answers.
  std::string haystack = name;
  for (const Field& f : form.fields) {
    if (f.type != FieldType::kText) continue;
    const std::string v = shown(f.name.c_str());
    if (!v.empty()) haystack += " " + v;
  }
  s.search_text = FoldForSearch(haystack);
  s.full_name = shown(kProfileNameField);
  s.birth_date = shown(kProfileBirthField);
  s.sex = shown(kProfileSexField);
  s.personal_id = shown(kProfilePersonalIdField);
  s.area = facts.area;
  s.village = shown("village");
  s.register_status = shown(kRegisterStatusField);
  s.special = shown("special_circumstances");
  s.is_void = facts.is_void;
  s.in_conflict = !facts.conflicts.empty();
  s.updated_ms = facts.updated_ms;
  return s;
}

std::string EncodeSearchSummary(const SearchSummary& s) {
  std::string out(1, kLayout);
  out.reserve(64 + s.name.size() + s.search_text.size() + s.full_name.size());
  PutField(out, std::to_string(s.version));
  PutField(out, s.name);
  PutField(out, s.search_text);
  PutField(out, s.full_name);
  PutField(out, s.birth_date);
  PutField(out, s.sex);
  PutField(out, s.personal_id);
  PutField(out, s.area);
  PutField(out, s.village);
  PutField(out, s.register_status);
  PutField(out, s.is_void ? "1" : "0");
  PutField(out, s.in_conflict ? "1" : "0");
  PutField(out, std::to_string(s.updated_ms));
  PutField(out, s.sort_key);
  PutField(out, s.special);
  return out;
}

Result<SearchSummary> DecodeSearchSummary(const std::string& record_id, const std::string& bytes) {
  auto bad = [&](const std::string& why) {
    return Status::Corrupt("the search summary of record " + record_id + " does not decode: " + why);
  };
  if (bytes.empty() || (bytes[0] != kLayout && bytes[0] != kLayout1)) return bad("unknown layout");
  const size_t expected = bytes[0] == kLayout ? kFieldCount : kFieldCount - 1;
  std::vector<std::string> fields;
  size_t at = 1;
  while (at < bytes.size()) {
    if (bytes.size() - at < 4) return bad("a field's length is cut short");
    uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    at += 4;
    if (bytes.size() - at < n) return bad("a field runs past the end");
    fields.emplace_back(bytes, at, n);
    at += n;
  }
  if (fields.size() != expected) return bad(std::to_string(fields.size()) + " fields, not " +
                                            std::to_string(expected));
  SearchSummary s;
  try {
    s.version = std::stoi(fields[0]);
    s.updated_ms = std::stoll(fields[12]);
  } catch (const std::exception&) {
    return bad("a number is not a number");
  }
  s.name = std::move(fields[1]);
  s.search_text = std::move(fields[2]);
  s.full_name = std::move(fields[3]);
  s.birth_date = std::move(fields[4]);
  s.sex = std::move(fields[5]);
  s.personal_id = std::move(fields[6]);
  s.area = std::move(fields[7]);
  s.village = std::move(fields[8]);
  s.register_status = std::move(fields[9]);
  s.is_void = fields[10] == "1";
  s.in_conflict = fields[11] == "1";
  s.sort_key = std::move(fields[13]);
  if (fields.size() > 14) s.special = std::move(fields[14]);
  return s;
}

bool SummaryMatches(const SearchSummary& s, const std::vector<std::string>& folded_words) {
  for (const std::string& w : folded_words) {
    if (s.search_text.find(w) == std::string::npos) return false;
  }
  return true;
}

}  // namespace sotay
