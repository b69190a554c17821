#include "store/store_crypto.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "sotay/sealed_store.h"

namespace sotay::store {

namespace {

static_assert(kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key size");
static_assert(kNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, "nonce size");
static_assert(kTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES, "tag size");
static_assert(kSaltBytes == crypto_pwhash_SALTBYTES, "salt size");

std::string_view DataKeyAd(int store_format) {
  return store_format == 1 ? std::string_view("sotay1/datakey") : std::string_view("sotay2/datakey");
}
constexpr uint64_t kMaxOpslimit = 64;
constexpr size_t kMaxMemlimit = size_t{1} << 30;

const unsigned char* U(const char* p) { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* U(char* p) { return reinterpret_cast<unsigned char*>(p); }

// "sotay1" 0 table 0 key 0 index, into *ad (capacity reused between rows).
void BuildRowAd(std::string_view table, std::string_view key, std::string_view index,
                std::string* ad) {
  static constexpr char kPrefix[] = "sotay1";
  ad->clear();
  ad->append(kPrefix, sizeof(kPrefix) - 1);
  ad->push_back('\0');
  ad->append(table);
  ad->push_back('\0');
  ad->append(key);
  ad->push_back('\0');
  ad->append(index);
}

// Writes format || nonce || AEAD(plaintext) into out[0, plaintext.size() + overhead),
// the nonce already in place at out[1, 25).
void Seal(const SecretBytes& key, std::string_view plaintext, std::string_view ad, char* out) {
  out[0] = static_cast<char>(kSealFormat);
  const unsigned char* nonce = U(out + 1);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(U(out + 1 + kNonceBytes), &clen, U(plaintext.data()),
                                             plaintext.size(), U(ad.data()), ad.size(), nullptr,
                                             nonce, key.data());
}

// Opens what Seal wrote into out (room for sealed.size() - overhead bytes).
bool Open(const SecretBytes& key, std::string_view sealed, std::string_view ad,
          unsigned char* out) {
  if (sealed.size() < kSealOverhead || static_cast<uint8_t>(sealed[0]) != kSealFormat) {
    return false;
  }
  const unsigned char* nonce = U(sealed.data() + 1);
  const unsigned char* c = nonce + kNonceBytes;
  const size_t clen = sealed.size() - 1 - kNonceBytes;
  unsigned long long mlen = 0;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, nullptr, c, clen, U(ad.data()),
                                                    ad.size(), nonce, key.data()) == 0;
}

}  // namespace

Status InitSodium() {
  if (sodium_init() < 0) return Status::IOError("initialise libsodium: no source of randomness");
  return Status::OK();
}

// ---- SecretBytes ----

SecretBytes::~SecretBytes() { sodium_free(data_); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Status SecretBytes::Allocate(size_t size) {
  sodium_free(data_);
  size_ = 0;
  data_ = static_cast<uint8_t*>(sodium_malloc(size));
  if (data_ == nullptr) return Status::IOError("allocate protected memory for a key");
  size_ = size;
  return Status::OK();
}

void SecretBytes::MakeReadOnly() {
  if (data_ != nullptr) sodium_mprotect_readonly(data_);
}

// ---- Keys ----

bool KdfLimitsAcceptable(uint64_t opslimit, size_t memlimit) {
  return opslimit >= crypto_pwhash_OPSLIMIT_MIN && opslimit <= kMaxOpslimit &&
         memlimit >= crypto_pwhash_MEMLIMIT_MIN && memlimit <= kMaxMemlimit;
}

Status DeriveKek(std::string_view passphrase, std::string_view extra_secret,
                 std::string_view salt, uint64_t opslimit, size_t memlimit, SecretBytes* kek) {
  if (salt.size() != kSaltBytes) return Status::Corrupt("key salt has the wrong size");
  if (!KdfLimitsAcceptable(opslimit, memlimit)) {
    return Status::InvalidArgument("key-derivation limits out of range");
  }
  SecretBytes stretched;
  Status s = stretched.Allocate(kKeyBytes);
  if (s.ok()) s = kek->Allocate(kKeyBytes);
  if (!s.ok()) return s;
  if (crypto_pwhash(stretched.data(), kKeyBytes, passphrase.data(), passphrase.size(),
                    U(salt.data()), opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::IOError("derive key from passphrase: out of memory (" +
                           std::to_string(memlimit >> 20) + " MiB needed)");
  }
  if (extra_secret.empty()) {
    std::copy(stretched.data(), stretched.data() + kKeyBytes, kek->data());
  } else {
    crypto_generichash(kek->data(), kKeyBytes, U(extra_secret.data()), extra_secret.size(),
                       stretched.data(), kKeyBytes);
  }
  kek->MakeReadOnly();
  return Status::OK();
}

Status NewDataKey(SecretBytes* key) {
  Status s = key->Allocate(kKeyBytes);
  if (!s.ok()) return s;
  crypto_aead_xchacha20poly1305_ietf_keygen(key->data());
  key->MakeReadOnly();
  return Status::OK();
}

std::string SealDataKey(const SecretBytes& kek, const SecretBytes& data_key, int store_format) {
  std::string out(kSealOverhead + kKeyBytes, '\0');
  randombytes_buf(out.data() + 1, kNonceBytes);
  const std::string_view plain(reinterpret_cast<const char*>(data_key.data()), kKeyBytes);
  Seal(kek, plain, DataKeyAd(store_format), out.data());
  return out;
}

bool OpenDataKey(const SecretBytes& kek, std::string_view sealed, int store_format, SecretBytes* data_key) {
  if (sealed.size() != kSealOverhead + kKeyBytes) return false;
  if (!data_key->Allocate(kKeyBytes).ok()) return false;
  if (!Open(kek, sealed, DataKeyAd(store_format), data_key->data())) {
    *data_key = SecretBytes();
    return false;
  }
  data_key->MakeReadOnly();
  return true;
}

// ---- Rows ----

void NonceSource::Next(uint8_t out[kNonceBytes]) {
  if (used_ == sizeof(pool_)) {
    randombytes_buf(pool_, sizeof(pool_));
    used_ = 0;
  }
  std::memcpy(out, pool_ + used_, kNonceBytes);
  sodium_memzero(pool_ + used_, kNonceBytes);  // handed out: not kept for reuse
  used_ += kNonceBytes;
}

void SealRow(const SecretBytes& data_key, NonceSource* nonces, std::string_view table,
             std::string_view key, std::string_view index, std::string_view plaintext,
             std::string* ad, std::string* out) {
  BuildRowAd(table, key, index, ad);
  out->resize(plaintext.size() + kSealOverhead);
  nonces->Next(reinterpret_cast<uint8_t*>(out->data() + 1));
  Seal(data_key, plaintext, *ad, out->data());
}

bool OpenRow(const SecretBytes& data_key, std::string_view table, std::string_view key,
             std::string_view index, std::string_view sealed, std::string* ad, std::string* out) {
  out->clear();
  if (sealed.size() < kSealOverhead) return false;
  BuildRowAd(table, key, index, ad);
  out->resize(sealed.size() - kSealOverhead);
  if (!Open(data_key, sealed, *ad, U(out->data()))) {
    sodium_memzero(out->data(), out->size());  // whatever libsodium left there
    out->clear();
    return false;
  }
  return true;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

}  // namespace sotay::store

namespace sotay {

// Measured on the development machine (x86-64, libsodium 1.0.18; see
// docs/store-format.md): ops 3 / 64 MiB took ~0.1 s, under the 0.2 s floor, so the
// passes go up while memory stays at 64 MiB, which a cheap phone can spare.
KdfLimits KdfLimits::Default() {
  KdfLimits l;
  l.opslimit = std::max<uint64_t>(10, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  l.memlimit = std::max<size_t>(size_t{64} << 20, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  return l;
}

KdfLimits KdfLimits::Fast() {
  KdfLimits l;
  l.opslimit = crypto_pwhash_OPSLIMIT_MIN;
  l.memlimit = crypto_pwhash_MEMLIMIT_MIN;
  return l;
}

}  // namespace sotay
