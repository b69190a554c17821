// CBOR layout in docs/sync-protocol.md. String tables (devices, records, fields)
// and clock deltas keep a 27-field record to a few hundred bytes before gzip.
#include "sotay/wire.h"

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "cbor.h"
#include "sotay/codec.h"
#include "sotay/edit_rules.h"

namespace sotay {

namespace {

using cbor::Reader;
using cbor::Writer;

constexpr uint64_t kVersion = 1;

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A lower-case UUID as its 16 bytes; anything else stays text.
void PutRecordId(Writer& w, const std::string& id) {
  if (id.size() == 36 && id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-') {
    std::string bytes;
    for (size_t i = 0; i < id.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) continue;
      const int hi = Hex(id[i]), lo = i + 1 < id.size() ? Hex(id[i + 1]) : -1;
      if (hi < 0 || lo < 0) break;
      bytes.push_back(static_cast<char>(hi * 16 + lo));
      ++i;
    }
    if (bytes.size() == 16) return w.Bytes(bytes);
  }
  w.Text(id);
}

std::string GetRecordId(Reader& r) {
  if (r.Peek() == cbor::Type::kText) return std::string(r.Text());
  const std::string_view b = r.Bytes();
  if (b.size() != 16) throw cbor::Error("a record id is malformed");
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto byte = static_cast<uint8_t>(b[i]);
    out += digits[byte >> 4];
    out += digits[byte & 15];
  }
  return out;
}

// Interns strings into a table, giving each its index.
class Table {
 public:
  size_t Index(const std::string& s) {
    auto [it, fresh] = ix_.emplace(s, values_.size());
    if (fresh) values_.push_back(&it->first);
    return it->second;
  }
  const std::vector<const std::string*>& values() const { return values_; }

 private:
  std::unordered_map<std::string, size_t> ix_;  // node-based: the pointers in values_ stay valid
  std::vector<const std::string*> values_;
};

// The devices of a body: few (one, or the devices of one commune), so a list.
class DeviceTable {
 public:
  size_t Index(const DeviceId& d) {
    for (size_t i = 0; i < values_.size(); ++i) {
      if (values_[i] == d) return i;
    }
    values_.push_back(d);
    return values_.size() - 1;
  }
  const std::vector<DeviceId>& values() const { return values_; }

 private:
  std::vector<DeviceId> values_;
};

struct Tables {
  DeviceTable devices;
  Table records, fields;
};

// The edits as arrays of 9, their strings replaced by table indexes, written to a
// scratch buffer first: the tables they fill are written before them.
// REQUIRES: every stamp within kMaxStampMs (what the decoders let in), so that the
// deltas do not overflow.
std::string EncodeEdits(const std::vector<Edit>& edits, Tables& t) {
  std::string out;
  out.reserve(edits.size() * 40);
  Writer w(&out);
  w.Array(edits.size());
  int64_t last_ms = 0;
  for (const Edit& e : edits) {
    w.Array(9);
    w.Uint(t.records.Index(e.record));
    w.Uint(t.fields.Index(e.field));
    w.Text(e.value);
    w.Uint(t.devices.Index(e.dot.device));
    w.Uint(e.dot.counter);
    w.Int(e.hlc.ms - last_ms);
    w.Uint(e.hlc.counter);
    w.Array(2 * e.base.size());
    for (const Dot& d : e.base) {
      w.Uint(t.devices.Index(d.device));
      w.Uint(d.counter);
    }
    w.Text(e.author);
    last_ms = e.hlc.ms;
  }
  return out;
}

void PutStrings(Writer& w, const std::vector<const std::string*>& v) {
  w.Array(v.size());
  for (const std::string* s : v) w.Text(*s);
}

void PutStrings(Writer& w, const std::vector<std::string>& v) {
  w.Array(v.size());
  for (const std::string& s : v) w.Text(s);
}

void PutStrings(Writer& w, const std::vector<DeviceId>& v) {
  w.Array(v.size());
  for (const DeviceId& s : v) w.Text(s.view());
}

