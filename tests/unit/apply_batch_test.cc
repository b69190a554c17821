// ApplyBatch (sotay/apply_batch.h): the one path by which edits land, called with
// the device's rules and with the server's. The last cases show the two sides now
// agree where they used to differ: reserved fields, unknown forms, new conflicts.
// The last checks the server's edit shape rule (edit_rules.h) as a push runs it.
#include <catch2/catch.hpp>

#include "sotay/apply_batch.h"
#include "sotay/edit_rules.h"

using namespace sotay;

namespace {

const char* kForm = R"({"form": "t", "version": 1, "title": {"vi": "T", "en": "T"},
  "fields": [{"type": "integer", "name": "age", "label": {"vi": "Tuổi", "en": "Age"}},
             {"type": "text", "name": "name", "label": {"vi": "Tên", "en": "Name"}},
             {"type": "text", "name": "notes", "merge": "append", "label": {"vi": "Ghi chú", "en": "Notes"}}]})";

const Form& TestForm() {
  static const Form form = *LoadForm(kForm, "t.json");
  return form;
}

ApplyRules DeviceRules(bool knows_form = true) {
  ApplyRules r;
  r.find_form = [knows_form](const std::string& id, int version) -> const Form* {
    return knows_form && id == "t" && version == 1 ? &TestForm() : nullptr;
  };
  return r;
}

ApplyRules ServerRules() {
  ApplyRules r = DeviceRules();
  r.unknown_form = UnknownForm::kRefuse;
  r.require_identity = true;
  r.check_values = true;
  return r;
}

struct Maker {
  std::string device = "dev-a";
  uint64_t counter = 0;
  int64_t ms = 1000;
  Edit operator()(const std::string& record, const std::string& field, const std::string& value,
                  std::vector<Dot> base = {}) {
    return Edit{{device, ++counter}, record, field, value, Hlc{++ms, 0, device}, std::move(base), "u"};
  }
};

std::vector<Edit> Creation(Maker& m, const std::string& id, const std::string& form = "t",
                           const std::string& version = "1") {
  return {m(id, kStatusField, kStatusActive), m(id, kFormField, form), m(id, kVersionField, version),
          m(id, kAreaField, "01234")};
}

BatchCounts Run(const std::vector<Edit>& edits, std::vector<RecordApply>& records, const ApplyRules& rules) {
  return ApplyBatch(edits, records, rules);
}

}  // namespace

TEST_CASE("apply: a new record lands, reserved fields first, fresh edits in batch order", "[apply]") {
  Maker m;
  std::vector<Edit> edits = {m("r1", "age", "7")};
  for (Edit& e : Creation(m, "r1")) edits.push_back(e);
  edits.push_back(edits[0]);  // the same dot twice
  auto records = GroupByRecord(edits);
  REQUIRE(records.size() == 1);
  BatchCounts c = Run(edits, records, ServerRules());
  const RecordApply& r = records[0];
  CHECK(!r.problem);
  CHECK(r.refused.empty());
  CHECK(r.fresh == std::vector<size_t>{0, 1, 2, 3, 4});
  CHECK(r.accepted == std::vector<size_t>{0, 1, 2, 3, 4, 5});  // the copy is known, so accepted again
  CHECK(c.fresh == 5);
  CHECK(r.state.Shown("age") == "7");
}

TEST_CASE("apply: records are grouped in the order of their first edit", "[apply]") {
  Maker m;
  std::vector<Edit> edits = {m("b", "age", "1"), m("a", "age", "2"), m("b", "name", "x")};
  auto records = GroupByRecord(edits);
  REQUIRE(records.size() == 2);
  CHECK(records[0].id == "b");
  CHECK(records[0].edits == std::vector<size_t>{0, 2});
  CHECK(records[1].id == "a");
}

TEST_CASE("apply: the server checks values and refuses one edit alone", "[apply]") {
  Maker m;
  std::vector<Edit> edits = Creation(m, "r1");
  edits.push_back(m("r1", "age", "seven"));
  edits.push_back(m("r1", "name", "Hoa"));
  auto records = GroupByRecord(edits);
  Run(edits, records, ServerRules());
  REQUIRE(records[0].refused.size() == 1);
  CHECK(records[0].refused[0].edit == 4);
  CHECK(records[0].refused[0].reason.find("age") != std::string::npos);
  CHECK(records[0].state.Shown("name") == "Hoa");
  CHECK(records[0].state.Shown("age").empty());
}

