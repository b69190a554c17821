// Golden merge cases (tests/data/merge/*.json): small histories a supervisor can
// read, each applied in every order, with every edit duplicated, to the same result.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "sotay/merge.h"

using namespace sotay;
using nlohmann::json;

namespace {

Dot DotOf(const json& j) { return Dot{j[0].get<std::string>(), j[1].get<uint64_t>()}; }

Edit EditOf(const json& j) {
  Edit e;
  e.dot = DotOf(j["dot"]);
  e.record = "r";
  e.field = j["field"];
  e.value = j["value"];
  e.hlc = Hlc{j["hlc"][0].get<int64_t>(), j["hlc"][1].get<uint32_t>(), j["hlc"][2].get<std::string>()};
  for (const json& d : j["base"]) e.base.push_back(DotOf(d));
  e.author = "u";
  return e;
}

}  // namespace

TEST_CASE("merge: golden cases give the same state in every order", "[merge][golden]") {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SOTAY_TESTDATA_DIR) + "/merge")) {
    std::ifstream in(entry.path());
    json c = json::parse(in);
    INFO(entry.path().filename().string() << ": " << c["about"].get<std::string>());
    std::vector<Edit> edits;
    for (const json& e : c["edits"]) edits.push_back(EditOf(e));
    std::vector<size_t> order(edits.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::optional<RecordState> first;
    do {
      RecordState s;
      for (size_t i : order) s.Apply(edits[i]);
      for (size_t i : order) CHECK(s.Apply(edits[i]) == ApplyOutcome::kDuplicate);
      if (!first) first = s;
      CHECK(s == *first);
    } while (std::next_permutation(order.begin(), order.end()));

    const json& expect = c["expect"];
    for (const auto& [field, want] : expect.items()) {
      if (field == "conflicts") continue;
      CHECK(first->Shown(field) == want["shown"].get<std::string>());
      if (want.contains("heads")) {
        std::vector<std::string> heads;
        for (const Head& h : first->Field(field)->heads) heads.push_back(h.value);
        std::sort(heads.begin(), heads.end());
        CHECK(heads == want["heads"].get<std::vector<std::string>>());
      }
    }
    CHECK(first->Conflicts() == expect["conflicts"].get<std::vector<std::string>>());
    ++cases;
  }
  CHECK(cases >= 5);
}