void PutTables(Writer& w, const Tables& t) {
  w.Text("D");
  PutStrings(w, t.devices.values());
  w.Text("F");
  PutStrings(w, t.fields.values());
  w.Text("R");
  w.Array(t.records.values().size());
  for (const std::string* r : t.records.values()) PutRecordId(w, *r);
}

std::vector<std::string> GetStrings(Reader& r) {
  const size_t n = r.Array();
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(r.Text());
  return out;
}

std::vector<DeviceId> GetDevices(Reader& r) {
  const size_t n = r.Array();
  std::vector<DeviceId> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(r.Text());
  return out;
}

struct Decoded {
  std::vector<DeviceId> devices;
  std::vector<std::string> records, fields;
};

template <typename T>
const T& At(const std::vector<T>& v, Reader& r, const char* what) {
  const uint64_t ix = r.Uint();
  if (ix >= v.size()) throw cbor::Error(std::string("an edit names a ") + what + " that is not in the table");
  return v[static_cast<size_t>(ix)];
}

std::vector<Edit> DecodeEdits(Reader& r, const Decoded& t) {
  const size_t n = r.Array();
  std::vector<Edit> out;
  out.reserve(n);
  int64_t last_ms = 0;
  for (size_t k = 0; k < n; ++k) {
    if (r.Array() != 9) throw cbor::Error("an edit is not an array of 9");
    Edit e;
    e.record = At(t.records, r, "record");
    e.field = At(t.fields, r, "field");
    e.value = std::string(r.Text());
    e.dot.device = At(t.devices, r, "device");
    e.dot.counter = r.Uint();
    const int64_t delta = r.Int();
    // A hostile delta must not overflow (undefined behaviour): stamps stay in range.
    if ((delta > 0 && last_ms > kMaxStampMs - delta) || (delta < 0 && last_ms < -kMaxStampMs - delta)) {
      throw cbor::Error("a clock stamp is out of range");
    }
    last_ms += delta;
    const uint64_t counter = r.Uint();
    if (counter > UINT32_MAX) throw cbor::Error("a clock counter is out of range");
    e.hlc = Hlc{last_ms, static_cast<uint32_t>(counter), e.dot.device};
    const size_t base = r.Array();
    if (base % 2 != 0) throw cbor::Error("a base is malformed");
    for (size_t i = 0; i < base; i += 2) {
      const DeviceId& device = At(t.devices, r, "device");
      e.base.push_back(Dot{device, r.Uint()});
    }
    e.author = std::string(r.Text());
    if (auto why = CheckEditIdentity(e)) throw cbor::Error(*why);
    out.push_back(std::move(e));
  }
  return out;
}

// The top-level map of a body. Parts that need the string tables ("e", "a", "x")
// are kept as readers and decoded once the whole map is read, whatever the order
// of its keys.
struct Body {
  std::optional<uint64_t> version, cursor;
  std::optional<int64_t> time;
  std::optional<bool> more;
  Decoded tables;
  std::optional<Reader> edits, accepted, rejected, sets;
  std::vector<std::string> forms;
  bool reads_sets = false;
  std::optional<std::string> communes_tag;   // "k" in a request
  std::optional<CommuneList> communes;       // "k" in a response
};

// "k": the request's tag (text), or the response's [tag, [code, name, ...]].
void GetCommunes(Reader& r, Body& b) {
  if (r.Peek() != cbor::Type::kArray) {
    b.communes_tag = std::string(r.Text());
    return;
  }
  if (r.Array() != 2) throw cbor::Error("'k' is malformed");
  CommuneList list;
  list.tag = std::string(r.Text());
  const size_t n = r.Array();
  if (n % 2 != 0) throw cbor::Error("'k' is malformed");
  for (size_t i = 0; i < n; i += 2) {
    Commune c;
    c.code = std::string(r.Text());
    c.name = std::string(r.Text());
    list.communes.push_back(std::move(c));
  }
  b.communes = std::move(list);
}

