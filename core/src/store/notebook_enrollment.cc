// Notebook: who this device is and works for — its enrollment (server, user, area,
// role, communes) and the pinned server key. The device's signing key is
// device_key.cc's.
#include <algorithm>

#include "notebook_keys.h"
#include "sotay/notebook.h"
#include "sotay/signing.h"
#include "store/device_key.h"

namespace sotay {

namespace {
// The stored form of a list: "code<TAB>name" lines. A name's own tabs and line breaks
// become spaces and an entry whose code could not be stored is left out: one odd name
// in the server's areas file must not stop every device's sync.
std::string CommuneLines(const CommuneList& list) {
  std::string lines;
  for (const Commune& c : list.communes) {
    if (c.code.empty() || c.code.find_first_of("\t\r\n") != std::string::npos) continue;
    std::string name = c.name;
    std::replace_if(name.begin(), name.end(), [](char ch) { return ch == '\t' || ch == '\r' || ch == '\n'; }, ' ');
    lines += (lines.empty() ? "" : "\n") + c.code + "\t" + name;
  }
  return lines;
}

}  // namespace

Status Notebook::SetEnrollment(const Enrollment& e) {
  if (!e.server_key.empty() && !IsPublicKeyBase64(e.server_key)) {
    return Status::InvalidArgument("the server's key must be 32 bytes of Ed25519 key in base64");
  }
  // One transaction: a device never has the new server's address with the old one's key.
  Status s = InTransaction([&] {
    Status st = PutSetting(kMetaServer, e.server_url);
    if (st.ok()) st = PutSetting(kMetaServerKey, e.server_key);
    if (st.ok()) st = PutSetting(kMetaArea, e.area);
    if (st.ok()) st = PutSetting(kMetaAuthor, e.user);
    if (st.ok()) st = PutSetting(kMetaRole, e.role);
    // The list comes with the enrollment, or is cleared: another user's communes must
    // not steer this one's records until the first sync brings theirs.
    if (st.ok()) st = PutSetting(kMetaCommunes, CommuneLines(e.communes));
    if (st.ok()) st = PutSetting(kMetaCommunesTag, e.communes.tag);
    return st;
  });
  if (s.ok()) {
    area_ = e.area;
    author_ = e.user;
    role_ = e.role;
    s = LoadCommunes();
  }
  return s;
}

// SetEnrollment always writes the key's row, "" when none was pinned yet (and the
// format 1 upgrade writes "" for an enrolled store), so a missing row beside a server
// address was deleted outside sotay: read as "", it would let the next answer's key
// be pinned in place of the real one.
Result<std::string> Notebook::ServerKey() {
  auto row = store_->GetSealedMeta(kMetaServerKey);
  if (!row.ok() || row->has_value()) return Setting(kMetaServerKey);
  auto server = Setting(kMetaServer);
  if (!server.ok()) return server.status();
  if (server->empty()) return std::string();
  return Status::Tampered("the notebook's pinned server key was removed outside sotay: refusing to use it");
}

Status Notebook::PinServerKey(const std::string& key_b64) {
  if (!IsPublicKeyBase64(key_b64)) {
    return Status::InvalidArgument("the server's key must be 32 bytes of Ed25519 key in base64");
  }
  return PutSetting(kMetaServerKey, key_b64);
}

Status Notebook::LoadCommunes() {
  auto text = Setting(kMetaCommunes);
  auto tag = Setting(kMetaCommunesTag);
  if (!text.ok()) return text.status();
  if (!tag.ok()) return tag.status();
  communes_.clear();
  communes_tag_ = *tag;
  const std::string& lines = *text;
  size_t i = 0;
  while (i < lines.size()) {
    size_t end = lines.find('\n', i);
    if (end == std::string::npos) end = lines.size();
    const size_t tab = lines.find('\t', i);
    if (tab == std::string::npos || tab > end) return Status::Corrupt("the store's list of communes is malformed");
    communes_.push_back(Commune{lines.substr(i, tab - i), lines.substr(tab + 1, end - tab - 1)});
    i = end + 1;
  }
  return Status::OK();
}

Status Notebook::SetCommunes(const CommuneList& list) {
  Status s = PutSetting(kMetaCommunes, CommuneLines(list));
  if (s.ok()) s = PutSetting(kMetaCommunesTag, list.tag);
  if (s.ok()) s = LoadCommunes();
  return s;
}

Result<std::string> Notebook::CommuneForNewRecord(const std::string& chosen) const {
  const std::string area = chosen.empty() ? area_ : chosen;
  if (communes_.empty()) {
    if (role_ == "district") {
      return Status::FailedPrecondition("this device does not know the communes its user may edit: sync first to "
                                        "learn the communes");
    }
    return area;  // not enrolled, or an older server: the server checks
  }
  for (const Commune& c : communes_) {
    if (c.code == area) return area;
  }
  std::string known;
  for (const Commune& c : communes_) known += (known.empty() ? "" : ", ") + c.code + " " + c.name;
  if (chosen.empty()) {
    return Status::FailedPrecondition("this device's area " + area_ + " is not a commune: name the commune the " +
                                      "record belongs to (" + known + ")");
  }
  return Status::InvalidArgument("commune " + chosen + " is not one this user may edit (" + known + ")");
}

Result<std::string> Notebook::PublicKeyBase64() { return DeviceKey(*store_, *env_).PublicKeyBase64(); }

Result<Notebook::RequestSignature> Notebook::SignRequestDigest(const std::string& method, const std::string& path,
                                                               const std::string& body_sha256_hex,
                                                               int64_t clock_offset_ms) {
  return DeviceKey(*store_, *env_).SignRequestDigest(method, path, body_sha256_hex, clock_offset_ms);
}

}  // namespace sotay
