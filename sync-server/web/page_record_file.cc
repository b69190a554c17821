// GET /records/{id}/files/{field}: a file on a record, downloaded from the dashboard
// (issue 20), and the record page's list of them. Whoever may see the record may
// download its files; every download is in the audit log. A file is never served
// as something a browser would run: as an attachment, with nosniff, and as an image
// only when its first bytes are a real JPEG, PNG or WebP (an HTML page renamed .jpg
// is application/octet-stream). Such an image is also shown on the record page
// (`?view=inline`: Content-Disposition inline, same-origin only, audited as a view),
// at a size the stylesheet bounds; anything else is only a download.
#include <algorithm>

#include "sotay/attachment.h"
#include "sotay/presentation.h"
#include "store/attachment_rows.h"
#include "http/json_log.h"
#include "web/html.h"
#include "web/sensitive.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

// The media type of a whole file's first bytes when they are a real JPEG, PNG or
// WebP: only such a file is shown inline. The server reads the signature and never
// decodes the image (docs/forms-files.md, "On the dashboard").
Result<std::optional<std::string>> VerifiedImage(AppContext& app, const AttachmentRef& ref) {
  auto files = app.Files();
  if (!files.ok()) return files.status();
  auto head = (*files)->ReadChunk(ref.sha256_hex, 0, ref.size);
  if (!head.ok()) return head.status();
  return SniffImageType(head->substr(0, 16));
}

}  // namespace

Result<std::string> FileLinks(WebRequest& r, const Form* form, const std::string& id, const RecordFacts& s,
                              const std::function<bool(const std::string&)>& shows) {
  if (form == nullptr) return std::string();
  const Viewer& v = r.viewer;
  std::string items;
  for (const Field& f : form->fields) {
    if (f.type != FieldType::kImage && f.type != FieldType::kFile) continue;
    auto it = s.shown.find(f.name);
    if (it == s.shown.end() || it->second.empty() || !shows(f.name)) continue;
    const std::string url = "/records/" + Esc(id) + "/files/" + Esc(f.name);
    const std::string label = Esc(f.label.Get(v.lang));
    auto ref = ParseAttachmentRef(it->second);
    auto row = ref.ok() ? FindAttachment(r.app.store->db(), ref->sha256_hex) : Result<std::optional<AttachmentRow>>(std::optional<AttachmentRow>());
    if (!row.ok()) return row.status();
    if (*row && (*row)->purged_ms) {
      items += "<li>" + label + ": " + v.T("tệp đã bị xoá khỏi máy chủ ngày ", "file purged from the server on ") +
               FormatUtcMs(*(*row)->purged_ms).substr(0, 10) + "</li>";
      continue;
    }
    std::string image;
    if (*row && (*row)->complete && f.type == FieldType::kImage) {
      auto verified = VerifiedImage(r.app, *ref);
      // A file whose bytes cannot be read (missing, damaged) is shown as its link
      // alone: the download says why, and the rest of the record stays readable.
      if (!verified.ok()) verified = std::optional<std::string>();
      // Bounded by the stylesheet (.files img): no inline style under the page's CSP.
      if (*verified) image = "<br><img src=\"" + url + "?view=inline\" alt=\"" + label + "\" loading=\"lazy\">";
    }
    items += "<li>" + label + ": <a href=\"" + url + "\" download>" + Esc(AnswerText(*form, f, it->second, v.lang)) +
             "</a>" + image + "</li>";
  }
  if (items.empty()) return std::string();
  return std::string("<h2>") + v.T("Tệp đính kèm", "Files") + "</h2><ul class=\"files\" id=\"files\">" + items + "</ul>";
}

HttpResponse RecordFile(WebRequest& r, const std::string& id, const std::string& field) {
  const Viewer& v = r.viewer;
  const auto not_found = [&] {
    r.note.error = "not_found";
    return ErrorPage(v, 404, v.T("Không có tệp này trong các hồ sơ bạn được xem.", "No such file in the records you may see."));
  };
  if (v.role == Role::kAdmin) return not_found();
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto got = VisibleRecord(r, id);
  if (!got.ok()) return InternalError(r.note, got.status());
  if (!*got) return not_found();
  const Form* form = r.app.forms.Find((*got)->ref.form, (*got)->ref.version);
  const Field* f = form != nullptr ? form->FindField(field) : nullptr;
  if (f == nullptr || (f->type != FieldType::kImage && f->type != FieldType::kFile) ||
      !ShowsField(v, r.app.forms, (*got)->ref.form, field)) {
    return not_found();
  }
  auto value = (*got)->summary.shown.find(field);
  if (value == (*got)->summary.shown.end()) return not_found();
  auto ref = ParseAttachmentRef(value->second);
  if (!ref.ok()) return not_found();
  auto row = FindAttachment(r.app.store->db(), ref->sha256_hex);
  if (!row.ok()) return InternalError(r.note, row.status());
  if (*row && (*row)->purged_ms) {
    r.note.error = "purged";
    return ErrorPage(v, 410, v.T("Tệp đã bị xoá khỏi máy chủ ngày ", "The file was purged from the server on ") +
                                 FormatUtcMs(*(*row)->purged_ms).substr(0, 10) + ".");
  }
  if (!*row || !(*row)->complete) {
    r.note.error = "not_yet";
    return ErrorPage(v, 404, v.T("Tệp chưa được gửi lên máy chủ; thử lại sau khi thiết bị đồng bộ.",
                                 "The file has not reached the server yet; try again after the device syncs."));
  }
  auto files = r.app.Files();
  if (!files.ok()) return InternalError(r.note, files.status());
  std::string bytes;
  for (int64_t n = 0; n < ref->Chunks(); ++n) {
    auto chunk = (*files)->ReadChunk(ref->sha256_hex, n, (*row)->size);
    if (!chunk.ok()) return InternalError(r.note, chunk.status());
    bytes += *chunk;
  }
  const auto view = r.http.query.find("view");
  const bool inline_view = view != r.http.query.end() && view->second == "inline";
  // Only a real image signature earns an image type; the declared type is the
  // sender's word and never reaches the browser.
  const std::optional<std::string> image = SniffImageType(bytes.substr(0, 16));
  if (inline_view && !image) return not_found();  // only a real image is ever shown
  Status audited = Audit(r.app, v.user, inline_view ? "file.view" : "file.download", id,
                         field + " " + ref->sha256_hex.substr(0, 12));
  if (!audited.ok()) return InternalError(r.note, audited);
  r.app.metrics.CountAttachmentServed(bytes.size());
  HttpResponse res;
  res.status = 200;
  res.content_type = image ? *image : "application/octet-stream";
  const std::string ext = image ? (*image == "image/jpeg" ? "jpg" : image->substr(6)) : "bin";
  res.headers["Content-Disposition"] = std::string(inline_view ? "inline" : "attachment") + "; filename=\"" + field +
                                       "-" + ref->sha256_hex.substr(0, 8) + "." + ext + "\"";
  res.headers["Cross-Origin-Resource-Policy"] = "same-origin";  // shown only by this dashboard's pages
  res.headers["X-Content-Type-Options"] = "nosniff";
  res.headers["Cache-Control"] = "private, no-store";
  res.headers["Content-Security-Policy"] = "default-src 'none'; sandbox";
  res.body = std::move(bytes);
  return res;
}

}  // namespace sotay::server::web