Body ParseBody(std::string_view bytes) {
  Reader r(bytes);
  if (r.Peek() != cbor::Type::kMap) throw cbor::Error("the body is not a CBOR map");
  Body b;
  const size_t n = r.Map();
  for (size_t i = 0; i < n; ++i) {
    const std::string_view key = r.Text();
    if (key == "v") {
      b.version = r.Uint();
    } else if (key == "c") {
      b.cursor = r.Uint();
    } else if (key == "t") {
      b.time = r.Int();
    } else if (key == "m") {
      b.more = r.Bool();
    } else if (key == "D") {
      b.tables.devices = GetDevices(r);
    } else if (key == "F") {
      b.tables.fields = GetStrings(r);
    } else if (key == "R") {
      const size_t count = r.Array();
      for (size_t k = 0; k < count; ++k) b.tables.records.push_back(GetRecordId(r));
    } else if (key == "f") {
      b.forms = GetStrings(r);
    } else if (key == "g") {
      b.reads_sets = r.Bool();
    } else if (key == "k") {
      GetCommunes(r, b);
    } else if (key == "s") {
      b.sets = r;
      r.Skip();
    } else if (key == "e" || key == "a" || key == "x") {
      std::optional<Reader>& part = key == "e" ? b.edits : key == "a" ? b.accepted : b.rejected;
      part = r;
      r.Skip();
    } else {
      r.Skip();
    }
  }
  r.ExpectEnd();
  if (b.version != kVersion) throw cbor::Error("unknown protocol version");
  return b;
}

template <typename T>
T Need(const std::optional<T>& v, const char* key) {
  if (!v) throw cbor::Error(std::string("missing '") + key + "'");
  return *v;
}

}  // namespace

std::string EncodeSyncRequestHead(const std::vector<Edit>& push, bool reads_sets) {
  Tables t;
  const std::string edits = EncodeEdits(push, t);
  std::string out;
  out.reserve(edits.size() + 64 * (t.records.values().size() + 4));
  Writer w(&out);
  // The pushed edits first, everything that depends on the last answer after them:
  // a device can encode, hash and compress the head while the previous request is
  // still out (sync_run.h). Readers take the keys in any order.
  w.Map(reads_sets ? 9 : 8);
  PutTables(w, t);
  w.Text("e");
  out.append(edits);
  return out;
}

std::string EncodeSyncRequestTail(uint64_t cursor, const std::vector<std::string>& forms, bool reads_sets,
                                  const std::string& communes_tag) {
  std::string out;
  Writer w(&out);
  w.Text("c");
  w.Uint(cursor);
  w.Text("f");
  PutStrings(w, forms);
  if (reads_sets) {
    w.Text("g");
    w.Bool(true);
  }
  w.Text("k");
  w.Text(communes_tag);
  w.Text("v");
  w.Uint(kVersion);
  return out;
}

std::string EncodeSyncRequest(const SyncRequest& r) {
  return EncodeSyncRequestHead(r.push, r.reads_sets) +
         EncodeSyncRequestTail(r.cursor, r.forms, r.reads_sets, r.communes_tag.value_or(""));
}

Result<SyncRequest> DecodeSyncRequest(std::string_view bytes) {
  try {
    Body b = ParseBody(bytes);
    SyncRequest r;
    r.cursor = Need(b.cursor, "c");
    Reader edits = Need(b.edits, "e");
    r.push = DecodeEdits(edits, b.tables);
    r.forms = std::move(b.forms);
    r.reads_sets = b.reads_sets;
    r.communes_tag = std::move(b.communes_tag);
    return r;
  } catch (const cbor::Error& e) {
    return Status::InvalidArgument(std::string("sync request does not decode: ") + e.what());
  }
}

