// The sync wire format: round trips, size, and hostile bytes.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "sotay/codec.h"
#include "sotay/wire.h"

using namespace sotay;

namespace {

std::vector<Edit> NewRecord(const std::string& id, uint64_t& counter, int64_t ms) {
  const std::vector<std::pair<std::string, std::string>> answers{
      {"_status", "active"}, {"_form", "child_profile"}, {"_version", "1"}, {"_area", "01234"},
      {"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"}, {"dob", "2015-03-21"}, {"ethnicity", "tay"},
      {"birth_registered", "yes"}, {"personal_id", "001215012345"},
      {"village", "Bản Phố"}, {"living_with", "relatives"}, {"caregiver_name", "Hoàng Văn Hải"},
      {"caregiver_phone", "0912345678"}, {"household_poverty", "poor"}, {"in_school", "yes"},
      {"school_level", "primary"}, {"health_insurance", "yes"}, {"disability", "no"},
      {"special_circumstances", "h"}, {"age_years", "11"}, {"notes", "Nhà xa trường."},
      {"religion", "none"}, {"height_cm", "132"}, {"weight_kg", "27"}, {"vaccinated", "yes"}};
  std::vector<Edit> out;
  for (const auto& [field, value] : answers) {
    out.push_back(Edit{{"a572a117a754297e", ++counter}, id, field, value, {ms++, 0, "a572a117a754297e"}, {}, "w-1"});
  }
  return out;
}

}  // namespace

TEST_CASE("wire: a request and a response survive encoding", "[wire]") {
  uint64_t counter = 0;
  SyncRequest req;
  req.cursor = 42;
  req.push = NewRecord("3f2a9c1e-1b2c-4d5e-8f90-0123456789ab", counter, 1795000000000);
  req.push.push_back(Edit{{"a572a117a754297e", ++counter}, "3f2a9c1e-1b2c-4d5e-8f90-0123456789ab", "village",
                          "Bản Mới", {1795000000100, 3, "a572a117a754297e"},
                          {{"a572a117a754297e", 12}, {"other", 7}}, "w-1"});
  req.forms = {"child_profile@1"};
  auto back = DecodeSyncRequest(EncodeSyncRequest(req));
  REQUIRE(back.ok());
  CHECK(back->cursor == 42);
  REQUIRE(back->push.size() == req.push.size());
  for (size_t i = 0; i < req.push.size(); ++i) {
    const Edit& a = req.push[i];
    const Edit& b = back->push[i];
    CHECK(a.dot == b.dot);
    CHECK(a.record == b.record);
    CHECK(a.field == b.field);
    CHECK(a.value == b.value);
    CHECK(a.hlc == b.hlc);
    CHECK(a.base == b.base);
  }
  CHECK(back->forms == req.forms);

  SyncResponse res;
  res.accepted = {{"a572a117a754297e", 1}, {"a572a117a754297e", 2}};
  res.rejected = {{{"a572a117a754297e", 3}, "field 'sex': not in the choice list"}};
  res.pull = NewRecord("not-a-uuid-id", counter, 1795000001000);
  res.cursor = 99;
  res.more = true;
  res.forms = {"{\"form\": \"x\"}"};
  res.server_time_ms = 1795000002000;
  auto r = DecodeSyncResponse(EncodeSyncResponse(res));
  REQUIRE(r.ok());
  CHECK(r->accepted == res.accepted);
  REQUIRE(r->rejected.size() == 1);
  CHECK(r->rejected[0].reason == res.rejected[0].reason);
  CHECK(r->pull.size() == res.pull.size());
  CHECK(r->pull[0].record == "not-a-uuid-id");
  CHECK(r->pull[5].author == "w-1");
  CHECK(r->cursor == 99);
  CHECK(r->more);
  CHECK(r->forms == res.forms);
  CHECK(r->server_time_ms == res.server_time_ms);
}

TEST_CASE("wire: a new 27-field record costs a few hundred bytes before compression", "[wire]") {
  uint64_t counter = 0;
  SyncRequest req;
  for (int i = 0; i < 100; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "3f2a9c1e-1b2c-4d5e-8f90-%012d", i);
    for (Edit& e : NewRecord(id, counter, 1795000000000 + i * 100)) req.push.push_back(std::move(e));
  }
  const size_t per_record = EncodeSyncRequest(req).size() / 100;
  INFO(per_record << " bytes per record");
  CHECK(per_record < 700);  // gzip takes it lower still; the sync bench measures the wire
}

