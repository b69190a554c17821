// Attachment references and file rules (attachment.h).
#include "sotay/attachment.h"

#include <map>
#include <sstream>

namespace sotay {

std::string AttachmentRef::Format() const {
  return sha256_hex + " " + std::to_string(size) + " " + media_type + " " + (ext.empty() ? "-" : ext);
}

int64_t AttachmentRef::Chunks() const {
  return size == 0 ? 1 : (size + kAttachmentChunkBytes - 1) / kAttachmentChunkBytes;
}

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

namespace {

bool IsToken(const std::string& s, bool slash) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                    c == '+' || c == '_' || (slash && c == '/');
    if (!ok) return false;
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

Result<AttachmentRef> ParseAttachmentRef(const std::string& answer) {
  std::istringstream in(answer);
  AttachmentRef r;
  std::string size, extra;
  in >> r.sha256_hex >> size >> r.media_type >> r.ext >> extra;
  if (!IsSha256Hex(r.sha256_hex)) return Status::InvalidArgument("file reference: the hash is not 64 lower-case hex digits");
  if (size.empty() || size.size() > 12 || size.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("file reference: the size is not a number of bytes");
  }
  r.size = std::stoll(size);
  if (r.size > kAttachmentHardMaxBytes) return Status::InvalidArgument("file reference: the size is over the most any form allows");
  if (!IsToken(r.media_type, true) || r.media_type.find('/') == std::string::npos) {
    return Status::InvalidArgument("file reference: the media type is not like type/subtype");
  }
  if (r.ext == "-") r.ext.clear();
  else if (!IsToken(r.ext, false) || r.ext.size() > 10) return Status::InvalidArgument("file reference: the extension is missing or not lower-case letters and digits");
  if (!extra.empty()) return Status::InvalidArgument("file reference: more than four parts (hash, size, media type, extension)");
  return r;
}

std::string ExtensionOf(const std::string& file_name) {
  const size_t slash = file_name.find_last_of("/\\");
  const std::string base = slash == std::string::npos ? file_name : file_name.substr(slash + 1);
  const size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == base.size()) return "";
  std::string ext = Lower(base.substr(dot + 1));
  return IsToken(ext, false) && ext.size() <= 10 ? ext : "";
}

std::string MediaTypeOfExtension(const std::string& ext) {
  static const std::map<std::string, std::string> known{
      {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"}, {"webp", "image/webp"},
      {"heic", "image/heic"}, {"gif", "image/gif"},  {"pdf", "application/pdf"},
      {"txt", "text/plain"}, {"html", "text/html"}, {"htm", "text/html"},  {"doc", "application/msword"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"odt", "application/vnd.oasis.opendocument.text"}};
  auto it = known.find(ext);
  return it == known.end() ? "application/octet-stream" : it->second;
}

Status CheckFileAgainstRules(const std::string& field, bool is_image, const FileRules& rules,
                             const std::string& media_type, const std::string& ext, int64_t size) {
  if (size > rules.max_bytes) {
    return Status::InvalidArgument("field '" + field + "': the file is " + std::to_string(size) +
                                   " bytes; the form allows at most " + std::to_string(rules.max_bytes));
  }
  bool accepted = rules.accept.empty() && (!is_image || media_type.rfind("image/", 0) == 0);
  for (const std::string& a : rules.accept) {
    if (!a.empty() && a[0] == '.') accepted = accepted || a.substr(1) == ext;
    else if (a.size() > 2 && a.compare(a.size() - 2, 2, "/*") == 0) accepted = accepted || media_type.rfind(a.substr(0, a.size() - 1), 0) == 0;
    else accepted = accepted || a == media_type;
  }
  if (!accepted) {
    std::string list;
    for (const std::string& a : rules.accept) list += (list.empty() ? "" : ", ") + a;
    if (list.empty()) list = "image/*";
    return Status::InvalidArgument("field '" + field + "': a file of type " + media_type + " (." +
                                   (ext.empty() ? std::string("no extension") : ext) + ") is not accepted; the form takes " + list);
  }
  return Status::OK();
}

std::optional<std::string> SniffImageType(const std::string& head) {
  auto starts = [&](const char* sig, size_t n, size_t at = 0) {
    return head.size() >= at + n && head.compare(at, n, sig, n) == 0;
  };
  if (starts("\xFF\xD8\xFF", 3)) return std::string("image/jpeg");
  if (starts("\x89PNG\r\n\x1A\n", 8)) return std::string("image/png");
  if (starts("RIFF", 4) && starts("WEBP", 4, 8)) return std::string("image/webp");
  return std::nullopt;
}

}  // namespace sotay
