// Files kept on the device, in sealed chunks (sotay/attachments.h).
#include "sotay/attachments.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "platform/file_mode.h"
#include "sotay/os.h"

namespace sotay {

namespace {

// In clear: whether the file still waits for the server (bookkeeping, as the
// outbox's keys are), so `status` counts without opening rows.
constexpr char kWaiting[] = "waiting";
constexpr char kUploaded[] = "uploaded";
constexpr char kFetching[] = "fetching";  // another device's file, not whole here yet

std::string Hex(const unsigned char* bin, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bin, n);
  out.pop_back();
  return out;
}

// Reads `in` in chunks, calling `visit(index, bytes)`; returns the SHA-256 hex.
Result<std::string> EachChunk(std::istream& in, const std::string& path,
                              const std::function<Status(int64_t, const std::string&)>& visit) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::string buf(static_cast<size_t>(kAttachmentChunkBytes), '\0');
  int64_t n = 0;
  for (;; ++n) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (in.bad()) return Status::IOError("file " + path + ": reading failed");
    if (got == 0 && n > 0) break;
    const std::string chunk = buf.substr(0, got);
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(chunk.data()), chunk.size());
    Status s = visit(n, chunk);
    if (!s.ok()) return s;
    if (got < buf.size()) break;
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  return Hex(digest, sizeof(digest));
}

// A fetched file not yet whole has a third line: "fetched <chunks held>".
std::string EncodeInfo(const KeptFile& f) {
  std::string out = f.ref.Format() + "\n" + std::to_string(f.sent_chunks) + "\n";
  if (!f.whole()) out += "fetched " + std::to_string(f.held_chunks) + "\n";
  return out;
}

Result<KeptFile> DecodeInfo(const std::string& hash, const std::string& text) {
  const size_t nl = text.find('\n');
  if (nl == std::string::npos) return Status::Corrupt("attachment " + hash.substr(0, 12) + ": its row has no progress line");
  auto ref = ParseAttachmentRef(text.substr(0, nl));
  if (!ref.ok() || ref->sha256_hex != hash) return Status::Corrupt("attachment " + hash.substr(0, 12) + ": its row does not hold its own reference");
  KeptFile f;
  f.ref = *ref;
  f.sent_chunks = std::atoll(text.c_str() + nl + 1);
  f.uploaded = f.sent_chunks >= f.ref.Chunks();
  f.held_chunks = f.ref.Chunks();
  const size_t third = text.find('\n', nl + 1);
  if (third != std::string::npos && text.compare(third + 1, 8, "fetched ") == 0) {
    f.held_chunks = std::atoll(text.c_str() + third + 9);
  }
  return f;
}

}  // namespace

std::string AttachmentChunkKey(const std::string& sha256_hex, int64_t n) {
  char num[16];
  std::snprintf(num, sizeof(num), "%08lld", static_cast<long long>(n));
  return sha256_hex + "/" + num;
}

Result<AttachmentRef> Attachments::Keep(const std::string& path, int64_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(PathFromUtf8(path), ec)) return Status::NotFound("file " + path + ": not found or not a regular file");
  const auto size = static_cast<int64_t>(std::filesystem::file_size(PathFromUtf8(path), ec));
  if (ec) return Status::IOError("file " + path + ": its size cannot be read: " + ec.message());
  return KeepFrom([&] { return std::make_unique<std::ifstream>(PathFromUtf8(path), std::ios::binary); }, path, size,
                  ExtensionOf(path), max_bytes);
}

Result<AttachmentRef> Attachments::KeepBytes(const std::string& bytes, const std::string& what, const std::string& ext,
                                             int64_t max_bytes) {
  // Read twice like a file, through the same path; the copy each stream makes is
  // at most the field's limit, and never touches the disk in clear.
  return KeepFrom([&] { return std::make_unique<std::istringstream>(bytes); }, what,
                  static_cast<int64_t>(bytes.size()), ext, max_bytes);
}

