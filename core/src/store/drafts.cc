// Drafts: each one a sealed row of the drafts table, its answers and trail in CBOR.
#include "sotay/drafts.h"

#include <nlohmann/json.hpp>

namespace sotay {

using nlohmann::json;

namespace {

std::string EncodeDraft(const Draft& d) {
  json j = {{"form", d.form}, {"version", d.version}, {"parent", d.parent}, {"record", d.record},
            {"answers", d.answers}, {"trail", d.trail}};
  std::vector<uint8_t> bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<Draft> DecodeDraft(const std::string& id, const std::string& bytes, int64_t stamp) {
  try {
    json j = json::from_cbor(bytes);
    Draft d;
    d.id = id;
    d.form = j.at("form").get<std::string>();
    d.version = j.at("version").get<int>();
    d.parent = j.at("parent").get<std::string>();
    d.record = j.at("record").get<std::string>();
    d.answers = j.at("answers").get<Answers>();
    d.trail = j.at("trail").get<std::vector<size_t>>();
    d.updated_ms = stamp;
    return d;
  } catch (const std::exception& e) {
    return Status::Corrupt("draft " + id + " does not decode: " + e.what());
  }
}

}  // namespace

Status Drafts::Save(Draft& draft) {
  if (draft.id.empty()) draft.id = RandomHex(&env_, 4);
  draft.updated_ms = env_.NowMs();
  return store_.Put(Table::kDrafts, draft.id, draft.form, draft.updated_ms, EncodeDraft(draft));
}

Result<Draft> Drafts::Get(const std::string& id) {
  Result<Draft> found = Status::NotFound("no draft with id '" + id + "'");
  Status s = store_.Scan(Table::kDrafts, std::nullopt, [&](const SealedRow& row) {
    if (row.key != id) return true;
    found = row.plaintext.ok() ? DecodeDraft(row.key, *row.plaintext, row.stamp)
                               : Result<Draft>(row.plaintext.status());
    return false;
  });
  if (!s.ok()) return s;
  return found;
}

Result<std::vector<Draft>> Drafts::List() {
  std::vector<Draft> out;
  Status failure;
  Status s = store_.Scan(Table::kDrafts, std::nullopt, [&](const SealedRow& row) {
    auto d = row.plaintext.ok() ? DecodeDraft(row.key, *row.plaintext, row.stamp)
                                : Result<Draft>(row.plaintext.status());
    if (!d.ok()) {
      failure = d.status();
      return false;
    }
    out.push_back(std::move(d).value());
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return out;
}

Status Drafts::Delete(const std::string& id) { return store_.Delete(Table::kDrafts, id); }

}  // namespace sotay
