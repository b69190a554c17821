// LinkEstimate: what a device has measured of its link to the server (the rate in
// bytes per second, the round trip, how many wire bytes an edit costs each way),
// and the sizes the sync loop takes from it (issue 16): requests and pull pages sized
// so one exchange takes about kWindowMs (a few seconds of the twenty seconds of 2G
// signal the protocol is designed for, so a cut costs little), and the time after
// which an exchange that moves nothing is given up (a silent stall). Pure logic,
// no I/O and no clock: the caller measures and remembers it between runs
// (Encode, SyncStore::LinkMemory).
//
// One rate serves both directions: an exchange is one round trip with the request
// and the answer in it, and what it measures is their bytes over its time. The
// rate so measured includes the round trip and the server's work, so it is low
// for small exchanges; sizing for kWindowMs then grows them by window/time, which
// settles where exchanges take about the window (at most 4x growth per exchange).
//
// Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sotay {

// The request header in which a device asks for a pull page of at most this many
// bytes (as encoded, before compression; docs/sync-protocol.md). The server caps it.
inline constexpr const char* kPageBytesHeader = "X-Sotay-Page-Bytes";

// One exchange as it crossed the network.
struct LinkSample {
  size_t up_bytes = 0;       // the request body as sent (compressed)
  size_t down_bytes = 0;     // the answer body as received (compressed)
  size_t down_decoded = 0;   // the answer body once decompressed
  size_t edits_up = 0;       // edits the request pushed
  int64_t ms = 0;            // from sending to the whole answer in
};

class LinkEstimate {
 public:
  static constexpr int64_t kWindowMs = 4000;       // what one exchange should take
  static constexpr int64_t kStallFloorMs = 10000;  // never give up on a quieter link sooner
  static constexpr int64_t kStallUnmeasuredMs = 30000;  // before anything is measured
  static constexpr int64_t kStallCeilingMs = 60000;     // the transport's own read timeout
  static constexpr size_t kFirstPushEdits = 500;        // ~18 new children, ~4 KB gzipped
  static constexpr size_t kSmallestPushEdits = 50;
  static constexpr size_t kSmallestPageBytes = 2048;

  // Learns from one exchange. Samples of under a millisecond or with no bytes are ignored.
  void Observe(const LinkSample& s);

  bool measured() const { return samples_ > 0; }
  double bytes_per_s() const { return rate_; }  // as measured, or a 2G guess (kGuessRate)
  int64_t round_trip_ms() const { return rtt_ms_; }  // the quickest exchange seen (at least the round trip); 0: none

  // Edits the next push may carry: what fits in the window at the measured rate and
  // cost per edit, at most 4x `current` and within [smallest, largest]. Before
  // anything is measured: what was remembered, else kFirstPushEdits.
  size_t PushEdits(size_t current, size_t largest) const;
  // The pull page budget to ask the server for, in bytes of the page as encoded
  // before compression (what the server counts): the window's wire bytes times the
  // measured compression ratio.
  size_t PageBytes() const;
  // The wire bytes such a page is expected to take.
  size_t PageWireBytes() const;
  // How long an exchange may go without progress before it is called stalled, when
  // `expected_wire_bytes` may sit in buffers before the answer starts (the request):
  // three times their expected time, at least kStallFloorMs, at most kStallCeilingMs.
  int64_t StallTimeoutMs(size_t expected_wire_bytes) const;
  // The wire bytes a push of `edits` is expected to take.
  size_t PushWireBytes(size_t edits) const;
  // Seconds to send `edits` more at the measured rate (0 when nothing is measured).
  int64_t SecondsToSend(size_t edits) const;

  // The push size last used, remembered with the rest.
  size_t push_edits() const { return push_edits_; }
  void set_push_edits(size_t n) { push_edits_ = n; }
  // The edit layout the server last said it reads (wire.h): the sizes above were
  // measured in it, so the next run pushes in it from its first request.
  uint32_t server_layout() const { return server_layout_; }
  void set_server_layout(uint32_t layout) { server_layout_ = layout; }

  // "link/1 rate rtt up_per_edit ratio push samples layout": numbers only (nothing
  // sensitive). A memory without the layout (older builds) reads as layout 1.
  std::string Encode() const;
  // An estimate from Encode()'s text; a fresh one for "" or text it cannot read
  // (an old or damaged memory only costs a few exchanges of measuring again).
  static LinkEstimate Decode(const std::string& text);

 private:
  static constexpr double kGuessRate = 4000;       // 32 kbit/s: a fair 2G guess
  static constexpr double kGuessUpPerEdit = 8;     // wire bytes per pushed edit (new children)
  static constexpr double kGuessRatio = 4;         // decoded / wire bytes of a pull page

  double rate_ = kGuessRate;
  int64_t rtt_ms_ = 0;
  double up_per_edit_ = kGuessUpPerEdit;
  double ratio_ = kGuessRatio;
  size_t push_edits_ = 0;  // 0: none remembered
  uint32_t server_layout_ = 1;
  int samples_ = 0;
};

}  // namespace sotay