TEST_CASE("wire: hostile bytes are refused with a reason, never a crash", "[wire]") {
  uint64_t counter = 0;
  SyncRequest req;
  req.push = NewRecord("3f2a9c1e-1b2c-4d5e-8f90-0123456789ab", counter, 1795000000000);
  const std::string good = EncodeSyncRequest(req);
  for (size_t cut = 0; cut < good.size(); cut += 7) {
    auto r = DecodeSyncRequest(good.substr(0, cut));
    CHECK_FALSE(r.ok());
  }
  std::mt19937 rng(11);
  int refused = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = good;
    for (int k = 0; k < 1 + i % 4; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    auto r = DecodeSyncRequest(bytes);
    if (!r.ok()) {
      ++refused;
      CHECK(r.status().message().find("sync request does not decode: ") == 0);
    }
  }
  CHECK(refused > 100);
  CHECK(DecodeSyncResponse("\xa1\x61v\x02").status().message() == "sync response does not decode: unknown protocol version");
  // An edit pointing past the string tables.
  nlohmann::json past = {{"v", 1}, {"c", 0}, {"D", {"d"}}, {"R", {"r"}}, {"F", {"f"}},
                         {"e", {{5, 0, "x", 0, 1, 0, 0, nlohmann::json::array(), ""}}}};
  std::vector<uint8_t> cbor = nlohmann::json::to_cbor(past);
  CHECK(DecodeSyncRequest(std::string(cbor.begin(), cbor.end())).status().message() ==
        "sync request does not decode: an edit names a record that is not in the table");
}

TEST_CASE("wire: clock deltas that would overflow are refused", "[wire]") {
  nlohmann::json big = {{"v", 1}, {"c", 0}, {"D", {"d"}}, {"R", {"r"}}, {"F", {"f"}},
                        {"e", {{0, 0, "x", 0, 1, INT64_MAX, 0, nlohmann::json::array(), ""},
                               {0, 0, "y", 0, 2, INT64_MAX, 0, nlohmann::json::array(), ""}}}};
  std::vector<uint8_t> cbor = nlohmann::json::to_cbor(big);
  CHECK(DecodeSyncRequest(std::string(cbor.begin(), cbor.end())).status().message() ==
        "sync request does not decode: a clock stamp is out of range");
}

