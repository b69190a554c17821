#include "sotay/zstd.h"

#include <zstd.h>

#include <memory>

#include "platform/sync_dictionary.h"

namespace sotay {

namespace {

struct Dictionaries {
  ZSTD_CDict* compress = nullptr;
  ZSTD_DDict* decompress = nullptr;
  uint32_t id = 0;
};

// Loaded once and shared: a CDict and a DDict are read-only once made, and making
// them per body would cost more than packing a small body.
const Dictionaries& Shipped() {
  static const Dictionaries d = [] {
    Dictionaries out;
    const std::string_view bytes = SyncDictionaryBytes();
    out.compress = ZSTD_createCDict(bytes.data(), bytes.size(), kZstdLevel);
    out.decompress = ZSTD_createDDict(bytes.data(), bytes.size());
    out.id = ZSTD_getDictID_fromDict(bytes.data(), bytes.size());
    return out;
  }();
  return d;
}

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// Bodies are at most a few MiB (the server's limit is 4 MiB), so no honest frame
// needs a larger window; a frame asking for one (to make us allocate) is refused.
constexpr int kWindowLogMax = 23;

}  // namespace

uint32_t SyncDictionaryId() { return Shipped().id; }

bool LooksLikeZstd(std::string_view bytes) {
  return bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0x28 &&
         static_cast<unsigned char>(bytes[1]) == 0xB5 && static_cast<unsigned char>(bytes[2]) == 0x2F &&
         static_cast<unsigned char>(bytes[3]) == 0xFD;
}

std::optional<std::string> Zstd(std::string_view data, bool with_dictionary, int level) {
  std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  if (!cctx) return std::nullopt;
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = 0;
  const Dictionaries& d = Shipped();
  if (with_dictionary && level == kZstdLevel && d.compress != nullptr) {
    n = ZSTD_compress_usingCDict(cctx.get(), out.data(), out.size(), data.data(), data.size(), d.compress);
  } else if (with_dictionary) {
    const std::string_view bytes = SyncDictionaryBytes();
    n = ZSTD_compress_usingDict(cctx.get(), out.data(), out.size(), data.data(), data.size(), bytes.data(),
                                bytes.size(), level);
  } else {
    n = ZSTD_compressCCtx(cctx.get(), out.data(), out.size(), data.data(), data.size(), level);
  }
  if (ZSTD_isError(n)) return std::nullopt;
  out.resize(n);
  return out;
}

struct ZstdWriter::Stream {
  std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx{ZSTD_createCCtx()};
  bool ok = false;
  std::string out;
  size_t used = 0;
  // Runs the compressor over `data` until it took all of it (and, for a flush or
  // the end, wrote all of it out), growing `out` as needed.
  bool Feed(std::string_view data, ZSTD_EndDirective mode) {
    if (!ok) return false;
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    for (;;) {
      if (out.size() - used < ZSTD_CStreamOutSize()) {
        out.resize(used + ZSTD_compressBound(in.size - in.pos) + ZSTD_CStreamOutSize());
      }
      ZSTD_outBuffer o{out.data() + used, out.size() - used, 0};
      const size_t left = ZSTD_compressStream2(cctx.get(), &o, &in, mode);
      used += o.pos;
      if (ZSTD_isError(left)) return ok = false;
      if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0) return true;
    }
  }
};

ZstdWriter::ZstdWriter() : z_(std::make_unique<Stream>()) {
  const Dictionaries& d = Shipped();
  z_->ok = z_->cctx != nullptr &&
           (d.compress != nullptr ? !ZSTD_isError(ZSTD_CCtx_refCDict(z_->cctx.get(), d.compress))
                                  : !ZSTD_isError(ZSTD_CCtx_setParameter(z_->cctx.get(), ZSTD_c_compressionLevel,
                                                                         kZstdLevel)));
}
ZstdWriter::~ZstdWriter() = default;
ZstdWriter::ZstdWriter(ZstdWriter&&) noexcept = default;
ZstdWriter& ZstdWriter::operator=(ZstdWriter&&) noexcept = default;

// Flushed, not merely fed: zstd would otherwise hold back the last part-filled
// block, and pack it in Finish, while the server waits.
bool ZstdWriter::Append(std::string_view data) { return z_ && z_->Feed(data, ZSTD_e_flush); }

std::optional<std::string> ZstdWriter::Finish(std::string_view last) {
  if (!z_ || !z_->Feed(last, ZSTD_e_end)) {
    z_.reset();
    return std::nullopt;
  }
  std::string out = std::move(z_->out);
  out.resize(z_->used);
  z_.reset();
  return out;
}

Result<std::string> Unzstd(std::string_view frame, size_t max_bytes) {
  if (!LooksLikeZstd(frame)) return Status::InvalidArgument("the body is not a zstd frame");
  const unsigned dict_id = ZSTD_getDictID_fromFrame(frame.data(), frame.size());
  const Dictionaries& d = Shipped();
  if (dict_id != 0 && dict_id != d.id) {
    return Status::InvalidArgument("the zstd frame needs dictionary " + std::to_string(dict_id) +
                                   ", which is not this side's (" + std::to_string(d.id) + ")");
  }
  std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  if (!dctx || ZSTD_isError(ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, kWindowLogMax))) {
    return Status::IOError("zstd could not start unpacking the body");
  }
  if (dict_id != 0 && (d.decompress == nullptr || ZSTD_isError(ZSTD_DCtx_refDDict(dctx.get(), d.decompress)))) {
    return Status::IOError("zstd could not load its dictionary");
  }
  // Streamed into a bounded buffer, never trusting the size the frame claims.
  std::string out;
  char buf[64 * 1024];
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  size_t left = 1;  // ZSTD_decompressStream's hint: 0 once a whole frame is done
  while (in.pos < in.size || left != 0) {
    ZSTD_outBuffer o{buf, sizeof buf, 0};
    const size_t before = in.pos;
    left = ZSTD_decompressStream(dctx.get(), &o, &in);
    if (ZSTD_isError(left)) {
      return Status::InvalidArgument(std::string("the zstd frame is broken: ") + ZSTD_getErrorName(left));
    }
    if (out.size() + o.pos > max_bytes) {
      return Status::FailedPrecondition("the zstd frame unpacks to over the limit of " + std::to_string(max_bytes) +
                                        " bytes: refused");
    }
    out.append(buf, o.pos);
    if (left == 0 && in.pos < in.size) return Status::InvalidArgument("the zstd frame is followed by other bytes");
    if (o.pos == 0 && in.pos == before) return Status::InvalidArgument("the zstd frame is cut short");
  }
  return out;
}

}  // namespace sotay
