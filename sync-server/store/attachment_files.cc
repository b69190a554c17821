// Files on the server's disk, sealed chunk by chunk (store/attachment_files.h).
#include "store/attachment_files.h"

#include <sodium.h>

#include <filesystem>
#include <fstream>

#include "sotay/attachment.h"
#include "store/durable_file.h"

namespace sotay::server {

namespace {

constexpr int64_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr int64_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr int64_t kSlot = kAttachmentChunkBytes + kNonce + kTag;

std::string Ad(const std::string& hash, int64_t n) { return "sotay-file/1 " + hash + " " + std::to_string(n); }

const unsigned char* U(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Status MakeOwnerOnly(const std::string& path) {
  std::error_code ec;
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, ec);
  return ec ? Status::IOError(path + ": cannot make it private to this account: " + ec.message()) : Status::OK();
}

}  // namespace

AttachmentFiles::AttachmentFiles(std::string folder, std::string key_path, std::string key)
    : folder_(std::move(folder)), key_path_(std::move(key_path)), key_(std::move(key)) {}

AttachmentFiles::~AttachmentFiles() { sodium_memzero(key_.data(), key_.size()); }

Result<std::unique_ptr<AttachmentFiles>> AttachmentFiles::OpenFolder(const std::string& folder) {
  const std::string key_path = folder + ".key";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status::IOError("the files folder " + folder + ": cannot be made: " + ec.message());
  std::filesystem::permissions(folder, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
  std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  if (!std::filesystem::exists(key_path, ec)) {
    crypto_aead_xchacha20poly1305_ietf_keygen(reinterpret_cast<unsigned char*>(key.data()));
    const std::string partial = key_path + ".partial";
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      Status s = MakeOwnerOnly(partial);
      if (!s.ok()) return s;
      out.write(key.data(), static_cast<std::streamsize>(key.size()));
      if (!out.flush()) return Status::IOError("the files key " + key_path + ": cannot be written");
    }
    // On the disk before any file is sealed with it: a key lost to a power cut
    // would leave every file unreadable.
    Status synced = SyncFileToDisk(partial);
    if (!synced.ok()) return synced;
    std::filesystem::rename(partial, key_path, ec);
    if (ec) return Status::IOError("the files key " + key_path + ": cannot be named: " + ec.message());
    synced = SyncFolderToDisk(std::filesystem::path(key_path).parent_path().string());
    if (!synced.ok()) return synced;
  } else {
    std::ifstream in(key_path, std::ios::binary);
    in.read(key.data(), static_cast<std::streamsize>(key.size()));
    if (in.gcount() != static_cast<std::streamsize>(key.size()) || in.get() != std::char_traits<char>::eof()) {
      return Status::Corrupt("the files key " + key_path + " is not 32 bytes");
    }
  }
  return std::unique_ptr<AttachmentFiles>(new AttachmentFiles(folder, key_path, std::move(key)));
}

std::string AttachmentFiles::PathOf(const std::string& hash) const {
  return folder_ + "/" + hash.substr(0, 2) + "/" + hash.substr(2);
}

Status AttachmentFiles::WriteChunk(const std::string& hash, int64_t n, const std::string& bytes) {
  const std::string path = PathOf(hash) + ".partial";
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Status::IOError("attachment " + hash.substr(0, 12) + ": its folder cannot be made: " + ec.message());
  if (!std::filesystem::exists(path, ec) && std::filesystem::exists(PathOf(hash), ec)) {
    // Whole on disk, yet its rows say it is not: the server stopped (or its commit
    // failed) between Finish naming the file and the transaction recording it whole.
    // Finish checked those chunks against the hash; take them back, so the device
    // resends the chunk it was sending and not, after a hash mismatch, every chunk.
    std::filesystem::rename(PathOf(hash), path, ec);
    if (ec) return Status::IOError("attachment " + hash.substr(0, 12) + ": cannot be reopened: " + ec.message());
  }
  if (!std::filesystem::exists(path, ec)) {
    std::ofstream(path, std::ios::binary).flush();
    Status s = MakeOwnerOnly(path);
    if (!s.ok()) return s;
  }
  std::string sealed(static_cast<size_t>(kNonce) + bytes.size() + static_cast<size_t>(kTag), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(out, static_cast<size_t>(kNonce));
  const std::string ad = Ad(hash, n);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonce, &len, U(bytes), bytes.size(), U(ad), ad.size(), nullptr, out,
                                             U(key_));
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(n * kSlot);
  f.write(sealed.data(), static_cast<std::streamsize>(sealed.size()));
  if (!f.flush()) return Status::IOError("attachment " + hash.substr(0, 12) + ": chunk " + std::to_string(n) + " cannot be written");
  f.close();
  // On the disk before its row says the server has it: the device never sends an
  // acknowledged chunk again.
  return SyncFileToDisk(path);
}

namespace {

// Reads and opens chunk `n` of a sealed file of `size` plaintext bytes.
Result<std::string> OpenChunk(std::ifstream& in, const std::string& key, const std::string& hash, int64_t n, int64_t size) {
  const int64_t chunks = size == 0 ? 1 : (size + kAttachmentChunkBytes - 1) / kAttachmentChunkBytes;
  if (n < 0 || n >= chunks) return Status::NotFound("attachment " + hash.substr(0, 12) + ": no chunk " + std::to_string(n));
  const int64_t plain = n + 1 < chunks ? kAttachmentChunkBytes : size - n * kAttachmentChunkBytes;
  std::string sealed(static_cast<size_t>(plain + kNonce + kTag), '\0');
  in.seekg(n * kSlot);
  in.read(sealed.data(), static_cast<std::streamsize>(sealed.size()));
  if (in.gcount() != static_cast<std::streamsize>(sealed.size())) {
    in.clear();
    return Status::Corrupt("attachment " + hash.substr(0, 12) + ": chunk " + std::to_string(n) + " is missing or short");
  }
  std::string out(static_cast<size_t>(plain), '\0');
  const std::string ad = Ad(hash, n);
  unsigned long long len = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &len, nullptr, s + kNonce,
                                                 sealed.size() - static_cast<size_t>(kNonce), U(ad), ad.size(), s,
                                                 reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return Status::Tampered("attachment " + hash.substr(0, 12) + ": chunk " + std::to_string(n) + " does not open (tampered or damaged)");
  }
  return out;
}

}  // namespace

