// ReportRecordsAsOf (report_records.h): the records as they stood at a period's end.
#include "store/report_records.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <set>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "sotay/apply_batch.h"
#include "sotay/codec.h"
#include "sotay/links.h"
#include "sotay/record_facts.h"
#include "sotay/register.h"

namespace sotay::server {

namespace {

constexpr int64_t kDayMs = 86400000;
// Edits are stamped by the device's clock, which may run ahead of the server's: a
// record whose history goes on less than a day before the period's end is replayed
// too (replaying one that did not need it costs time, not figures).
constexpr int64_t kClockMarginMs = kDayMs;

ReportRecord AsReported(const std::string& id, const RecordState& state) {
  return ToReportRecord(id, Summarize(state));
}

// The ids of the records of `communes`, or moved out of them, with a change stored
// after `received_after` (ms): sets are numbered in the order they are received, so
// the last set received by then bounds the records' updated_seq (read from the
// newest set back: a few for a recent period).
Result<std::unordered_set<std::string>> ChangedAfter(ServerStore& store, const std::vector<std::string>& communes,
                                                     int64_t received_after) {
  auto st = store.db().Prepare(
      store.postgres()
          ? "SELECT id FROM records WHERE updated_seq > coalesce((SELECT seq FROM edit_sets WHERE received_ms <= ?1"
            " ORDER BY seq DESC LIMIT 1), 0) AND (area IN (SELECT jsonb_array_elements_text(CAST(?2 AS jsonb)))"
            " OR id IN (SELECT record FROM moves WHERE from_area IN"
            " (SELECT jsonb_array_elements_text(CAST(?2 AS jsonb)))))"
          : "SELECT id FROM records WHERE updated_seq > coalesce((SELECT seq FROM edit_sets WHERE received_ms <= ?1"
            " ORDER BY seq DESC LIMIT 1), 0) AND (area IN (SELECT value FROM json_each(?2))"
            " OR id IN (SELECT record FROM moves WHERE from_area IN (SELECT value FROM json_each(?2))))");
  if (!st.ok()) return st.status();
  st->Bind(1, received_after).Bind(2, nlohmann::json(communes).dump());
  std::unordered_set<std::string> out;
  Status s = sql::ForEachRow(*st, [&] { out.insert(st->Text(0)); });
  if (!s.ok()) return s.Annotate("finding the records changed after the report's period");
  return out;
}

// A record's state from the edits of its history made at or before `end_ms`, or
// nullopt when it did not exist yet.
Result<std::optional<RecordState>> Replay(ServerStore& store, const FormCatalog& forms, const std::string& id,
                                          int64_t end_ms) {
  auto history = store.HistoryOf(id);
  if (!history.ok()) return history.status().Annotate("record " + id);
  std::vector<Edit> edits;
  for (StoredEdit& e : *history) {
    if (e.edit.hlc.ms <= end_ms) edits.push_back(std::move(e.edit));
  }
  if (edits.empty()) return std::optional<RecordState>();
  // The history holds only edits the server accepted: they merge again as they did,
  // each field with its form's policy.
  ApplyRules rules;
  rules.find_form = [&](const std::string& form, int version) { return forms.Find(form, version); };
  std::vector<RecordApply> one(1);
  one[0].id = id;
  for (size_t i = 0; i < edits.size(); ++i) one[0].edits.push_back(i);
  (void)ApplyBatch(edits, one, rules);
  if (one[0].state.Shown(kFormField).empty()) return std::optional<RecordState>();
  return std::optional<RecordState>(std::move(one[0].state));
}

// A profile merged into another as a duplicate was never a child of its own
// (register.h): a merge made after the period corrects it too, so the merge, as it
// stands now, replaces what the history said at the period's end.
Status KeepMerge(ServerStore& store, ReportRecord& r) {
  auto now = store.LoadRecord(r.id);
  if (!now.ok()) return now.status().Annotate("record " + r.id);
  if (!*now || (*now)->state.Shown(kRegisterStatusField) != kRegisterMerged) return Status::OK();
  for (const char* field : {kRegisterStatusField, kRegisterMergedIntoField, kRegisterLeftDateField}) {
    r.answers[field] = (*now)->state.Shown(field);
  }
  return Status::OK();
}

}  // namespace

int64_t EndOfLocalDayMs(int64_t day, Env& env) {
  // The zone's offset, to the minute (the two clocks are read a moment apart).
  const double offset = static_cast<double>(env.LocalNowMs() - env.NowMs());
  const int64_t zone_ms = static_cast<int64_t>(std::llround(offset / 60000.0)) * 60000;
  return (day + 1) * kDayMs - 1 - zone_ms;
}

Result<std::vector<ReportRecord>> ReportRecordsAsOf(ServerStore& store, const FormCatalog& forms,
                                                    const std::vector<std::string>& communes,
                                                    const ReportPeriod& period, Env& env) {
  std::vector<ReportRecord> current;
  if (!communes.empty()) {
    auto st = store.db().Prepare(
        store.postgres() ? "SELECT id, state FROM records WHERE area IN (SELECT jsonb_array_elements_text(CAST(?1 AS jsonb)))"
                         : "SELECT id, state FROM records WHERE area IN (SELECT value FROM json_each(?1))");
    if (!st.ok()) return st.status();
    st->Bind(1, nlohmann::json(communes).dump());
    Status s = sql::ForEachRow(*st, [&]() -> Status {
      auto state = DecodeRecordState(st->BlobView(1));
      if (!state.ok()) return state.status().Annotate("record " + st->Text(0));
      current.push_back(AsReported(st->Text(0), *state));
      return Status::OK();
    });
    if (!s.ok()) return s;
  }
  return ReportRecordsAsOf(store, forms, communes, period, env, std::move(current));
}

Result<std::vector<ReportRecord>> ReportRecordsAsOf(ServerStore& store, const FormCatalog& forms,
                                                    const std::vector<std::string>& communes,
                                                    const ReportPeriod& period, Env& env,
                                                    std::vector<ReportRecord> current) {
  if (!period.to_day) return current;  // an open period counts the records as they stand
  const RecordSource now = [&current](const std::function<Status(const ReportRecord&)>& each) -> Status {
    for (const ReportRecord& r : current) {
      Status s = each(r);
      if (!s.ok()) return s;
    }
    return Status::OK();
  };
  auto then = ReportSourceAsOf(store, forms, communes, period, env, now, now);
  if (!then.ok()) return then.status();
  std::vector<ReportRecord> out;
  out.reserve(current.size());
  Status s = (*then)([&](const ReportRecord& r) {
    out.push_back(r);
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

Result<RecordSource> ReportSourceAsOf(ServerStore& store, const FormCatalog& forms,
                                      const std::vector<std::string>& communes, const ReportPeriod& period,
                                      Env& env, RecordSource current, const RecordSource& stamps) {
  if (!period.to_day) return current;  // an open period counts the records as they stand
  const int64_t end_ms = EndOfLocalDayMs(*period.to_day, env);
  auto found = ChangedAfter(store, communes, end_ms - kClockMarginMs);
  if (!found.ok()) return found.status();
  if (found->empty()) return current;
  auto changed = std::make_shared<const std::unordered_set<std::string>>(std::move(found).value());
  // Received after the period but made before its end (a worker entering last year's
  // cases in January): every edit is stamped before the end, so the record stands as
  // it did then. Causally later edits carry later stamps (HLC), so the newest stamp
  // standing is the newest of the whole history. The rest are replayed.
  std::set<std::string> replay(changed->begin(), changed->end());
  Status s = stamps([&](const ReportRecord& r) {
    if (r.updated_ms <= end_ms) replay.erase(r.id);
    return Status::OK();
  });
  if (!s.ok()) return s;
  // A changed record may have been in the communes then and elsewhere now: each is
  // kept where its commune was at the period's end.
  const std::set<std::string> in_report(communes.begin(), communes.end());
  auto replayed = std::make_shared<std::vector<ReportRecord>>();
  for (const std::string& id : replay) {
    auto state = Replay(store, forms, id, end_ms);
    if (!state.ok()) return state.status();
    if (!*state) continue;  // made after the period
    ReportRecord r = AsReported(id, **state);
    Status merged = KeepMerge(store, r);
    if (!merged.ok()) return merged;
    if (in_report.count(r.area) > 0) replayed->push_back(std::move(r));
  }
  return RecordSource([current = std::move(current), changed, replayed, end_ms](
                          const std::function<Status(const ReportRecord&)>& each) -> Status {
    Status read = current([&](const ReportRecord& r) {
      if (r.updated_ms > end_ms && changed->count(r.id) > 0) return Status::OK();  // replayed below
      return each(r);
    });
    if (!read.ok()) return read;
    for (const ReportRecord& r : *replayed) {
      read = each(r);
      if (!read.ok()) return read;
    }
    return Status::OK();
  });
}

ReportAnswers::ReportAnswers(const FormCatalog& forms) {
  for (const char* name : {kRegisterStatusField, kRegisterLeftDateField, kRegisterBirthField, kRegisterMergedIntoField,
                           "sex", "child_sex", "dob", "child_dob", "ethnicity"}) {
    read_.insert(name);
  }
  std::vector<const Form*> todo = forms.Latest();
  while (!todo.empty()) {
    const Form* form = todo.back();
    todo.pop_back();
    for (const Form& repeat : form->repeats) todo.push_back(&repeat);
    for (const Indicator& i : form->indicators) {
      read_.insert(i.count.references().begin(), i.count.references().end());
      if (i.when) read_.insert(i.when->references().begin(), i.when->references().end());
    }
    for (const Field* f : LinkFields(*form)) read_.insert(f->name);
  }
}

void ReportAnswers::Prune(Answers& answers) const {
  for (auto it = answers.begin(); it != answers.end();) it = read_.count(it->first) == 0 ? answers.erase(it) : std::next(it);
}

RecordSource StoredRecords(ServerStore& store, const FormCatalog& forms, const std::vector<std::string>& communes) {
  auto answers = std::make_shared<const ReportAnswers>(forms);
  return [&store, communes, answers](const std::function<Status(const ReportRecord&)>& each) -> Status {
    auto st = store.db().Prepare(
        "SELECT id, state FROM records WHERE area = ?1 AND id > ?2 ORDER BY id LIMIT 500");
    if (!st.ok()) return st.status();
    for (const std::string& commune : communes) {
      std::string after;
      for (;;) {
        std::vector<ReportRecord> slice;
        st->Reset();
        st->Bind(1, commune).Bind(2, after);
        Status s = sql::ForEachRow(*st, [&]() -> Status {
          auto state = DecodeRecordState(st->BlobView(1));
          if (!state.ok()) return state.status().Annotate("record " + st->Text(0));
          slice.push_back(AsReported(st->Text(0), *state));
          answers->Prune(slice.back().answers);
          return Status::OK();
        });
        if (!s.ok()) return s;
        if (!slice.empty()) after = slice.back().id;
        for (const ReportRecord& r : slice) {
          s = each(r);
          if (!s.ok()) return s;
        }
        if (slice.size() < 500) break;
      }
    }
    return Status::OK();
  };
}

std::vector<ReportUnit> ReportUnitsUnder(const AreaTree& areas, const std::string& top) {
  std::vector<ReportUnit> out;
  for (const Area& a : areas.areas()) {
    if (!areas.Within(a.code, top)) continue;
    out.push_back({a.code, a.name, a.code == top ? "" : a.parent, a.level});
  }
  return out;  // ComputeYearReport puts them in depth-first order
}

}  // namespace sotay::server