TEST_CASE("wire: bodies are the JSON-tree encoder's map, and key order does not matter", "[wire]") {
  // Devices and servers of the release before speak the same maps: build a request
  // the way that encoder did (nlohmann sorts keys) and compare.
  uint64_t counter = 0;
  SyncRequest req;
  req.cursor = 77;
  req.push = NewRecord("0b7e9c1a-3f2d-4e5b-8a6c-1d2e3f4a5b6c", counter, 1795000000000);
  req.push[5].base = {Dot{"a572a117a754297e", 2}, Dot{"other-device", 300}};
  req.forms = {"child_profile@1"};
  using nlohmann::json;
  json edits = json::array();
  int64_t last = 0;
  for (const Edit& e : req.push) {
    json base = json::array();
    for (const Dot& d : e.base) base.push_back(d.device == "other-device" ? 1 : 0), base.push_back(d.counter);
    edits.push_back(json::array({0, &e - &req.push[0], e.value, 0, e.dot.counter, e.hlc.ms - last, e.hlc.counter,
                                 base, e.author}));
    last = e.hlc.ms;
  }
  json fields = json::array();
  for (const Edit& e : req.push) fields.push_back(e.field);
  std::vector<uint8_t> id(16);
  const std::string hex = "0b7e9c1a3f2d4e5b8a6c1d2e3f4a5b6c";
  for (size_t i = 0; i < 16; ++i) id[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  json reference = {{"v", 1}, {"c", 77}, {"e", edits}, {"D", {"a572a117a754297e", "other-device"}},
                    {"R", json::array({json::binary(id)})}, {"F", fields}, {"f", {"child_profile@1"}}};
  const auto ref = json::to_cbor(reference);
  // The same map with the pushed edits before the cursor and forms (head, then tail:
  // wire.h), which lets a device make the head while the last answer travels.
  // Since then a request also names the tag of the commune list it holds ("k").
  json current = reference;
  current["k"] = "";
  nlohmann::ordered_json head_first;
  for (const char* key : {"D", "F", "R", "e", "c", "f", "k", "v"}) head_first[key] = current[key];
  const auto ours = nlohmann::ordered_json::to_cbor(head_first);
  CHECK(EncodeSyncRequest(req) == std::string(ours.begin(), ours.end()));
  CHECK(EncodeSyncRequestHead(req.push, false) + EncodeSyncRequestTail(77, req.forms, false) ==
        EncodeSyncRequest(req));
  // What the release before sent (keys sorted) still reads as the same request.
  auto sorted = DecodeSyncRequest(std::string(ref.begin(), ref.end()));
  REQUIRE(sorted.ok());
  CHECK(EncodeSyncRequest(*sorted) == EncodeSyncRequest(req));

  // The edits before the tables they index, as another encoder might write them.
  nlohmann::ordered_json shuffled;
  shuffled["e"] = edits;
  shuffled["v"] = 1;
  shuffled["D"] = reference["D"];
  shuffled["c"] = 77;
  shuffled["F"] = fields;
  shuffled["R"] = reference["R"];
  const auto bytes = nlohmann::ordered_json::to_cbor(shuffled);
  auto back = DecodeSyncRequest(std::string(bytes.begin(), bytes.end()));
  REQUIRE(back.ok());
  REQUIRE(back->push.size() == req.push.size());
  CHECK(back->cursor == 77);
  CHECK(back->push[5].base == req.push[5].base);
  CHECK(back->push[0].record == "0b7e9c1a-3f2d-4e5b-8a6c-1d2e3f4a5b6c");
  CHECK(back->push.back().value == req.push.back().value);
  CHECK(back->forms.empty());
}

TEST_CASE("wire: pulled change sets travel as stored and read back as edits, and a bad set is refused", "[wire]") {
  uint64_t counter = 0;
  const auto first = NewRecord("0b7e9c1a-3f2d-4e5b-8a6c-1d2e3f4a5b6c", counter, 1795000000000);
  const auto second = NewRecord("record-two", counter, 1795000100000);
  SyncResponse res;
  res.pull = {first[0]};
  res.pull_sets = {EncodeEditGroup(first), EncodeEditGroup(second)};
  res.cursor = 9;
  res.accepted = {Dot{"a572a117a754297e", 4}};
  auto back = DecodeSyncResponse(EncodeSyncResponse(res));
  REQUIRE(back.ok());
  REQUIRE(back->pull.size() == 1 + first.size() + second.size());
  CHECK(back->pull[0].dot == first[0].dot);  // the edits handed one by one first, then the stored sets
  CHECK(back->pull[1].dot == first[0].dot);
  CHECK(back->pull.back().dot == second.back().dot);
  CHECK(back->pull.back().record == "record-two");
  CHECK(back->pull_sets.empty());
  CHECK(back->accepted == res.accepted);

  SyncRequest req;
  req.reads_sets = true;
  auto asked = DecodeSyncRequest(EncodeSyncRequest(req));
  REQUIRE(asked.ok());
  CHECK(asked->reads_sets);
  CHECK_FALSE(DecodeSyncRequest(EncodeSyncRequest(SyncRequest{})).value().reads_sets);

  res.pull_sets = {std::string("\xa1\x61g\x81\x83", 5)};  // a set cut short
  auto bad = DecodeSyncResponse(EncodeSyncResponse(res));
  REQUIRE(bad.status().code() == Status::Code::kInvalidArgument);
  CHECK(bad.status().message().find("set") != std::string::npos);
}

TEST_CASE("wire: pulled edits travel only as change sets, and an answer with flat edits is refused", "[wire]") {
  uint64_t counter = 0;
  SyncResponse res;
  res.pull = NewRecord("0b7e9c1a-3f2d-4e5b-8a6c-1d2e3f4a5b6c", counter, 1795000000000);
  const auto second = NewRecord("record-two", counter, 1795000100000);
  res.pull.insert(res.pull.end(), second.begin(), second.end());
  res.cursor = 4;
  const std::string body = EncodeSyncResponse(res);
  const auto map = nlohmann::json::from_cbor(body);
  CHECK_FALSE(map.contains("e"));
  REQUIRE(map["s"].size() == 2);  // one set a record
  auto set = DecodeEditGroup(std::string(map["s"][1].get_binary().begin(), map["s"][1].get_binary().end()));
  REQUIRE(set.ok());
  CHECK(set->size() == second.size());
  CHECK(set->front().record == "record-two");

  // An answer as servers wrote it before: the pulled edits flat in "e", with tables.
  nlohmann::json flat = {{"v", 1}, {"c", 4}, {"m", false}, {"a", nlohmann::json::array()},
                         {"x", nlohmann::json::array()}, {"D", {"d"}}, {"R", {"r"}}, {"F", {"f"}},
                         {"e", {{0, 0, "x", 0, 1, 1795000000000, 0, nlohmann::json::array(), "w-1"}}}};
  std::vector<uint8_t> cbor = nlohmann::json::to_cbor(flat);
  auto refused = DecodeSyncResponse(std::string(cbor.begin(), cbor.end()));
  REQUIRE(refused.status().code() == Status::Code::kInvalidArgument);
  CHECK(refused.status().message() ==
        "sync response does not decode: pulled edits come as 'e', which is no longer read");
  // The empty "e" those servers wrote beside their sets still reads.
  flat["e"] = nlohmann::json::array();
  cbor = nlohmann::json::to_cbor(flat);
  auto empty = DecodeSyncResponse(std::string(cbor.begin(), cbor.end()));
  REQUIRE(empty.ok());
  CHECK(empty->pull.empty());
  CHECK(empty->cursor == 4);
}

// Found by fuzz/wire_fuzz: a change set in an answer carried a clock stamp near
// INT64_MAX, which the group codec read but the wire's clock deltas cannot carry
// (encoding it again overflowed). Every decoder now refuses stamps the wire cannot.
TEST_CASE("wire: an answer whose change set holds a clock stamp out of range is refused with a reason", "[wire]") {
  const std::string rec = "00000000-0000-4000-8000-000000000003";
  const Edit late{Dot{"dev-a", 1}, rec, "age", "9", Hlc{INT64_MAX, 0, "dev-a"}, {}, "w-a"};
  const Edit early{Dot{"dev-a", 2}, rec, "age", "8", Hlc{INT64_MIN + 1, 0, "dev-a"}, {}, "w-a"};
  SyncResponse answer;
  answer.pull_sets = {EncodeEditGroup(std::vector<Edit>{late, early})};
  auto decoded = DecodeSyncResponse(EncodeSyncResponse(answer));
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().message().find("clock stamp is out of range") != std::string::npos);

  CHECK_FALSE(DecodeEditGroup(EncodeEditGroup(std::vector<Edit>{early})).ok());
  // The widest stamps the wire carries still read back, in either order.
  const Edit top{Dot{"dev-a", 3}, rec, "age", "7", Hlc{kMaxStampMs, 0, "dev-a"}, {}, "w-a"};
  const Edit bottom{Dot{"dev-a", 4}, rec, "age", "6", Hlc{-kMaxStampMs, 0, "dev-a"}, {}, "w-a"};
  SyncResponse widest;
  widest.pull = {top, bottom, top};
  auto back = DecodeSyncResponse(EncodeSyncResponse(widest));
  REQUIRE(back.ok());
  REQUIRE(back->pull.size() == 3);
  CHECK(back->pull[1].hlc.ms == -kMaxStampMs);
  CHECK(back->pull[2].hlc.ms == kMaxStampMs);
}

