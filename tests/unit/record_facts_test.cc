// Summarize: the facts every reader (the device's list and report, the server's
// dashboard and report) takes from a record's merged state.
#include <catch2/catch.hpp>

#include "sotay/record_facts.h"

using namespace sotay;

namespace {
Edit E(const std::string& dev, uint64_t n, const std::string& field, const std::string& value, int64_t ms,
       std::vector<Dot> base = {}) {
  return Edit{Dot{dev, n}, "r1", field, value, Hlc{ms, 0, dev}, std::move(base), "u"};
}
}  // namespace

TEST_CASE("facts: form, commune, parent, shown answers, made and changed times, open conflicts", "[facts]") {
  RecordState s;
  s.Apply(E("a", 1, "_status", "active", 1000));
  s.Apply(E("a", 2, "_form", "child_profile", 1000));
  s.Apply(E("a", 3, "_version", "2", 1000));
  s.Apply(E("a", 4, "_area", "01234", 1000));
  s.Apply(E("a", 5, "_parent", "p9", 1000));
  s.Apply(E("a", 6, "full_name", "Lò Thị Dung", 1000));
  s.Apply(E("a", 7, "village", "Bản Phố", 1000));
  s.Apply(E("b", 1, "village", "Bản Trên", 5000, {Dot{"a", 7}}));
  s.Apply(E("c", 1, "village", "Bản Dưới", 4000, {Dot{"a", 7}}));
  s.Apply(E("c", 2, "note", "", 3000));  // an empty answer is not shown

  const RecordFacts f = Summarize(s);
  CHECK(f.form == "child_profile");
  CHECK(f.version == 2);
  CHECK(f.area == "01234");
  CHECK(f.parent == "p9");
  CHECK(f.shown == Answers{{"full_name", "Lò Thị Dung"}, {"village", "Bản Trên"}});
  CHECK(f.created_ms == 1000);
  CHECK(f.updated_ms == 5000);
  CHECK(f.conflicts == std::vector<std::string>{"village"});
  CHECK_FALSE(f.is_void);

  s.Apply(E("a", 8, "_status", "void", 6000, s.AllHeads()));
  const RecordFacts voided = Summarize(s);
  CHECK(voided.is_void);
  const ReportRecord r = ToReportRecord("r1", voided);
  CHECK(r.id == "r1");
  CHECK(r.area == "01234");
  CHECK(r.is_void);
  CHECK(r.created_ms == 1000);
  CHECK(r.answers.at("village") == "Bản Trên");
}
