#include "sotay/codec.h"

#include <algorithm>

#include "cbor.h"

namespace sotay {

// The layouts (docs/store-format.md) are CBOR maps with short keys, written in key
// order with minimal heads: the bytes nlohmann::json::to_cbor wrote for the same
// values before this codec, so rows already on a device read back unchanged.

namespace {

using cbor::Reader;
using cbor::Writer;

void PutDot(Writer& w, const Dot& d) {
  w.Array(2);
  w.Text(d.device);
  w.Uint(d.counter);
}

Dot GetDot(Reader& r) {
  if (r.Array() != 2) throw cbor::Error("a dot is not [device, counter]");
  Dot d;
  d.device = std::string(r.Text());
  d.counter = r.Uint();
  return d;
}

void PutHlc(Writer& w, const Hlc& h) {
  w.Array(3);
  w.Int(h.ms);
  w.Uint(h.counter);
  w.Text(h.device);
}

uint32_t GetU32(Reader& r, const char* what) {
  const uint64_t v = r.Uint();
  if (v > UINT32_MAX) throw cbor::Error(std::string(what) + " is out of range");
  return static_cast<uint32_t>(v);
}

Hlc GetHlc(Reader& r) {
  if (r.Array() != 3) throw cbor::Error("a clock stamp is not [ms, counter, device]");
  Hlc h;
  h.ms = r.Int();
  h.counter = GetU32(r, "a clock counter");
  h.device = std::string(r.Text());
  return h;
}

void PutDots(Writer& w, const std::vector<Dot>& dots) {
  w.Array(dots.size());
  for (const Dot& d : dots) PutDot(w, d);
}

template <typename Container>
void GetDots(Reader& r, Container& out) {
  const size_t n = r.Array();
  for (size_t i = 0; i < n; ++i) out.insert(out.end(), GetDot(r));
}

std::string GetString(Reader& r) { return std::string(r.Text()); }

void Missing(bool seen, const char* key) {
  if (!seen) throw cbor::Error(std::string("missing '") + key + "'");
}

}  // namespace

std::string EncodeEdit(const Edit& e) {
  std::string out;
  out.reserve(96 + e.value.size() + e.record.size());
  Writer w(&out);
  w.Map(7);
  w.Text("a"), w.Text(e.author);
  w.Text("b"), PutDots(w, e.base);
  w.Text("d"), PutDot(w, e.dot);
  w.Text("f"), w.Text(e.field);
  w.Text("h"), PutHlc(w, e.hlc);
  w.Text("r"), w.Text(e.record);
  w.Text("v"), w.Text(e.value);
  return out;
}

namespace {

Edit GetEditMap(Reader& r) {
  Edit e;
  bool a = false, b = false, d = false, f = false, h = false, rec = false, v = false;
  const size_t n = r.Map();
  for (size_t i = 0; i < n; ++i) {
    const std::string_view key = r.Text();
    if (key == "a") {
      e.author = GetString(r), a = true;
    } else if (key == "b") {
      GetDots(r, e.base), b = true;
    } else if (key == "d") {
      e.dot = GetDot(r), d = true;
    } else if (key == "f") {
      e.field = GetString(r), f = true;
    } else if (key == "h") {
      e.hlc = GetHlc(r), h = true;
    } else if (key == "r") {
      e.record = GetString(r), rec = true;
    } else if (key == "v") {
      e.value = GetString(r), v = true;
    } else {
      r.Skip();
    }
  }
  Missing(d, "d"), Missing(rec, "r"), Missing(f, "f"), Missing(v, "v"), Missing(h, "h"), Missing(b, "b");
  Missing(a, "a");
  return e;
}

}  // namespace

Result<Edit> DecodeEdit(std::string_view bytes) {
  try {
    Reader r(bytes);
    Edit e = GetEditMap(r);
    r.ExpectEnd();
    return e;
  } catch (const cbor::Error& ex) {
    return Status::Corrupt(std::string("edit does not decode: ") + ex.what());
  }
}

std::string EncodeEditGroup(const std::vector<Edit>& edits) {
  std::string out;
  out.reserve(32 + edits.size() * 80);
  Writer w(&out);
  w.Map(2);
  w.Text("g");
  w.Array(edits.size());
  for (const Edit& e : edits) {
    w.Array(9);
    w.Text(e.dot.device);
    w.Uint(e.dot.counter);
    w.Text(e.field);
    w.Text(e.value);
    w.Int(e.hlc.ms);
    w.Uint(e.hlc.counter);
    w.Text(e.hlc.device);
    PutDots(w, e.base);
    w.Text(e.author);
  }
  w.Text("r");
  w.Text(edits.empty() ? std::string_view() : std::string_view(edits.front().record));
  return out;
}

Result<std::vector<Edit>> DecodeEditGroup(std::string_view bytes) {
  try {
    Reader r(bytes);
    const size_t n = r.Map();
    std::vector<Edit> out;
    bool g = false, rec = false;
    std::string record;
    for (size_t i = 0; i < n; ++i) {
      const std::string_view key = r.Text();
      if (key == "g") {
        g = true;
        const size_t count = r.Array();
        out.reserve(count);
        for (size_t k = 0; k < count; ++k) {
          if (r.Array() != 9) {
            throw cbor::Error("an edit is not [device, counter, field, value, ms, counter, device, base, author]");
          }
          Edit e;
          e.dot.device = GetString(r);
          e.dot.counter = r.Uint();
          e.field = GetString(r);
          e.value = GetString(r);
          e.hlc.ms = r.Int();
          e.hlc.counter = GetU32(r, "a clock counter");
          e.hlc.device = GetString(r);
          GetDots(r, e.base);
          e.author = GetString(r);
          out.push_back(std::move(e));
        }
      } else if (key == "r") {
        record = GetString(r), rec = true;
      } else {
        // Not a group: a row written before groups holds one edit.
        auto one = DecodeEdit(bytes);
        if (!one.ok()) return one.status();
        return std::vector<Edit>{std::move(one).value()};
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
  std::string out;
  out.reserve(256 + s.known().size() * 48);
  Writer w(&out);
  w.Map(3);
  w.Text("f");
  w.Map(s.fields().size());
  for (const auto& [name, state] : s.fields()) {
    w.Text(name);
    w.Map(2);
    w.Text("h");
    w.Array(state.heads.size());
    for (const Head& h : state.heads) {
      w.Array(h.saw.empty() ? 4 : 5);
      PutDot(w, h.dot);
      PutHlc(w, h.hlc);
      w.Text(h.value);
      w.Text(h.author);
      if (!h.saw.empty()) PutDots(w, h.saw);
    }
    w.Text("s");
    w.Array(state.superseded.size());
    for (const Dot& d : state.superseded) PutDot(w, d);
  }
  w.Text("k");
  w.Array(s.known().size());
  for (const Dot& d : s.known()) PutDot(w, d);
  w.Text("p");
  w.Map(s.policies().size());
  for (const auto& [name, p] : s.policies()) {
    w.Text(name);
    w.Int(static_cast<int>(p));
  }
  return out;
}

Result<RecordState> DecodeRecordState(std::string_view bytes) {
  try {
    Reader r(bytes);
    std::set<Dot> known;
    std::map<std::string, FieldState> fields;
    std::map<std::string, MergePolicy> policies;
    bool f = false, k = false, p = false;
    const size_t n = r.Map();
    for (size_t i = 0; i < n; ++i) {
      const std::string_view key = r.Text();
      if (key == "k") {
        GetDots(r, known), k = true;
      } else if (key == "f") {
        f = true;
        const size_t count = r.Map();
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
                head.dot = GetDot(r);
                head.hlc = GetHlc(r);
                head.value = GetString(r);
                head.author = GetString(r);
                if (len == 5) GetDots(r, head.saw);
                state.heads.push_back(std::move(head));
              }
            } else if (part == "s") {
              GetDots(r, state.superseded), sup = true;
            } else {
              r.Skip();
            }
          }
          Missing(h, "h"), Missing(sup, "s");
          fields.emplace(std::move(name), std::move(state));
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