std::string EncodeSyncResponse(const SyncResponse& r) {
  DeviceTable devices;
  std::string acks;
  Writer a(&acks);
  a.Array(2 * r.accepted.size());
  for (const Dot& d : r.accepted) {
    a.Uint(devices.Index(d.device));
    a.Uint(d.counter);
  }
  std::string rejected;
  Writer x(&rejected);
  x.Array(r.rejected.size());
  for (const Rejection& j : r.rejected) {
    x.Array(3);
    x.Uint(devices.Index(j.dot.device));
    x.Uint(j.dot.counter);
    x.Text(j.reason);
  }
  // Edits handed over one by one travel as sets too, one a run of edits to one
  // record, before the stored sets: the device reads one pull encoding.
  std::vector<std::string> grouped;
  for (size_t begin = 0, i = 1; begin < r.pull.size(); ++i) {
    if (i < r.pull.size() && r.pull[i].record == r.pull[begin].record) continue;
    std::vector<const Edit*> run;
    for (size_t k = begin; k < i; ++k) run.push_back(&r.pull[k]);
    grouped.push_back(EncodeEditGroup(run));
    begin = i;
  }
  const size_t sets = grouped.size() + r.pull_sets.size();
  size_t sets_bytes = 0;
  for (const std::string& set : grouped) sets_bytes += set.size() + 5;
  for (const std::string& set : r.pull_sets) sets_bytes += set.size() + 5;
  std::string out;
  out.reserve(acks.size() + rejected.size() + sets_bytes + 64 * (devices.values().size() + 4));
  Writer w(&out);
  w.Map(8 + (sets > 0) + r.communes.has_value());
  w.Text("D");
  PutStrings(w, devices.values());
  w.Text("a");
  out.append(acks);
  w.Text("c");
  w.Uint(r.cursor);
  w.Text("f");
  PutStrings(w, r.forms);
  if (r.communes) {
    w.Text("k");
    w.Array(2);
    w.Text(r.communes->tag);
    w.Array(2 * r.communes->communes.size());
    for (const Commune& c : r.communes->communes) {
      w.Text(c.code);
      w.Text(c.name);
    }
  }
  w.Text("m");
  w.Bool(r.more);
  if (sets > 0) {
    w.Text("s");
    w.Array(sets);
    for (const std::string& set : grouped) w.Bytes(set);
    for (const std::string& set : r.pull_sets) w.Bytes(set);
  }
  w.Text("t");
  w.Int(r.server_time_ms);
  w.Text("v");
  w.Uint(kVersion);
  w.Text("x");
  out.append(rejected);
  return out;
}

Result<SyncResponse> DecodeSyncResponse(std::string_view bytes) {
  try {
    Body b = ParseBody(bytes);
    SyncResponse r;
    r.cursor = Need(b.cursor, "c");
    r.more = Need(b.more, "m");
    r.server_time_ms = b.time.value_or(0);
    // Pulled edits come only as sets ("s"); "e" in an answer is the flat encoding
    // servers sent before, which this version no longer reads: better refused than
    // dropped while the cursor moves past them.
    if (b.edits && b.edits->Array() != 0) throw cbor::Error("pulled edits come as 'e', which is no longer read");
    if (b.sets) {
      const size_t n = b.sets->Array();
      for (size_t i = 0; i < n; ++i) {
        auto set = DecodeEditGroup(b.sets->Bytes());
        if (!set.ok()) throw cbor::Error("a pulled set does not decode: " + set.status().message());
        for (Edit& e : *set) {
          if (auto why = CheckEditIdentity(e)) throw cbor::Error(*why);
          // An edit is stamped by the device that made it (a pushed edit cannot
          // even say otherwise), and the merge's tie-break reads the stamp's device.
          if (e.hlc.device != e.dot.device) throw cbor::Error("an edit's clock names another device than its dot");
          r.pull.push_back(std::move(e));
        }
      }
    }
    Reader a = Need(b.accepted, "a");
    const size_t n = a.Array();
    if (n % 2 != 0) throw cbor::Error("'a' is malformed");
    for (size_t i = 0; i < n; i += 2) {
      const DeviceId& device = At(b.tables.devices, a, "device");
      r.accepted.push_back(Dot{device, a.Uint()});
    }
    Reader x = Need(b.rejected, "x");
    const size_t count = x.Array();
    for (size_t i = 0; i < count; ++i) {
      if (x.Array() != 3) throw cbor::Error("a rejection is malformed");
      const DeviceId& device = At(b.tables.devices, x, "device");
      const uint64_t counter = x.Uint();
      r.rejected.push_back(Rejection{Dot{device, counter}, std::string(x.Text())});
    }
    r.forms = std::move(b.forms);
    r.communes = std::move(b.communes);
    return r;
  } catch (const cbor::Error& e) {
    return Status::InvalidArgument(std::string("sync response does not decode: ") + e.what());
  }
}

}  // namespace sotay
