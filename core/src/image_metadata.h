// The metadata of a JPEG or a PNG, removed without touching the picture
// (sotay/image_reduce.h says which parts go and why). Walks the file's structure
// only: segments and chunks are copied whole or dropped, nothing is decoded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sotay::image {

struct Stripped {
  bool ok = false;        // the structure was whole and understood; `bytes` is valid
  std::string bytes;      // the file without its metadata
  int orientation = 1;    // EXIF orientation (1..8), 1 when none or not EXIF
  bool had_metadata = false;
  bool had_location = false;  // an EXIF GPS directory or XMP GPS fields
  bool has_trns = false;      // PNG: a tRNS chunk (transparency without an alpha channel)
  // JPEG: safe to hand to Debian's stb_image 2.27: one baseline or extended
  // sequential frame (SOF0/SOF1: what phone cameras write), Huffman tables whose
  // counts fit their 256 symbols, and scans that name only tables defined before
  // them. stb 2.27 overflows its tables on a DHT that declares more, and decodes
  // with uninitialised tables when a scan names one never defined (both found by
  // fuzz/image_reduce_fuzz.cc; the second aborted on an assertion or read out of
  // bounds). Most of its later fixes are in the progressive decoder, which is not
  // used. Always true for a PNG.
  bool decodable = true;
};

// From SOI to EOI: APP1..APP15 (but Adobe's APP14) and COM dropped, and anything
// after EOI. Not ok when a segment runs past the end, no scan is found or EOI is missing.
Stripped StripJpeg(std::string_view jpeg);
// From the signature to IEND: only the chunks that draw the picture kept (IHDR,
// PLTE, IDAT, IEND, tRNS, colour chunks, pHYs, animation), anything after IEND dropped.
Stripped StripPng(std::string_view png);

// The width and height the file declares (a JPEG's frame header, a PNG's IHDR),
// read before anything is decoded; false when none is found.
bool DeclaredSize(std::string_view image, int64_t* width, int64_t* height);

// The orientation tag of an EXIF block (the APP1 payload after "Exif\0\0"): 1..8,
// or 1 when absent or malformed. Sets `*gps` when IFD0 points to a GPS directory.
int ExifOrientation(std::string_view tiff, bool* gps);

}  // namespace sotay::image
