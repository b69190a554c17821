// The core's CBOR codec: edit groups and record states read back whole; rows in the
// layouts written before them (one edit a row, devices named by their ids, as
// nlohmann::json::to_cbor wrote them) are refused with a reason that names the row
// kind, not misread; and malformed bytes are refused with a reason, never read past
// their end.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "cbor.h"
#include "sotay/codec.h"

using namespace sotay;
using nlohmann::json;

namespace {

// ---- the layouts before edit groups and device tables, as the JSON-tree codec wrote them ----

json DotJ(const Dot& d) { return json::array({d.device, d.counter}); }
json HlcJ(const Hlc& h) { return json::array({h.ms, h.counter, h.device}); }
json DotsJ(const std::vector<Dot>& v) {
  json out = json::array();
  for (const Dot& d : v) out.push_back(DotJ(d));
  return out;
}
std::string Cbor(const json& j) {
  auto b = json::to_cbor(j);
  return std::string(b.begin(), b.end());
}

std::string ReferenceEdit(const Edit& e) {
  return Cbor({{"d", DotJ(e.dot)}, {"r", e.record}, {"f", e.field}, {"v", e.value},
               {"h", HlcJ(e.hlc)}, {"b", DotsJ(e.base)}, {"a", e.author}});
}

// An edit group with device ids in full.
std::string ReferenceGroup(const std::vector<Edit>& edits) {
  json list = json::array();
  for (const Edit& e : edits) {
    list.push_back(json::array({e.dot.device, e.dot.counter, e.field, e.value, e.hlc.ms, e.hlc.counter,
                                e.hlc.device, DotsJ(e.base), e.author}));
  }
  return Cbor({{"r", edits.front().record}, {"g", list}});
}

std::string ReferenceState(const RecordState& s) {
  json known = json::array();
  for (const Dot& d : s.known()) known.push_back(DotJ(d));
  json fields = json::object();
  for (const auto& [name, st] : s.fields()) {
    json heads = json::array();
    for (const Head& h : st.heads) {
      json head = {DotJ(h.dot), HlcJ(h.hlc), h.value, h.author};
      if (!h.saw.empty()) head.push_back(DotsJ(h.saw));
      heads.push_back(head);
    }
    json sup = json::array();
    for (const Dot& d : st.superseded) sup.push_back(DotJ(d));
    fields[name] = {{"h", heads}, {"s", sup}};
  }
  json policies = json::object();
  for (const auto& [name, p] : s.policies()) policies[name] = static_cast<int>(p);
  return Cbor({{"k", known}, {"f", fields}, {"p", policies}});
}

// ---- varied inputs: sizes that cross every head width, Vietnamese text ----

struct Gen {
  std::mt19937_64 rng{7};
  std::string Text() {
    static const char* words[] = {"", "a", "Nguyễn Thị Ánh", "Bản Phố", "0912345678", "ghi chú dài "};
    std::string s = words[rng() % 6];
    const size_t extra = rng() % 4 == 0 ? rng() % 70000 : rng() % 30;  // past 23, 255 and 65535 bytes
    s.append(extra, static_cast<char>('a' + rng() % 26));
    return s;
  }
  uint64_t Number() {
    static const uint64_t edges[] = {0, 23, 24, 255, 256, 65535, 65536, 4294967295ull, 4294967296ull};
    return rng() % 2 ? edges[rng() % 9] : rng() % 100000;
  }
  Dot D() { return Dot{"dev-" + std::to_string(rng() % 5), Number() + 1}; }
  Edit E(const std::string& record) {
    Edit e;
    e.dot = D();
    e.record = record;
    e.field = rng() % 3 ? "full_name" : "_status";
    e.value = Text();
    e.hlc = Hlc{static_cast<int64_t>(1790000000000ull + rng() % 100000000ull), static_cast<uint32_t>(Number()),
                e.dot.device};
    for (uint64_t i = rng() % 3; i > 0; --i) e.base.push_back(D());
    e.author = rng() % 2 ? "worker-7" : "";
    return e;
  }
};

}  // namespace

