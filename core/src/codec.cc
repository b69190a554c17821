#include "sotay/codec.h"

#include <nlohmann/json.hpp>

namespace sotay {

using nlohmann::json;

namespace {

// Short keys: these rows are sealed one by one, and a phone has little storage.
json DotJson(const Dot& d) { return json::array({d.device, d.counter}); }

Dot DotFrom(const json& j) {
  if (!j.is_array() || j.size() != 2 || !j[0].is_string() || !j[1].is_number_unsigned()) {
    throw std::runtime_error("a dot is not [device, counter]");
  }
  return Dot{j[0].get<std::string>(), j[1].get<uint64_t>()};
}

json HlcJson(const Hlc& h) { return json::array({h.ms, h.counter, h.device}); }

Hlc HlcFrom(const json& j) {
  if (!j.is_array() || j.size() != 3 || !j[0].is_number_integer() ||
      !j[1].is_number_unsigned() || !j[2].is_string()) {
    throw std::runtime_error("a clock stamp is not [ms, counter, device]");
  }
  return Hlc{j[0].get<int64_t>(), j[1].get<uint32_t>(), j[2].get<std::string>()};
}

json DotsJson(const std::vector<Dot>& dots) {
  json out = json::array();
  for (const Dot& d : dots) out.push_back(DotJson(d));
  return out;
}

template <typename Container>
void DotsFrom(const json& j, Container& out) {
  if (!j.is_array()) throw std::runtime_error("a list of dots is not an array");
  for (const json& d : j) out.insert(out.end(), DotFrom(d));
}

const json& Need(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw std::runtime_error(std::string("missing '") + key + "'");
  return *it;
}

}  // namespace

std::string EncodeEdit(const Edit& e) {
  json j = {{"d", DotJson(e.dot)}, {"r", e.record}, {"f", e.field}, {"v", e.value},
            {"h", HlcJson(e.hlc)}, {"b", DotsJson(e.base)}, {"a", e.author}};
  std::vector<uint8_t> bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<Edit> DecodeEdit(std::string_view bytes) {
  try {
    json j = json::from_cbor(bytes.begin(), bytes.end());
    Edit e;
    e.dot = DotFrom(Need(j, "d"));
    e.record = Need(j, "r").get<std::string>();
    e.field = Need(j, "f").get<std::string>();
    e.value = Need(j, "v").get<std::string>();
    e.hlc = HlcFrom(Need(j, "h"));
    DotsFrom(Need(j, "b"), e.base);
    e.author = Need(j, "a").get<std::string>();
    return e;
  } catch (const std::exception& ex) {
    return Status::Corrupt(std::string("edit does not decode: ") + ex.what());
  }
}

std::string EncodeEditGroup(const std::vector<Edit>& edits) {
  json list = json::array();
  for (const Edit& e : edits) {
    list.push_back(json::array({e.dot.device, e.dot.counter, e.field, e.value, e.hlc.ms, e.hlc.counter,
                                e.hlc.device, DotsJson(e.base), e.author}));
  }
  json j = {{"r", edits.empty() ? std::string() : edits.front().record}, {"g", std::move(list)}};
  std::vector<uint8_t> bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<std::vector<Edit>> DecodeEditGroup(std::string_view bytes) {
  try {
    json j = json::from_cbor(bytes.begin(), bytes.end());
    if (!j.is_object()) throw std::runtime_error("not a map");
    std::vector<Edit> out;
    if (!j.contains("g")) {  // a row written before groups: one edit
      auto one = DecodeEdit(bytes);
      if (!one.ok()) return one.status();
      out.push_back(std::move(one).value());
      return out;
    }
    const std::string record = Need(j, "r").get<std::string>();
    const json& list = Need(j, "g");
    if (!list.is_array()) throw std::runtime_error("'g' is not a list");
    out.reserve(list.size());
    for (const json& a : list) {
      if (!a.is_array() || a.size() != 9 || !a[1].is_number_unsigned() || !a[4].is_number_integer() ||
          !a[5].is_number_unsigned()) {
        throw std::runtime_error("an edit is not [device, counter, field, value, ms, counter, device, base, author]");
      }
      Edit e;
      e.dot = Dot{a[0].get<std::string>(), a[1].get<uint64_t>()};
      e.record = record;
      e.field = a[2].get<std::string>();
      e.value = a[3].get<std::string>();
      e.hlc = Hlc{a[4].get<int64_t>(), a[5].get<uint32_t>(), a[6].get<std::string>()};
      DotsFrom(a[7], e.base);
      e.author = a[8].get<std::string>();
      out.push_back(std::move(e));
    }
    return out;
  } catch (const std::exception& ex) {
    return Status::Corrupt(std::string("edit group does not decode: ") + ex.what());
  }
}

std::string EncodeRecordState(const RecordState& s) {
  json known = json::array();
  for (const Dot& d : s.known()) known.push_back(DotJson(d));
  json fields = json::object();
  for (const auto& [name, state] : s.fields()) {
    json heads = json::array();
    for (const Head& h : state.heads) {
      json head = {DotJson(h.dot), HlcJson(h.hlc), h.value, h.author};
      if (!h.saw.empty()) head.push_back(DotsJson(h.saw));
      heads.push_back(std::move(head));
    }
    json superseded = json::array();
    for (const Dot& d : state.superseded) superseded.push_back(DotJson(d));
    fields[name] = {{"h", std::move(heads)}, {"s", std::move(superseded)}};
  }
  json policies = json::object();
  for (const auto& [name, p] : s.policies()) policies[name] = static_cast<int>(p);
  json j = {{"k", std::move(known)}, {"f", std::move(fields)}, {"p", std::move(policies)}};
  std::vector<uint8_t> bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<RecordState> DecodeRecordState(std::string_view bytes) {
  try {
    json j = json::from_cbor(bytes.begin(), bytes.end());
    std::set<Dot> known;
    DotsFrom(Need(j, "k"), known);
    std::map<std::string, FieldState> fields;
    for (const auto& [name, f] : Need(j, "f").items()) {
      FieldState state;
      for (const json& h : Need(f, "h")) {
        if (!h.is_array() || h.size() < 4) throw std::runtime_error("a head is malformed");
        Head head{DotFrom(h[0]), HlcFrom(h[1]), h[2].get<std::string>(),
                  h[3].get<std::string>(), {}};
        if (h.size() > 4) DotsFrom(h[4], head.saw);
        state.heads.push_back(std::move(head));
      }
      DotsFrom(Need(f, "s"), state.superseded);
      fields.emplace(name, std::move(state));
    }
    std::map<std::string, MergePolicy> policies;
    for (const auto& [name, p] : Need(j, "p").items()) {
      int v = p.get<int>();
      if (v < 0 || v > 2) throw std::runtime_error("unknown merge policy");
      policies.emplace(name, static_cast<MergePolicy>(v));
    }
    return RecordState::FromParts(std::move(known), std::move(fields), std::move(policies));
  } catch (const std::exception& ex) {
    return Status::Corrupt(std::string("record state does not decode: ") + ex.what());
  }
}

}  // namespace sotay