Result<bool> AttachmentFiles::Finish(const std::string& hash, int64_t size) {
  const std::string partial = PathOf(hash) + ".partial";
  bool whole = true;
  {
    std::ifstream in(partial, std::ios::binary);
    if (!in) return Status::IOError("attachment " + hash.substr(0, 12) + ": its partial file cannot be read");
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    const int64_t chunks = size == 0 ? 1 : (size + kAttachmentChunkBytes - 1) / kAttachmentChunkBytes;
    for (int64_t n = 0; n < chunks && whole; ++n) {
      auto chunk = OpenChunk(in, key_, hash, n, size);
      if (!chunk.ok()) {
        whole = false;
        break;
      }
      crypto_hash_sha256_update(&st, U(*chunk), chunk->size());
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    whole = whole && hash == hex;
  }
  std::error_code ec;
  if (!whole) {
    std::filesystem::remove(partial, ec);
    return false;
  }
  std::filesystem::rename(partial, PathOf(hash), ec);
  if (ec) return Status::IOError("attachment " + hash.substr(0, 12) + ": cannot be named: " + ec.message());
  Status synced = SyncFolderToDisk(std::filesystem::path(PathOf(hash)).parent_path().string());
  if (!synced.ok()) return synced;
  return true;
}

Result<std::string> AttachmentFiles::ReadChunk(const std::string& hash, int64_t n, int64_t size) {
  std::ifstream in(PathOf(hash), std::ios::binary);
  if (!in) return Status::NotFound("attachment " + hash.substr(0, 12) + ": its file is not on the server's disk");
  return OpenChunk(in, key_, hash, n, size);
}

void AttachmentFiles::DropPartial(const std::string& hash) {
  std::error_code ec;
  std::filesystem::remove(PathOf(hash) + ".partial", ec);
}

Status AttachmentFiles::Remove(const std::string& hash) {
  std::error_code ec;
  std::filesystem::remove(PathOf(hash), ec);
  if (ec) return Status::IOError("file " + hash.substr(0, 12) + " on the server's disk: cannot be deleted: " + ec.message());
  DropPartial(hash);
  return Status::OK();
}

}  // namespace sotay::server