Result<AttachmentRef> Attachments::KeepFrom(const std::function<std::unique_ptr<std::istream>()>& open,
                                            const std::string& path, int64_t size, const std::string& ext,
                                            int64_t max_bytes) {
  if (size > max_bytes) {
    return Status::InvalidArgument("file " + path + ": " + std::to_string(size) + " bytes is over the limit of " +
                                   std::to_string(max_bytes) + " bytes; nothing was stored");
  }
  AttachmentRef ref;
  ref.size = size;
  ref.ext = ext;
  ref.media_type = MediaTypeOfExtension(ref.ext);
  {
    auto in = open();
    if (!*in) return Status::IOError("file " + path + ": cannot be opened");
    auto hash = EachChunk(*in, path, [](int64_t, const std::string&) { return Status::OK(); });
    if (!hash.ok()) return hash.status();
    ref.sha256_hex = *hash;
  }
  auto kept = Find(ref.sha256_hex);
  if (kept.ok() && kept->whole()) {  // the same bytes are kept once
    // Attached again: declared to the server again at the next sync (one small
    // request when it holds them), since a district may have purged them meanwhile
    // and would otherwise answer 410 for a file a record names again.
    if (kept->uploaded) {
      KeptFile again = *kept;
      again.sent_chunks = 0;
      again.uploaded = false;
      Status s = PutInfo(again);
      if (!s.ok()) return s;
    }
    return ref;
  }
  Status s = store_.Begin();
  if (!s.ok()) return s;
  auto in = open();
  const int64_t now = env_.NowMs();
  int64_t bytes = 0;
  auto again = EachChunk(*in, path, [&](int64_t n, const std::string& chunk) {
    bytes += static_cast<int64_t>(chunk.size());
    return store_.Put(Table::kAttachmentChunks, AttachmentChunkKey(ref.sha256_hex, n), ref.sha256_hex, now, chunk);
  });
  if (again.ok() && (*again != ref.sha256_hex || bytes != size)) {
    again = Status::FailedPrecondition("file " + path + ": it changed while it was read; nothing was stored");
  }
  if (!again.ok()) {
    store_.Rollback();
    return again.status();
  }
  s = PutInfo(KeptFile{ref, 0, false, ref.Chunks()});
  if (s.ok()) s = store_.Commit();
  if (!s.ok()) {
    store_.Rollback();
    return s;
  }
  return ref;
}

Status Attachments::PutInfo(const KeptFile& f) {
  const char* state = !f.whole() ? kFetching : f.uploaded ? kUploaded : kWaiting;
  return store_.Put(Table::kAttachments, f.ref.sha256_hex, state, env_.NowMs(), EncodeInfo(f));
}

Result<KeptFile> Attachments::Find(const std::string& sha256_hex) {
  auto row = store_.Get(Table::kAttachments, sha256_hex);
  if (!row.ok()) {
    if (row.status().code() == Status::Code::kNotFound) return Status::NotFound("attachment " + sha256_hex.substr(0, 12) + ": not kept on this device");
    return row.status();
  }
  return DecodeInfo(sha256_hex, *row);
}

Result<std::string> Attachments::Chunk(const std::string& sha256_hex, int64_t n) {
  auto chunk = store_.Get(Table::kAttachmentChunks, AttachmentChunkKey(sha256_hex, n));
  if (!chunk.ok() && chunk.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("attachment " + sha256_hex.substr(0, 12) + ": chunk " + std::to_string(n) + " is not kept");
  }
  if (!chunk.ok()) return chunk.status().Annotate("attachment " + sha256_hex.substr(0, 12) + " chunk " + std::to_string(n));
  return chunk;
}

Status Attachments::WriteOut(const std::string& sha256_hex, const std::string& out_path) {
  auto info = Find(sha256_hex);
  if (!info.ok()) return info.status();
  if (!info->whole()) {
    return Status::NotFound("attachment " + sha256_hex.substr(0, 12) + ": only " + std::to_string(info->held_chunks) +
                            " of its " + std::to_string(info->ref.Chunks()) + " chunks are on this device yet");
  }
  Status s = store::CreateOwnerOnlyFile(out_path);
  if (!s.ok()) return s.Annotate("file " + out_path);
  std::ofstream out(PathFromUtf8(out_path), std::ios::binary | std::ios::trunc);
  std::error_code ec;  // removing a half-written copy is best effort
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  int64_t written = 0;
  for (int64_t n = 0; n < info->ref.Chunks(); ++n) {
    auto chunk = Chunk(sha256_hex, n);
    if (!chunk.ok()) {
      out.close();
      std::filesystem::remove(PathFromUtf8(out_path), ec);
      return chunk.status();
    }
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(chunk->data()), chunk->size());
    out.write(chunk->data(), static_cast<std::streamsize>(chunk->size()));
    written += static_cast<int64_t>(chunk->size());
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  out.close();
  if (!out || written != info->ref.size || Hex(digest, sizeof(digest)) != sha256_hex) {
    std::filesystem::remove(PathFromUtf8(out_path), ec);
    if (!out) return Status::IOError("file " + out_path + ": writing failed");
    return Status::Corrupt("attachment " + sha256_hex.substr(0, 12) + ": its chunks do not make the file its hash names");
  }
  return Status::OK();
}

