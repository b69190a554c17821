#include "sotay/codec.h"

#include <algorithm>

#include "cbor.h"

namespace sotay {

// The layouts (docs/store-format.md) are CBOR maps with short keys, written in key
// order with minimal heads, each with a table of device ids, "D", that its dots and
// stamps name by index. Rows of the layouts before (one edit a row, devices named
// by their ids) are refused with a reason: no store of this version holds them.

namespace {

using cbor::Reader;
using cbor::Writer;

std::string GetString(Reader& r) { return std::string(r.Text()); }

// Device ids (16 characters) repeat in every dot and clock stamp of a row: three
// times per field of a new child, most of the row. So a row names them by their
// index in its table "D", numbered as the row's body first names them: the body is
// written first and the table put before it, one walk of the row instead of two.
class DeviceIndex {
 public:
  // The device's index, numbered now if it is new. Most dots of a row name the
  // device the one before named: that one is tried first.
  size_t Of(const DeviceId& device) {
    if (last_ < list_.size() && *list_[last_] == device) return last_;
    for (size_t i = 0; i < list_.size(); ++i) {
      if (*list_[i] == device) return last_ = i;
    }
    list_.push_back(&device);
    return last_ = list_.size() - 1;
  }
  void PutTable(Writer& w) const {
    w.Array(list_.size());
    for (const DeviceId* d : list_) w.Text(d->view());
  }