// Found by fuzz/wire_fuzz (fuzz/found/wire-roundtrip-99f7fd94): a change set can
// spell an edit whose clock stamp names another device than its dot, which the
// flat edits of the time could not carry, so the same answer meant two things. An edit is stamped by the
// device that made it; a set that says otherwise is refused.
TEST_CASE("wire: an answer whose change set stamps an edit with another device's clock is refused", "[wire]") {
  const std::string rec = "00000000-0000-4000-8000-000000000004";
  const Edit own{Dot{"dev-a", 1}, rec, "age", "9", Hlc{1795000000000, 0, "dev-a"}, {}, "w-a"};
  Edit borrowed = own;
  borrowed.dot.counter = 2;
  borrowed.hlc.device = "dev-b";
  SyncResponse answer;
  answer.pull_sets = {EncodeEditGroup(std::vector<Edit>{own, borrowed})};
  auto decoded = DecodeSyncResponse(EncodeSyncResponse(answer));
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().message().find("clock names another device") != std::string::npos);

  answer.pull_sets = {EncodeEditGroup(std::vector<Edit>{own})};
  auto fine = DecodeSyncResponse(EncodeSyncResponse(answer));
  REQUIRE(fine.ok());
  REQUIRE(fine->pull.size() == 1);
  CHECK(fine->pull[0].hlc.device == DeviceId("dev-a"));
}