TEST_CASE("apply: a record that names no area waits, as it was read", "[apply]") {
  Maker m;
  std::vector<Edit> first = Creation(m, "r1");
  auto stored = GroupByRecord(first);
  Run(first, stored, ServerRules());
  const RecordState before = stored[0].state;

  std::vector<Edit> edits = {m("r2", kStatusField, kStatusActive), m("r2", kFormField, "t"), m("r2", "age", "3")};
  auto records = GroupByRecord(edits);
  Run(edits, records, ServerRules());
  CHECK(records[0].problem);
  CHECK(records[0].deferrable);
  CHECK(records[0].held == std::vector<size_t>{0, 1, 2});
  CHECK(records[0].fresh.empty());
  CHECK(records[0].state.known_count() == 0);

  // An existing record whose form changes to one not published keeps its state.
  std::vector<Edit> change = {m("r1", kFormField, "other"), m("r1", "age", "4")};
  std::vector<RecordApply> again(1);
  again[0].id = "r1";
  again[0].state = before;
  again[0].edits = {0, 1};
  Run(change, again, ServerRules());
  CHECK(again[0].problem);
  CHECK(!again[0].deferrable);
  CHECK(again[0].state == before);
}

TEST_CASE("apply: a side's own reserved rule refuses the edit alone", "[apply]") {
  Maker m;
  std::vector<Edit> edits = Creation(m, "r1");
  edits.push_back(m("r1", kAreaField, "99999"));
  ApplyRules rules = ServerRules();
  rules.admit_reserved = [](const Edit& e) -> std::optional<std::string> {
    if (e.field == kAreaField && e.value != "01234") return std::string("not this user's commune");
    return std::nullopt;
  };
  auto records = GroupByRecord(edits);
  Run(edits, records, rules);
  REQUIRE(records[0].refused.size() == 1);
  CHECK(records[0].refused[0].edit == 4);
  CHECK(records[0].state.Shown(kAreaField) == "01234");
}

TEST_CASE("apply: a record's append-only field stays append-only on a device without its form", "[apply]") {
  Maker a, b;
  b.device = "dev-b";
  b.ms = 5000;  // later
  std::vector<Edit> edits = Creation(a, "r1");
  edits.push_back(a("r1", "notes", "first"));
  auto records = GroupByRecord(edits);
  Run(edits, records, DeviceRules());
  const RecordState known = records[0].state;

  std::vector<Edit> later = {b("r1", "notes", "second")};  // names no base: appended
  std::vector<RecordApply> one(1);
  one[0].id = "r1";
  one[0].state = known;
  one[0].edits = {0};
  Run(later, one, DeviceRules(/*knows_form=*/false));
  CHECK(one[0].fresh.size() == 1);
  CHECK(one[0].state.Shown("notes") == "first\n\nsecond");
  CHECK(one[0].state.Conflicts().empty());
}

// The three former disagreements, each run through the device's rules and the
// server's: where both keep an edit, both reach the same state and count the same.

TEST_CASE("apply agrees: only the known reserved fields land, on both sides", "[apply][agree]") {
  Maker m;
  std::vector<Edit> edits = Creation(m, "r1");
  edits.push_back(m("r1", "_secret", "x"));
  edits.push_back(m("r1", kStatusField, "deleted"));
  for (const ApplyRules& rules : {DeviceRules(), ServerRules()}) {
    auto records = GroupByRecord(edits);
    Run(edits, records, rules);
    REQUIRE(records[0].refused.size() == 2);
    CHECK(records[0].refused[0].edit == 4);
    CHECK(records[0].refused[1].edit == 5);
    CHECK(records[0].state.Field("_secret") == nullptr);
    CHECK(records[0].state.Shown(kStatusField) == kStatusActive);
  }
  // Pulled by a device from a server that knows them (a newer version): kept, so the
  // device's cursor never moves past edits it would then never get again.
  ApplyRules pulled = DeviceRules();
  pulled.keep_unknown_reserved = true;
  auto records = GroupByRecord(edits);
  Run(edits, records, pulled);
  CHECK(records[0].refused.empty());
  CHECK(records[0].state.Shown("_secret") == "x");
  CHECK(IsReservedField("_secret"));
  CHECK(!IsKnownReservedField("_secret"));
  CHECK(!IsReservedField("age"));
}