 private:
  std::vector<const DeviceId*> list_;  // few: the devices that edited one record
  size_t last_ = 0;
};

using DeviceTable = std::vector<DeviceId>;

void PutDevice(Writer& w, DeviceIndex& ix, const DeviceId& device) { w.Uint(ix.Of(device)); }

DeviceId GetDevice(Reader& r, const DeviceTable& table) {
  if (r.Peek() == cbor::Type::kText) {
    throw cbor::Error("it names a device by its id, as rows were written before device tables; "
                      "this version no longer reads them");
  }
  const uint64_t i = r.Uint();
  if (i >= table.size()) throw cbor::Error("a device index is not in the row's table");
  return table[static_cast<size_t>(i)];
}

DeviceTable GetDeviceTable(Reader& r) {
  const size_t n = r.Array();
  DeviceTable out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(r.Text());
  return out;
}

void PutDot(Writer& w, DeviceIndex& ix, const Dot& d) {
  w.Array(2);
  PutDevice(w, ix, d.device);
  w.Uint(d.counter);
}

Dot GetDot(Reader& r, const DeviceTable& table) {
  if (r.Array() != 2) throw cbor::Error("a dot is not [device, counter]");
  Dot d;
  d.device = GetDevice(r, table);
  d.counter = r.Uint();
  return d;
}

void PutHlc(Writer& w, DeviceIndex& ix, const Hlc& h) {
  w.Array(3);
  w.Int(h.ms);
  w.Uint(h.counter);
  PutDevice(w, ix, h.device);
}

uint32_t GetU32(Reader& r, const char* what) {
  const uint64_t v = r.Uint();
  if (v > UINT32_MAX) throw cbor::Error(std::string(what) + " is out of range");
  return static_cast<uint32_t>(v);
}

// A stamp beyond kMaxStampMs would overflow the wire's deltas when sent on.
int64_t GetStampMs(Reader& r) {
  const int64_t ms = r.Int();
  if (ms > kMaxStampMs || ms < -kMaxStampMs) throw cbor::Error("a clock stamp is out of range");
  return ms;
}

Hlc GetHlc(Reader& r, const DeviceTable& table) {
  if (r.Array() != 3) throw cbor::Error("a clock stamp is not [ms, counter, device]");
  Hlc h;
  h.ms = GetStampMs(r);
  h.counter = GetU32(r, "a clock counter");
  h.device = GetDevice(r, table);
  return h;
}

template <typename Container>
void PutDots(Writer& w, DeviceIndex& ix, const Container& dots) {
  w.Array(dots.size());
  for (const Dot& d : dots) PutDot(w, ix, d);
}

template <typename Container>
void GetDots(Reader& r, const DeviceTable& table, Container& out) {
  const size_t n = r.Array();
  for (size_t i = 0; i < n; ++i) out.insert(out.end(), GetDot(r, table));
}

// A row: a map of `keys` entries, "D" (the devices `body` names) first, then `body`
// (the other entries, in key order).
std::string WithDeviceTable(size_t keys, const DeviceIndex& devices, const std::string& body) {
  std::string out;
  out.reserve(body.size() + 24 * 8);
  Writer w(&out);
  w.Map(keys);
  w.Text("D");
  devices.PutTable(w);
  out.append(body);
  return out;
}

void Missing(bool seen, const char* key) {
  if (!seen) throw cbor::Error(std::string("missing '") + key + "'");
}

}  // namespace

std::string EncodeEditGroup(const std::vector<const Edit*>& edits) {
  DeviceIndex devices;
  std::string body;
  body.reserve(48 + edits.size() * 64);  // about 54 bytes an edit of a new child
  Writer w(&body);
  w.Text("g");
  w.Array(edits.size());
  for (const Edit* p : edits) {
    const Edit& e = *p;
    w.Array(9);
    PutDevice(w, devices, e.dot.device);
    w.Uint(e.dot.counter);
    w.Text(e.field);
    w.Text(e.value);
    w.Int(e.hlc.ms);
    w.Uint(e.hlc.counter);
    PutDevice(w, devices, e.hlc.device);
    PutDots(w, devices, e.base);
    w.Text(e.author);
  }
  w.Text("r");
  w.Text(edits.empty() ? std::string_view() : std::string_view(edits.front()->record));
  return WithDeviceTable(3, devices, body);
}

std::string EncodeEditGroup(const std::vector<Edit>& edits) {
  std::vector<const Edit*> all;
  all.reserve(edits.size());
  for (const Edit& e : edits) all.push_back(&e);
  return EncodeEditGroup(all);
}

Result<std::vector<Edit>> DecodeEditGroup(std::string_view bytes) {
  try {
    Reader r(bytes);
    const size_t n = r.Map();
    std::vector<Edit> out;
    bool g = false, rec = false;
    std::string record;
    DeviceTable devices;
    for (size_t i = 0; i < n; ++i) {
      const std::string_view key = r.Text();
      if (key == "D") {
        devices = GetDeviceTable(r);
      } else if (key == "g") {
        g = true;
        const size_t count = r.Array();
        out.reserve(count);
        for (size_t k = 0; k < count; ++k) {
          if (r.Array() != 9) {
            throw cbor::Error("an edit is not [device, counter, field, value, ms, counter, device, base, author]");
          }
          Edit e;
          e.dot.device = GetDevice(r, devices);
          e.dot.counter = r.Uint();
          e.field = GetString(r);
          e.value = GetString(r);
          e.hlc.ms = GetStampMs(r);
          e.hlc.counter = GetU32(r, "a clock counter");
          e.hlc.device = GetDevice(r, devices);
          GetDots(r, devices, e.base);
          e.author = GetString(r);
          out.push_back(std::move(e));
        }
      } else if (key == "r") {
        record = GetString(r), rec = true;
      } else if (key == "d") {  // the dot of a single edit: no group has it
        throw cbor::Error("it holds one edit, as rows were written before edit groups; "
                          "this version no longer reads them");
      } else {
        r.Skip();
      }
    }
    r.ExpectEnd();
    Missing(g, "g"), Missing(rec, "r");
    for (Edit& e : out) e.record = record;
    return out;
  } catch (const cbor::Error& ex) {
    return Status::Corrupt(std::string("edit group does not decode: ") + ex.what());
  }
}

std::string EncodeRecordState(const RecordState& s) {
  DeviceIndex devices;
  std::string body;
  body.reserve(128 + s.known().size() * 80);  // about 68 bytes a field of a new child: no regrowth
  Writer w(&body);
  w.Text("f");
  w.Map(s.fields().size());
  for (const auto& [name, state] : s.fields()) {
    w.Text(name);
    w.Map(2);
    w.Text("h");
    w.Array(state.heads.size());
    for (const Head& h : state.heads) {
      w.Array(h.saw.empty() ? 4 : 5);
      PutDot(w, devices, h.dot);
      PutHlc(w, devices, h.hlc);
      w.Text(h.value);
      w.Text(h.author);
      if (!h.saw.empty()) PutDots(w, devices, h.saw);
    }
    w.Text("s");
    PutDots(w, devices, state.superseded);
  }
  w.Text("k");
  PutDots(w, devices, s.known());
  w.Text("p");
  w.Map(s.policies().size());
  for (const auto& [name, p] : s.policies()) {
    w.Text(name);
    w.Int(static_cast<int>(p));
  }
  return WithDeviceTable(4, devices, body);
}

Result<RecordState> DecodeRecordState(std::string_view bytes) {
  try {
    Reader r(bytes);
    std::vector<Dot> known;
    RecordState::Fields fields;
    std::map<std::string, MergePolicy> policies;
    bool f = false, k = false, p = false;
    DeviceTable devices;
    const size_t n = r.Map();
    for (size_t i = 0; i < n; ++i) {
      const std::string_view key = r.Text();
      if (key == "D") {
        devices = GetDeviceTable(r);
      } else if (key == "k") {
        GetDots(r, devices, known), k = true;
      } else if (key == "f") {
        f = true;
        const size_t count = r.Map();
        fields.reserve(std::min<size_t>(count, 256));  // count is bounded by the row, not by sense
        for (size_t j = 0; j < count; ++j) {
          std::string name = GetString(r);
          FieldState state;
          bool h = false, sup = false;
          const size_t parts = r.Map();
          for (size_t q = 0; q < parts; ++q) {
            const std::string_view part = r.Text();
            if (part == "h") {
              h = true;
              const size_t heads = r.Array();
              for (size_t x = 0; x < heads; ++x) {
                const size_t len = r.Array();
                if (len < 4 || len > 5) throw cbor::Error("a head is malformed");
                Head head;
                head.dot = GetDot(r, devices);
                head.hlc = GetHlc(r, devices);
                head.value = GetString(r);
                head.author = GetString(r);
                if (len == 5) GetDots(r, devices, head.saw);
                state.heads.push_back(std::move(head));
              }
            } else if (part == "s") {
              GetDots(r, devices, state.superseded), sup = true;
            } else {
              r.Skip();
            }
          }
          Missing(h, "h"), Missing(sup, "s");
          fields.emplace_back(std::move(name), std::move(state));
        }
      } else if (key == "p") {
        p = true;
        const size_t count = r.Map();
        for (size_t j = 0; j < count; ++j) {
          std::string name = GetString(r);
          const int64_t v = r.Int();
          if (v < 0 || v > 2) throw cbor::Error("unknown merge policy");
          policies.emplace(std::move(name), static_cast<MergePolicy>(v));
        }
      } else {
        r.Skip();
      }
    }
    r.ExpectEnd();
    Missing(k, "k"), Missing(f, "f"), Missing(p, "p");
    return RecordState::FromParts(std::move(known), std::move(fields), std::move(policies));
  } catch (const cbor::Error& ex) {
    return Status::Corrupt(std::string("record state does not decode: ") + ex.what());
  }
}

}  // namespace sotay