TEST_CASE("codec: a record state reads back equal, smaller than with device ids in full", "[codec]") {
  Gen g;
  for (int i = 0; i < 40; ++i) {
    RecordState state;
    const int edits = 1 + static_cast<int>(g.rng() % 40);
    for (int k = 0; k < edits; ++k) {
      Edit e = g.E("rec");
      e.field = k % 7 == 0 ? "_status" : "field_" + std::to_string(g.rng() % 9);
      if (e.field == "_status") e.value = k % 2 ? "void" : "active";
      state.Apply(e, k % 5 == 0 ? MergePolicy::kAppend : MergePolicy::kRegister);
    }
    const std::string bytes = EncodeRecordState(state);
    auto back = DecodeRecordState(bytes);
    REQUIRE(back.ok());
    CHECK(*back == state);
    CHECK(bytes.size() < ReferenceState(state).size());
  }
}

TEST_CASE("codec: an edit group reads back in order", "[codec]") {
  Gen g;
  std::vector<Edit> group;
  for (int i = 0; i < 30; ++i) group.push_back(g.E("4b3c0e9a-rec"));
  auto back = DecodeEditGroup(EncodeEditGroup(group));
  REQUIRE(back.ok());
  REQUIRE(back->size() == group.size());
  for (size_t i = 0; i < group.size(); ++i) {
    CHECK((*back)[i].dot == group[i].dot);
    CHECK((*back)[i].record == "4b3c0e9a-rec");
    CHECK((*back)[i].field == group[i].field);
    CHECK((*back)[i].value == group[i].value);
    CHECK((*back)[i].hlc == group[i].hlc);
    CHECK((*back)[i].base == group[i].base);
    CHECK((*back)[i].author == group[i].author);
  }
}

TEST_CASE("codec: rows in the layouts before groups and device tables are refused, naming the row kind", "[codec]") {
  Gen g;
  std::vector<Edit> group;
  for (int i = 0; i < 3; ++i) group.push_back(g.E("4b3c0e9a-rec"));
  RecordState state;
  for (const Edit& e : group) state.Apply(e, MergePolicy::kRegister);

  auto one = DecodeEditGroup(ReferenceEdit(group[0]));
  REQUIRE(one.status().code() == Status::Code::kCorrupt);
  CHECK(one.status().message() ==
        "edit group does not decode: it holds one edit, as rows were written before edit groups; "
        "this version no longer reads them");
  auto ids = DecodeEditGroup(ReferenceGroup(group));
  REQUIRE(ids.status().code() == Status::Code::kCorrupt);
  CHECK(ids.status().message() ==
        "edit group does not decode: it names a device by its id, as rows were written before device tables; "
        "this version no longer reads them");
  auto old_state = DecodeRecordState(ReferenceState(state));
  REQUIRE(old_state.status().code() == Status::Code::kCorrupt);
  CHECK(old_state.status().message().find("record state does not decode: it names a device by its id") == 0);
}