TEST_CASE("apply agrees: an unknown form version is kept by the device, refused by the server, by one rule",
          "[apply][agree]") {
  Maker m;
  std::vector<Edit> edits = Creation(m, "r1", "t", "2");  // a version neither side has
  edits.push_back(m("r1", "age", "7"));
  auto device = GroupByRecord(edits);
  Run(edits, device, DeviceRules());
  CHECK(!device[0].problem);
  CHECK(device[0].fresh.size() == 5);  // the device loses nothing
  CHECK(device[0].state.Shown("age") == "7");

  auto server = GroupByRecord(edits);
  Run(edits, server, ServerRules());
  REQUIRE(server[0].problem);
  CHECK(*server[0].problem == "form t version 2 is not published on this server");
  CHECK(!server[0].deferrable);
  CHECK(server[0].held.size() == 5);
}

TEST_CASE("apply agrees: new conflicts are counted by field on both sides", "[apply][agree]") {
  Maker a, b, c;
  b.device = "dev-b";
  c.device = "dev-c";
  std::vector<Edit> creation = Creation(a, "r1");
  auto records = GroupByRecord(creation);
  Run(creation, records, ServerRules());
  const RecordState base = records[0].state;

  // Two people answer two fields differently without seeing each other: two decisions.
  std::vector<Edit> edits = {a("r1", "age", "7"), b("r1", "age", "8"), a("r1", "name", "Hoa"),
                             b("r1", "name", "Hòa")};
  for (const ApplyRules& rules : {DeviceRules(), ServerRules()}) {
    std::vector<RecordApply> one(1);
    one[0].id = "r1";
    one[0].state = base;
    one[0].edits = {0, 1, 2, 3};
    BatchCounts counts = Run(edits, one, rules);
    CHECK(counts.new_conflicts == 2);
    CHECK(one[0].new_conflicts == 2);

    // A third value for a field already in conflict is not news; a new field in conflict is.
    std::vector<Edit> more = {c("r1", "age", "9"), a("r1", "notes", "x"), c("r1", kStatusField, kStatusVoid)};
    std::vector<RecordApply> next(1);
    next[0].id = "r1";
    next[0].state = one[0].state;
    next[0].edits = {0, 1, 2};
    CHECK(Run(more, next, rules).new_conflicts == 1);  // the void did not see the answers: "_status"
  }
}

TEST_CASE("edit rules: a push's edits are checked in turn with the ids remembered, as one by one", "[apply]") {
  // The server checks a push's edits with one CheckedIds (push_applier.cc): what it
  // remembers must never let a malformed id through, whatever came before it.
  Maker m;
  std::vector<Edit> edits;
  for (const char* record : {"r1", "r2"}) {
    for (Edit& e : Creation(m, record)) edits.push_back(e);
    edits.push_back(m(record, "age", "7"));
  }
  Edit bad_record = m("r1", "name", "Lan");
  bad_record.record = "r1/../x";
  Edit bad_device = m("r2", "name", "Lan");
  bad_device.dot.device = "dev a";
  Edit empty_record = m("r2", "name", "Lan");
  empty_record.record.clear();
  edits.insert(edits.begin() + 3, bad_record);  // inside r1's run
  edits.push_back(bad_device);                  // after r2's edits from dev-a
  edits.push_back(m("r2", "notes", "again"));   // dev-a and r2 again, after the bad ones
  edits.push_back(empty_record);
  CheckedIds checked;
  size_t refused = 0;
  for (const Edit& e : edits) {
    const auto alone = CheckEditShape(e);
    const auto in_turn = CheckEditShape(e, &checked);
    INFO("edit " << e.dot.counter << " of record '" << e.record << "'");
    CHECK(in_turn == alone);
    if (alone) ++refused;
  }
  CHECK(refused == 3);
  CHECK(CheckEditShape(bad_record, &checked) == std::optional<std::string>("the record id is malformed"));
  CHECK(CheckEditShape(bad_device, &checked) == std::optional<std::string>("the edit's device id is malformed"));
}
