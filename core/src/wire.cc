// CBOR layout in docs/sync-protocol.md. String tables (devices, records, fields)
// and clock deltas keep a 27-field record to a few hundred bytes before gzip.
#include "sotay/wire.h"

#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>

namespace sotay {

using nlohmann::json;

namespace {

constexpr int kVersion = 1;

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A lower-case UUID as its 16 bytes; anything else stays text.
json RecordId(const std::string& id) {
  if (id.size() == 36 && id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-') {
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i < id.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) continue;
      int hi = Hex(id[i]), lo = i + 1 < id.size() ? Hex(id[i + 1]) : -1;
      if (hi < 0 || lo < 0) return id;
      bytes.push_back(static_cast<uint8_t>(hi * 16 + lo));
      ++i;
    }
    if (bytes.size() == 16) return json::binary(bytes);
  }
  return id;
}

std::string RecordIdFrom(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (!j.is_binary() || j.get_binary().size() != 16) throw std::runtime_error("a record id is malformed");
  static const char* digits = "0123456789abcdef";
  std::string out;
  const auto& b = j.get_binary();
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += digits[b[i] >> 4];
    out += digits[b[i] & 15];
  }
  return out;
}

// Interns strings into a table, giving each its index.
class Table {
 public:
  size_t Index(const std::string& s) {
    auto [it, fresh] = ix_.emplace(s, values_.size());
    if (fresh) values_.push_back(s);
    return it->second;
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::map<std::string, size_t> ix_;
  std::vector<std::string> values_;
};

struct Tables {
  Table devices, records, fields;
};

json EncodeEdits(const std::vector<Edit>& edits, Tables& t) {
  json out = json::array();
  int64_t last_ms = 0;
  for (const Edit& e : edits) {
    json base = json::array();
    for (const Dot& d : e.base) {
      base.push_back(t.devices.Index(d.device));
      base.push_back(d.counter);
    }
    out.push_back(json::array({t.records.Index(e.record), t.fields.Index(e.field), e.value,
                               t.devices.Index(e.dot.device), e.dot.counter, e.hlc.ms - last_ms, e.hlc.counter,
                               std::move(base), e.author}));
    last_ms = e.hlc.ms;
  }
  return out;
}

void PutTables(json& j, const Tables& t) {
  j["D"] = t.devices.values();
  json records = json::array();
  for (const std::string& r : t.records.values()) records.push_back(RecordId(r));
  j["R"] = std::move(records);
  j["F"] = t.fields.values();
}

struct Decoded {
  std::vector<std::string> devices, records, fields;
};

const std::string& At(const std::vector<std::string>& v, const json& ix, const char* what) {
  if (!ix.is_number_unsigned() || ix.get<uint64_t>() >= v.size()) {
    throw std::runtime_error(std::string("an edit names a ") + what + " that is not in the table");
  }
  return v[ix.get<size_t>()];
}

Decoded GetTables(const json& j) {
  Decoded d;
  if (j.contains("D")) d.devices = j.at("D").get<std::vector<std::string>>();
  if (j.contains("F")) d.fields = j.at("F").get<std::vector<std::string>>();
  if (j.contains("R")) {
    for (const json& r : j.at("R")) d.records.push_back(RecordIdFrom(r));
  }
  return d;
}

std::vector<Edit> DecodeEdits(const json& list, const Decoded& t) {
  if (!list.is_array()) throw std::runtime_error("'e' is not a list");
  std::vector<Edit> out;
  out.reserve(list.size());
  int64_t last_ms = 0;
  for (const json& a : list) {
    if (!a.is_array() || a.size() != 9) throw std::runtime_error("an edit is not an array of 9");
    Edit e;
    e.record = At(t.records, a[0], "record");
    e.field = At(t.fields, a[1], "field");
    e.value = a[2].get<std::string>();
    e.dot.device = At(t.devices, a[3], "device");
    e.dot.counter = a[4].get<uint64_t>();
    const int64_t delta = a[5].get<int64_t>();
    // A hostile delta must not overflow (undefined behaviour): stamps stay in range.
    if ((delta > 0 && last_ms > INT64_MAX / 2 - delta) || (delta < 0 && last_ms < -(INT64_MAX / 2) - delta)) {
      throw std::runtime_error("a clock stamp is out of range");
    }
    last_ms += delta;
    e.hlc = Hlc{last_ms, a[6].get<uint32_t>(), e.dot.device};
    const json& base = a[7];
    if (!base.is_array() || base.size() % 2 != 0) throw std::runtime_error("a base is malformed");
    for (size_t i = 0; i < base.size(); i += 2) {
      e.base.push_back(Dot{At(t.devices, base[i], "device"), base[i + 1].get<uint64_t>()});
    }
    e.author = a[8].get<std::string>();
    if (e.record.empty() || e.field.empty() || e.dot.device.empty() || e.dot.counter == 0) {
      throw std::runtime_error("an edit lacks a record, field or dot");
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string Cbor(const json& j) {
  std::vector<uint8_t> bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

json Parse(std::string_view bytes) {
  json j = json::from_cbor(bytes.begin(), bytes.end());
  if (!j.is_object()) throw std::runtime_error("the body is not a CBOR map");
  if (j.value("v", 0) != kVersion) throw std::runtime_error("unknown protocol version");
  return j;
}

}  // namespace

std::string EncodeSyncRequest(const SyncRequest& r) {
  Tables t;
  json j = {{"v", kVersion}, {"c", r.cursor}};
  j["e"] = EncodeEdits(r.push, t);
  PutTables(j, t);
  j["f"] = r.forms;
  return Cbor(j);
}

Result<SyncRequest> DecodeSyncRequest(std::string_view bytes) {
  try {
    json j = Parse(bytes);
    SyncRequest r;
    r.cursor = j.at("c").get<uint64_t>();
    r.push = DecodeEdits(j.at("e"), GetTables(j));
    if (j.contains("f")) r.forms = j.at("f").get<std::vector<std::string>>();
    return r;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("sync request does not decode: ") + e.what());
  }
}

std::string EncodeSyncResponse(const SyncResponse& r) {
  Tables t;
  json j = {{"v", kVersion}, {"c", r.cursor}, {"m", r.more}, {"t", r.server_time_ms}};
  j["e"] = EncodeEdits(r.pull, t);
  json accepted = json::array();
  for (const Dot& d : r.accepted) {
    accepted.push_back(t.devices.Index(d.device));
    accepted.push_back(d.counter);
  }
  j["a"] = std::move(accepted);
  json rejected = json::array();
  for (const Rejection& x : r.rejected) {
    rejected.push_back(json::array({t.devices.Index(x.dot.device), x.dot.counter, x.reason}));
  }
  j["x"] = std::move(rejected);
  PutTables(j, t);
  j["f"] = r.forms;
  return Cbor(j);
}

Result<SyncResponse> DecodeSyncResponse(std::string_view bytes) {
  try {
    json j = Parse(bytes);
    const Decoded t = GetTables(j);
    SyncResponse r;
    r.cursor = j.at("c").get<uint64_t>();
    r.more = j.at("m").get<bool>();
    r.server_time_ms = j.value("t", int64_t{0});
    r.pull = DecodeEdits(j.at("e"), t);
    const json& a = j.at("a");
    if (!a.is_array() || a.size() % 2 != 0) throw std::runtime_error("'a' is malformed");
    for (size_t i = 0; i < a.size(); i += 2) r.accepted.push_back(Dot{At(t.devices, a[i], "device"), a[i + 1].get<uint64_t>()});
    for (const json& x : j.at("x")) {
      if (!x.is_array() || x.size() != 3) throw std::runtime_error("a rejection is malformed");
      r.rejected.push_back(Rejection{Dot{At(t.devices, x[0], "device"), x[1].get<uint64_t>()}, x[2].get<std::string>()});
    }
    if (j.contains("f")) r.forms = j.at("f").get<std::vector<std::string>>();
    return r;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("sync response does not decode: ") + e.what());
  }
}

std::string SigningString(std::string_view method, std::string_view path, std::string_view body_sha256_hex,
                          int64_t time_ms, std::string_view nonce) {
  std::string s;
  s.append(method).append("\n").append(path).append("\n").append(body_sha256_hex).append("\n");
  s.append(std::to_string(time_ms)).append("\n").append(nonce);
  return s;
}

}  // namespace sotay