TEST_CASE("codec: truncated, padded or mistyped bytes are refused with a reason", "[codec]") {
  Gen g;
  RecordState state;
  for (int k = 0; k < 12; ++k) state.Apply(g.E("rec"), MergePolicy::kRegister);
  const std::string s = EncodeRecordState(state);
  const std::string grp = EncodeEditGroup({g.E("rec"), g.E("rec")});
  // Every cut short of the whole is refused, never read past its end (ASan watches).
  for (size_t n = 0; n < s.size(); n += 1 + n / 50) CHECK(DecodeRecordState(s.substr(0, n)).status().code() == Status::Code::kCorrupt);
  for (size_t n = 0; n < grp.size(); ++n) CHECK(!DecodeEditGroup(grp.substr(0, n)).ok());
  CHECK(DecodeEditGroup(grp + "x").status().code() == Status::Code::kCorrupt);
  // A map where an array belongs, and a missing key, each say what is wrong.
  auto wrong = DecodeRecordState(Cbor({{"k", json::object()}, {"f", json::object()}, {"p", json::object()}}));
  REQUIRE(wrong.status().code() == Status::Code::kCorrupt);
  CHECK(wrong.status().message().find("array") != std::string::npos);
  auto missing = DecodeEditGroup(Cbor({{"D", {"dev-a"}}, {"r", "rec"}}));
  REQUIRE(missing.status().code() == Status::Code::kCorrupt);
  CHECK(missing.status().message().find("missing 'g'") != std::string::npos);
  // A device index past the row's table.
  auto unknown = DecodeRecordState(Cbor({{"D", {"dev-a"}}, {"k", {{3, 1}}}, {"f", json::object()}, {"p", json::object()}}));
  REQUIRE(unknown.status().code() == Status::Code::kCorrupt);
  CHECK(unknown.status().message().find("table") != std::string::npos);
  // Known dots written out of order and twice read back in order, each once.
  auto shuffled = DecodeRecordState(Cbor({{"D", {"dev-b", "dev-a"}},
                                          {"k", {{0, 2}, {1, 7}, {0, 1}, {1, 7}, {1, 3}}},
                                          {"f", json::object()},
                                          {"p", json::object()}}));
  REQUIRE(shuffled.ok());
  CHECK(shuffled->known() == std::vector<Dot>{{"dev-a", 3}, {"dev-a", 7}, {"dev-b", 1}, {"dev-b", 2}});
  CHECK(shuffled->Knows(Dot{"dev-a", 7}));
  CHECK_FALSE(shuffled->Knows(Dot{"dev-a", 4}));
  // Fields written out of name order, one twice, read back in name order, each once
  // (the first copy, as a row read into a map kept it), and found by name.
  std::string fields_row;
  {
    cbor::Writer w(&fields_row);
    w.Map(4);
    w.Text("D"), w.Array(1), w.Text("dev-a");
    w.Text("f"), w.Map(3);
    const std::vector<std::pair<const char*, const char*>> written{{"sex", "female"}, {"dob", "2016-04-02"}, {"sex", "male"}};
    uint64_t counter = 0;
    for (const auto& [name, value] : written) {
      w.Text(name), w.Map(2), w.Text("h"), w.Array(1);
      w.Array(4), w.Array(2), w.Uint(0), w.Uint(++counter);
      w.Array(3), w.Int(1795000000000), w.Uint(0), w.Uint(0);
      w.Text(value), w.Text("lan");
      w.Text("s"), w.Array(0);
    }
    w.Text("k"), w.Array(2), w.Array(2), w.Uint(0), w.Uint(1), w.Array(2), w.Uint(0), w.Uint(2);
    w.Text("p"), w.Map(0);
  }
  auto fields_shuffled = DecodeRecordState(fields_row);
  REQUIRE(fields_shuffled.ok());
  REQUIRE(fields_shuffled->fields().size() == 2);
  CHECK(fields_shuffled->fields()[0].first == "dob");
  CHECK(fields_shuffled->fields()[1].first == "sex");
  CHECK(fields_shuffled->Shown("sex") == "female");
  CHECK(fields_shuffled->Shown("dob") == "2016-04-02");
  CHECK(fields_shuffled->Field("name") == nullptr);
  // A length far beyond the bytes given is refused before anything is reserved.
  CHECK(DecodeEditGroup(std::string("\xa1\x61g\x9b\x7f\xff\xff\xff\xff\xff\xff\xff", 12)).status().code() ==
        Status::Code::kCorrupt);
  // Random bytes: refused or read, never a crash.
  std::mt19937 rng(11);
  for (int i = 0; i < 2000; ++i) {
    std::string junk = s;
    junk[rng() % junk.size()] = static_cast<char>(rng());
    // Either outcome is right: only a crash (under the sanitizers) fails.
    DecodeRecordState(junk).status().IgnoreError();
    DecodeEditGroup(junk).status().IgnoreError();
  }
}

TEST_CASE("codec: the CBOR reader skips what it does not know and refuses indefinite lengths", "[codec]") {
  const std::string bytes = Cbor({{"a", json::array({1, -2, "x", json::binary({1, 2}), true, nullptr, 1.5})}, {"b", 3}});
  cbor::Reader r(bytes);
  REQUIRE(r.Map() == 2);
  CHECK(r.Text() == "a");
  r.Skip();
  CHECK(r.Text() == "b");
  CHECK(r.Uint() == 3);
  CHECK(r.AtEnd());
  const std::string indefinite_bytes("\x9f\x01\xff", 3);
  cbor::Reader indefinite(indefinite_bytes);
  CHECK_THROWS_AS(indefinite.Array(), cbor::Error);
  const std::string minus_five = Cbor(json(-5));
  cbor::Reader negative(minus_five);
  CHECK(negative.Int() == -5);
  cbor::Reader mistyped(minus_five);
  CHECK_THROWS_AS(mistyped.Uint(), cbor::Error);
}
