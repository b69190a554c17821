// Record links (links.h, issue 14): the `link` vocabulary the loader reads and
// refuses, which answers name which profile (full id or the 8-character prefix of
// older records), the pack's links, and indicators that count a child once.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sotay/indicators.h"
#include "sotay/links.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

const char kP1[] = "019a1b2c-0000-7000-8000-000000000001";
const char kP2[] = "019a1b2c-0000-7000-8000-000000000002";  // made in the same minute: same prefix
const char kP3[] = "019a9999-0000-7000-8000-000000000003";

std::string FormWith(const std::string& field) {
  return R"({"form": "case", "version": 1, "title": {"vi": "Vụ", "en": "Case"},
             "fields": [)" + field + "]}";
}

std::string Problems(const std::string& json) {
  auto r = LoadForm(json, "forms/case.json");
  return r.ok() ? std::string() : r.status().message();
}

const Form& Pack(const std::string& id) { return sotay::testing::PackForm(id); }

ReportRecord Case(const std::string& id, const std::string& area, const std::string& child) {
  ReportRecord r;
  r.id = id;
  r.area = area;
  r.answers = {{"report_datetime", "2026-03-01T08:00"}, {"risk_level", "high"}, {"case_status", "open"}};
  if (!child.empty()) r.answers["child_record_id"] = child;
  r.created_ms = *ParseIsoDate("2026-03-01") * 86400000;
  return r;
}

const IndicatorResult& Get(const std::vector<IndicatorResult>& rs, const std::string& name) {
  for (const IndicatorResult& r : rs) {
    if (r.indicator->name == name) return r;
  }
  FAIL("no indicator " << name);
  return rs.front();
}

CheckEnv ReportDay() {
  CheckEnv env;
  env.today_days = static_cast<double>(*ParseIsoDate("2026-11-22"));
  env.now_ms = static_cast<int64_t>(env.today_days) * 86400000;
  return env;
}

const ReportPeriod kYear2026{*ParseIsoDate("2026-01-01"), *ParseIsoDate("2026-12-31")};

}  // namespace

TEST_CASE("links: a text field names the form whose record id it holds", "[links][form]") {
  auto form = LoadForm(FormWith(R"({"type": "text", "name": "child", "link": "child_profile",
                                    "label": {"vi": "Trẻ", "en": "Child"}})"), "forms/case.json");
  REQUIRE(form.ok());
  CHECK(form->FindField("child")->link == "child_profile");
  CHECK(SubjectLink(*form) == form->FindField("child"));
}

TEST_CASE("links: a link on a field that is not text, or naming no form, is refused by file and field", "[links][form]") {
  const std::string on_integer = Problems(FormWith(R"({"type": "integer", "name": "child", "link": "child_profile",
                                                       "label": {"vi": "Trẻ", "en": "Child"}})"));
  CHECK(on_integer.find("forms/case.json") != std::string::npos);
  CHECK(on_integer.find("field 'child'") != std::string::npos);
  CHECK(on_integer.find("'link' is only for a text field") != std::string::npos);
  const std::string not_a_name = Problems(FormWith(R"({"type": "text", "name": "child", "link": "child profile",
                                                       "label": {"vi": "Trẻ", "en": "Child"}})"));
  CHECK(not_a_name.find("field 'child': 'link' must name a form") != std::string::npos);
}