Result<std::vector<KeptFile>> Attachments::Waiting() {
  std::vector<KeptFile> out;
  Status failed;
  Status s = store_.Scan(Table::kAttachments, std::string(kWaiting), [&](const SealedRow& row) {
    if (!row.plaintext.ok()) {
      failed = row.plaintext.status().Annotate("attachment " + row.key.substr(0, 12));
      return false;
    }
    auto f = DecodeInfo(row.key, *row.plaintext);
    if (!f.ok()) {
      failed = f.status();
      return false;
    }
    out.push_back(*f);
    return true;
  });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  return out;
}

Status Attachments::MarkSent(const std::string& sha256_hex, int64_t sent_chunks) {
  auto f = Find(sha256_hex);
  if (!f.ok()) return f.status();
  f->sent_chunks = std::min(sent_chunks, f->ref.Chunks());
  f->uploaded = f->sent_chunks >= f->ref.Chunks();
  return PutInfo(*f);
}

Status Attachments::KeepFetchedChunk(const AttachmentRef& ref, int64_t n, const std::string& bytes) {
  KeptFile f{ref, ref.Chunks(), true, 0};
  auto kept = Find(ref.sha256_hex);
  if (kept.ok()) f = *kept;
  if (!kept.ok() && kept.status().code() != Status::Code::kNotFound) return kept.status();
  const std::string name = "attachment " + ref.sha256_hex.substr(0, 12);
  if (f.whole() || n != f.held_chunks) {
    return Status::InvalidArgument(name + ": chunk " + std::to_string(n) + " is not the next one it needs");
  }
  const int64_t want = n + 1 < ref.Chunks() ? kAttachmentChunkBytes : ref.size - n * kAttachmentChunkBytes;
  if (static_cast<int64_t>(bytes.size()) != want) {
    return Status::InvalidArgument(name + ": chunk " + std::to_string(n) + " has " + std::to_string(bytes.size()) +
                                   " bytes, not " + std::to_string(want));
  }
  Status s = store_.Begin();
  if (!s.ok()) return s;
  s = store_.Put(Table::kAttachmentChunks, AttachmentChunkKey(ref.sha256_hex, n), ref.sha256_hex, env_.NowMs(), bytes);
  f.held_chunks = n + 1;
  if (f.whole()) f.held_chunks = n;  // whole only once FinishFetch checked the hash
  if (s.ok()) s = PutInfo(f);
  if (s.ok()) s = store_.Commit();
  if (!s.ok()) store_.Rollback();
  return s;
}

Status Attachments::FinishFetch(const AttachmentRef& ref) {
  auto f = Find(ref.sha256_hex);
  if (!f.ok()) return f.status();
  if (f->whole()) return Status::OK();
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  int64_t bytes = 0;
  Status s;
  for (int64_t n = 0; n < ref.Chunks() && s.ok(); ++n) {
    auto chunk = Chunk(ref.sha256_hex, n);
    if (!chunk.ok()) return chunk.status();
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(chunk->data()), chunk->size());
    bytes += static_cast<int64_t>(chunk->size());
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  if (bytes == ref.size && Hex(digest, sizeof(digest)) == ref.sha256_hex) {
    f->held_chunks = ref.Chunks();
    return PutInfo(*f);
  }
  s = store_.Begin();
  for (int64_t n = 0; n < ref.Chunks() && s.ok(); ++n) s = store_.Delete(Table::kAttachmentChunks, AttachmentChunkKey(ref.sha256_hex, n));
  if (s.ok()) s = store_.Delete(Table::kAttachments, ref.sha256_hex);
  if (s.ok()) s = store_.Commit();
  if (!s.ok()) {
    store_.Rollback();
    return s;
  }
  return Status::Corrupt("attachment " + ref.sha256_hex.substr(0, 12) +
                         ": the chunks fetched do not hash to its name; they were forgotten, fetch it again");
}

}  // namespace sotay
