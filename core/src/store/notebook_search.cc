// Notebook: finding records (`list --query`, the duplicate check before a save) and
// the sealed search summaries they read (search_summary.h): kept in the same
// transaction as the record's state (StoreEdits), rebuilt from the records when the
// notebook opens and their count disagrees, or after a summary failed to open.
#include <algorithm>
#include <map>

#include "notebook_keys.h"
#include "search_summary.h"
#include "sotay/codec.h"
#include "sotay/edit_rules.h"
#include "sotay/notebook.h"
#include "sotay/record_facts.h"
#include "sotay/text.h"

namespace sotay {

bool Notebook::IsIdentityFormId(const std::string& form_id) const {
  auto form = FindForm(form_id);
  return form.ok() && HasIdentityFacts(**form);
}

Status Notebook::PutSearchSummary(const std::string& id, const RecordState& state, int64_t now,
                                  const CheckEnv& env) {
  const std::string form_id = state.Shown(kFormField);
  if (!IsIdentityFormId(form_id)) return Status::OK();
  RecordFacts facts = Summarize(state);
  auto form = FindForm(form_id, facts.version);
  if (!form.ok()) form = FindForm(form_id);  // a newer device's version: the fields we know
  if (!form.ok()) return Status::OK();
  const std::string name = InstanceName(**form, facts.shown, env);
  return store_->Put(Table::kSummaries, id, form_id, now, EncodeSearchSummary(SummaryOf(**form, facts, name)));
}

Status Notebook::ForgetSearchSummary(const std::string& id) { return store_->Delete(Table::kSummaries, id); }

Status Notebook::EnsureSearchSummaries() {
  auto stale = store_->GetMeta(kMetaSummariesStale);
  if (!stale.ok()) return stale.status();
  auto version = store_->GetMeta(kMetaIndexVersion);
  if (!version.ok()) return version.status();
  if (stale->value_or("") != "1" && version->value_or("") == kIndexVersion) {
    auto keys = store_->RowKeys(Table::kRecords);
    if (!keys.ok()) return keys.status();
    std::map<std::string, bool> identity;  // per form id
    int64_t expected = 0;
    for (const SealedStore::RowKey& k : *keys) {
      auto it = identity.find(k.index);
      if (it == identity.end()) it = identity.emplace(k.index, IsIdentityFormId(k.index)).first;
      expected += it->second ? 1 : 0;
    }
    auto have = store_->Count(Table::kSummaries);
    if (!have.ok()) return have.status();
    if (*have == expected) return Status::OK();
  }
  return RebuildSearchSummaries();
}

Status Notebook::RebuildSearchSummaries() {
  const CheckEnv env = MakeEnv("vi");
  const int64_t now = env_->NowMs();
  return InTransaction([&] {
    for (Table t : {Table::kSummaries, Table::kLinks, Table::kConflicts}) {
      auto old = store_->RowKeys(t);
      if (!old.ok()) return old.status();
      for (const SealedStore::RowKey& k : *old) {
        Status s = store_->Delete(t, k.key);
        if (!s.ok()) return s;
      }
    }
    // Every record: the indexes cover every form, the summaries children's.
    Status failure;
    Status s = store_->Scan(Table::kRecords, std::nullopt, [&](const SealedRow& row) {
      // A record that does not open has no summary and no index rows: `list` reports it.
      if (!row.plaintext.ok()) return true;
      auto state = DecodeRecordState(*row.plaintext);
      if (!state.ok()) return true;
      failure = PutSearchSummary(row.key, *state, now, env);
      if (failure.ok()) failure = PutRecordIndexes(row.key, *state, now);
      return failure.ok();
    });
    if (!s.ok()) return s;
    if (!failure.ok()) return failure;
    s = store_->PutMeta(kMetaSummariesStale, "0");
    if (s.ok()) s = store_->PutMeta(kMetaIndexVersion, kIndexVersion);
    return s;
  });
}

// A summary that does not open or decode: the search cannot be trusted to be whole,
// so it fails, naming the record, and the summaries are rebuilt at the next open.
Status Notebook::SummaryFailed(const Status& why) {
  (void)store_->PutMeta(kMetaSummariesStale, "1");  // best effort: the count check remains
  return Status::Corrupt(why.message() +
                         "; the search index is rebuilt from the records the next time the notebook opens");
}

Status Notebook::ScanSummaries(const std::string& form_id,
                               const std::function<void(const std::string&, SearchSummary&)>& visit) {
  Status failure;
  Status s = store_->Scan(Table::kSummaries, form_id, [&](const SealedRow& row) {
    if (!row.plaintext.ok()) {
      failure = row.plaintext.status();
      return false;
    }
    auto summary = DecodeSearchSummary(row.key, *row.plaintext);
    if (!summary.ok()) {
      failure = summary.status();
      return false;
    }
    visit(row.key, *summary);
    return true;
  });
  if (!s.ok()) return s;
  return failure.ok() ? failure : SummaryFailed(failure);
}

Result<std::vector<DuplicateProfile>> Notebook::IdentityFacts(const std::string& form_id) {
  std::vector<DuplicateProfile> out;
  if (IsIdentityFormId(form_id)) {
    Status s = ScanSummaries(form_id, [&](const std::string& id, SearchSummary& sum) {
      if (sum.is_void) return;
      out.push_back(DuplicateProfile{id, std::move(sum.full_name), std::move(sum.birth_date), std::move(sum.sex),
                                     std::move(sum.personal_id), std::move(sum.area)});
    });
    if (!s.ok()) return s;
    return out;
  }
  Status s = store_->Scan(Table::kRecords, form_id, [&](const SealedRow& row) {
    if (!row.plaintext.ok()) return true;  // a tampered record is reported by `list`
    auto state = DecodeRecordState(*row.plaintext);
    if (!state.ok() || state->IsVoid()) return true;
    out.push_back(DuplicateProfile{row.key, state->Shown(kProfileNameField), state->Shown(kProfileBirthField),
                                   state->Shown(kProfileSexField), state->Shown(kProfilePersonalIdField),
                                   state->Shown(kAreaField)});
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<RecordSummary>> Notebook::List(const ListFilter& filter, const std::string& lang) {
  std::vector<std::pair<std::string, RecordSummary>> rows;  // (collation key, summary)
  const CheckEnv env = MakeEnv(lang);
  const std::vector<std::string> words = SplitAtSpaces(FoldForSearch(filter.query));
  // Every record's row, opened: without a query, or of a form without summaries.
  auto visit_record = [&](const SealedRow& row) {
    RecordSummary sum;
    sum.id = row.key;
    sum.form = row.index;
    sum.updated_ms = row.stamp;
    if (!row.plaintext.ok()) {
      sum.status = row.plaintext.status();
      if (filter.query.empty()) rows.emplace_back("", std::move(sum));
      return true;
    }
    auto view = ViewOf(row.key, *row.plaintext);
    if (!view.ok()) {
      sum.status = view.status();
      if (filter.query.empty()) rows.emplace_back("", std::move(sum));
      return true;
    }
    if (view->is_void() && !filter.include_void) return true;
    auto form = FindForm(view->form, view->version);
    if (form.ok()) sum.name = InstanceName(**form, view->shown, env);
    // A repeat entry (a home visit) without an instance_name shows as its form's title.
    if (sum.name.empty() && form.ok()) sum.name = (*form)->title.Get(lang);
    sum.is_void = view->is_void();
    sum.updated_ms = view->updated_ms;
    sum.in_conflict = view->state.HasConflict();
    if (!filter.query.empty()) {
      std::string haystack = sum.name;
      if (form.ok()) {
        for (const Field& f : (*form)->fields) {
          auto it = view->shown.find(f.name);
          if (it != view->shown.end() && f.type == FieldType::kText) haystack += " " + it->second;
        }
      }
      if (!MatchesSearch(haystack, filter.query)) return true;
    }
    rows.emplace_back(CollationKey(sum.name), std::move(sum));
    return true;
  };
  std::optional<std::string> form_index;
  if (!filter.form.empty()) form_index = filter.form;
  if (filter.conflicts_only) {
    // Only the records the conflict index names are opened; each is checked again.
    std::vector<SealedRow> conflicted;
    Status s = store_->Scan(Table::kConflicts, form_index, [&](const SealedRow& row) {
      conflicted.push_back(SealedRow{row.key, row.index, row.stamp, Status::NotFound("")});
      return true;
    });
    if (!s.ok()) return s;
    for (SealedRow& row : conflicted) {
      row.plaintext = store_->Get(Table::kRecords, row.key);
      if (row.plaintext.status().code() == Status::Code::kNotFound) continue;  // forgotten since
      const size_t before = rows.size();
      visit_record(row);
      if (rows.size() > before && rows.back().second.status.ok() && !rows.back().second.in_conflict) rows.pop_back();
    }
  } else if (filter.query.empty()) {
    Status s = store_->Scan(Table::kRecords, form_index, visit_record);
    if (!s.ok()) return s;
  } else {
    std::vector<std::string> indexes;
    if (!filter.form.empty()) {
      indexes.push_back(filter.form);
    } else {
      auto keys = store_->RowKeys(Table::kRecords);
      if (!keys.ok()) return keys.status();
      for (const SealedStore::RowKey& k : *keys) {
        if (std::find(indexes.begin(), indexes.end(), k.index) == indexes.end()) indexes.push_back(k.index);
      }
    }
    for (const std::string& index : indexes) {
      Status s;
      if (IsIdentityFormId(index)) {
        s = ScanSummaries(index, [&](const std::string& id, SearchSummary& found) {
          if (found.is_void && !filter.include_void) return;
          if (!SummaryMatches(found, words)) return;
          RecordSummary sum;
          sum.id = id;
          sum.form = index;
          sum.name = std::move(found.name);
          std::string key = std::move(found.sort_key);
          if (sum.name.empty()) {
            auto form = FindForm(index, found.version);
            if (form.ok()) sum.name = (*form)->title.Get(lang);
            key = CollationKey(sum.name);
          }
          sum.is_void = found.is_void;
          sum.in_conflict = found.in_conflict;
          sum.updated_ms = found.updated_ms;
          rows.emplace_back(std::move(key), std::move(sum));
        });
      } else {
        s = store_->Scan(Table::kRecords, index, visit_record);
      }
      if (!s.ok()) return s;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RecordSummary> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(std::move(r.second));
  return out;
}

}  // namespace sotay