TEST_CASE("links: a link to a form that is not in the pack is named with its file and field", "[links][form]") {
  auto form = LoadForm(FormWith(R"({"type": "text", "name": "child", "link": "child_register",
                                    "label": {"vi": "Trẻ", "en": "Child"}})"), "forms/case.json");
  REQUIRE(form.ok());
  const std::vector<std::string> problems = CheckLinks({{"forms/case.json", &*form}, {"child_profile.json", &Pack("child_profile")}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "forms/case.json: field 'child': links to form 'child_register', which is not in the pack");
}

TEST_CASE("links: the pack's case forms link to the child's profile, and profiles to a sibling", "[links][pack]") {
  std::vector<std::pair<std::string, const Form*>> pack;
  for (const auto& entry : std::filesystem::directory_iterator(SOTAY_SCHEMAS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    pack.emplace_back(entry.path().string(), &Pack(entry.path().stem().string()));
  }
  CHECK(CheckLinks(pack).empty());
  for (const char* id : {"abuse_case", "child_marriage", "injury_incident", "school_dropout"}) {
    INFO(id);
    const Field* subject = SubjectLink(Pack(id));
    REQUIRE(subject != nullptr);
    CHECK(subject->name == "child_record_id");  // the old name: old records keep their link
    CHECK(subject->link == "child_profile");
  }
  // A profile's household link relates two children; it makes no profile "about" another.
  CHECK(SubjectLink(Pack("child_profile")) == nullptr);
  REQUIRE(LinkFields(Pack("child_profile"), "child_profile").size() == 1);
  CHECK(LinkFields(Pack("child_profile"), "child_profile")[0]->name == "household_with");
}

TEST_CASE("links: an answer names a profile by its full id or the 8 characters older records used", "[links]") {
  CHECK(MatchLink(kP1, kP1) == LinkMatch::kExact);
  CHECK(MatchLink("019a1b2c", kP1) == LinkMatch::kPrefix);
  CHECK(MatchLink("019a1b2", kP1) == LinkMatch::kNone);  // 7 characters are no link
  CHECK(MatchLink(kP2, kP1) == LinkMatch::kNone);
  CHECK(MatchLink("", kP1) == LinkMatch::kNone);
  CHECK(NamesRecord("019a1b2c", kP2));

  CHECK(IsLinkShaped("019a1b2c"));
  CHECK(IsLinkShaped(kP1));
  CHECK_FALSE(IsLinkShaped("nguyen v"));
  CHECK_FALSE(IsLinkShaped("019A1B2C"));
  CHECK_FALSE(IsLinkShaped("019a1b2c-0000-7000-8000-00000000000"));

  const Form& abuse = Pack("abuse_case");
  CHECK(LinksTo(abuse, {{"child_record_id", "019a9999"}}, "child_profile", kP3));
  CHECK_FALSE(LinksTo(abuse, {{"child_record_id", "019a9999"}}, "child_profile", kP1));
  CHECK_FALSE(LinksTo(abuse, {{"child_name", kP3}}, "child_profile", kP3));  // not a link field
}

TEST_CASE("links: resolving an answer refuses a prefix that names two profiles", "[links]") {
  const std::vector<std::string> ids{kP1, kP2, kP3};
  CHECK(*ResolveLink(kP2, ids, "child_record_id") == kP2);
  CHECK(*ResolveLink("019a9999", ids, "child_record_id") == kP3);
  auto two = ResolveLink("019a1b2c", ids, "child_record_id");
  REQUIRE_FALSE(two.ok());
  CHECK(two.status().code() == Status::Code::kInvalidArgument);
  CHECK(two.status().message().find("field 'child_record_id'") != std::string::npos);
  CHECK(two.status().message().find("2 records") != std::string::npos);
  auto none = ResolveLink("deadbeef", ids, "child_record_id");
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().code() == Status::Code::kNotFound);
}

TEST_CASE("links: a picked profile offers the case its child's name, sex and birth date", "[links]") {
  const Answers profile{{"full_name", "Nguyễn Văn An"}, {"sex", "male"}, {"dob", "2015-03-21"},
                        {"village", "Bản Phố"}, {"ethnicity", "kinh"}};
  const Answers offered = OfferedFromProfile(Pack("injury_incident"), Pack("child_profile"), profile);
  CHECK(offered == Answers{{"child_name", "Nguyễn Văn An"}, {"child_sex", "male"}, {"child_dob", "2015-03-21"},
                           {"village", "Bản Phố"}});
}

TEST_CASE("indicators: two cases of one child count 1 child beside 2 records", "[links][indicators]") {
  const std::vector<ReportRecord> cases{
      Case("c1", "01234", kP3),
      Case("c2", "01234", "019a9999"),  // an older record: the same child by the prefix
      Case("c3", "01235", ""),          // no link: a child of its own
      Case("c4", "01235", kP1),
  };
  auto rs = ComputeIndicators(Pack("abuse_case"), cases, kYear2026, ReportDay());
  const IndicatorResult& reported = Get(rs, "cases_reported");
  CHECK(reported.by_area.at("01234").count == 1);
  CHECK(reported.by_area.at("01234").records == 2);
  CHECK(reported.by_area.at("01235").count == 2);
  CHECK(reported.by_area.at("01235").records == 2);
  CHECK(reported.total.count == 3);
  CHECK(reported.total.records == 4);
  CHECK(FormatIndicatorValue(reported.by_area.at("01234"), "vi") == "1 (2 hồ sơ)");
  CHECK(FormatIndicatorValue(reported.by_area.at("01234"), "en") == "1 (2 records)");
  CHECK(FormatIndicatorValue(reported.by_area.at("01235"), "en") == "2");  // the same: said once

  // A share counts children over children.
  const IndicatorResult& late = Get(rs, "cases_past_deadline");
  CHECK(late.total.of == 3);
}

TEST_CASE("indicators: the register still counts its profiles, one record a child", "[links][indicators]") {
  ReportRecord p;
  p.id = kP1;
  p.area = "01234";
  p.answers = {{"full_name", "A"}, {"sex", "male"}, {"dob", "2015-03-21"}, {"household_with", kP2}};
  p.created_ms = *ParseIsoDate("2026-03-01") * 86400000;
  ReportRecord q = p;
  q.id = kP2;
  q.answers.erase("household_with");
  auto rs = ComputeIndicators(Pack("child_profile"), {p, q}, kYear2026, ReportDay());
  CHECK(Get(rs, "children_total").total.count == 2);  // siblings are two children
  CHECK(Get(rs, "children_total").total.records == -1);
}
