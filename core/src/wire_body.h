// The frame both sync messages share (docs/sync-protocol.md): the body's top-level
// CBOR map, read whatever the order of its keys, its protocol version, and the
// string tables ("D" devices, "R" records, "F" fields) that let an edit name a
// string by its index. The request (wire_request.cc) and the response
// (wire_response.cc) build on it. Private to sotay_logic; everything throws
// cbor::Error on malformed input, which the public decoders turn into a Status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cbor.h"
#include "sotay/edit.h"
#include "sotay/wire.h"

namespace sotay::wire {

constexpr uint64_t kVersion = 1;

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

// The tables an encoder fills while it writes edits ("A", authors: layout 2 only).
struct Tables {
  DeviceTable devices;
  Table records, fields, authors;
};

// The tables as a decoder read them.
struct Decoded {
  std::vector<DeviceId> devices;
  std::vector<std::string> records, fields, authors;
};

void PutStrings(cbor::Writer& w, const std::vector<std::string>& v);
void PutStrings(cbor::Writer& w, const std::vector<DeviceId>& v);
// "D", "F" and "R" with their keys (a record id that is a UUID as its 16 bytes).
void PutTables(cbor::Writer& w, const Tables& t);
// "A" with its key.
void PutAuthors(cbor::Writer& w, const Tables& t);

// The entry of `v` that the next index names; `what` names the table in the error.
template <typename T>
const T& At(const std::vector<T>& v, cbor::Reader& r, const char* what) {
  const uint64_t ix = r.Uint();
  if (ix >= v.size()) throw cbor::Error(std::string("an edit names a ") + what + " that is not in the table");
  return v[static_cast<size_t>(ix)];
}

// The top-level map of a body. Parts that need the string tables ("e", "E", "a",
// "x") and the sets ("s") are kept as readers and decoded once the whole map is read,
// whatever the order of its keys.
struct Body {
  std::optional<uint64_t> version, cursor;
  std::optional<int64_t> time;
  std::optional<bool> more;
  Decoded tables;
  std::optional<cbor::Reader> edits, accepted, rejected, sets;
  std::optional<cbor::Reader> ack_runs;  // "r": acknowledgements as runs (layout 2)
  std::optional<cbor::Reader> compact;       // "E": edits in layout 2 (wire_edits.h)
  uint64_t layout = 1;                       // "w": the newest layout the sender reads (1: none said)
  uint64_t set_bytes = 0;                    // "z" in a response
  std::vector<std::string> forms;
  bool reads_sets = false;
  std::optional<std::string> communes_tag;   // "k" in a request
  std::optional<CommuneList> communes;       // "k" in a response
  std::vector<std::string> gone;             // "o" in a response
};

// Reads the map and checks the version; unknown keys are skipped.
Body ParseBody(std::string_view bytes);

template <typename T>
T Need(const std::optional<T>& v, const char* key) {
  if (!v) throw cbor::Error(std::string("missing '") + key + "'");
  return *v;
}

}  // namespace sotay::wire
