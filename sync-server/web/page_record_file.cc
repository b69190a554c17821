// GET /records/{id}/files/{field}: a file on a record, downloaded from the dashboard
// (issue 20), and the record page's list of them. Whoever may see the record may
// download its files; every download is in the audit log. A file is never served
// as something a browser would run: always as an attachment, with nosniff, and
// as an image only when its first bytes are a real JPEG, PNG or WebP (an HTML page
// renamed .jpg is application/octet-stream).
#include <algorithm>

#include "sotay/attachment.h"
#include "sotay/presentation.h"
#include "store/attachment_rows.h"
#include "web/html.h"
#include "web/sensitive.h"
#include "web/web.h"

namespace sotay::server::web {

std::string FileLinks(const Viewer& v, const Form* form, const std::string& id, const RecordFacts& s,
                      const std::function<bool(const std::string&)>& shows) {
  if (form == nullptr) return "";
  std::string items;
  for (const Field& f : form->fields) {
    if (f.type != FieldType::kImage && f.type != FieldType::kFile) continue;
    auto it = s.shown.find(f.name);
    if (it == s.shown.end() || it->second.empty() || !shows(f.name)) continue;
    items += "<li>" + Esc(f.label.Get(v.lang)) + ": <a href=\"/records/" + Esc(id) + "/files/" + Esc(f.name) +
             "\" download>" + Esc(AnswerText(*form, f, it->second, v.lang)) + "</a></li>";
  }
  if (items.empty()) return "";
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
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  DashboardStore store(*r.app.store);
  auto got = r.app.web->index.One(store, r.app.forms, id);
  if (!got.ok()) return InternalError(r.note, got.status());
  const std::vector<std::string> communes = VisibleCommunes(r.app.areas, PrincipalOf(v));
  if (*got == nullptr || std::find(communes.begin(), communes.end(), (*got)->ref.area) == communes.end()) return not_found();
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
  Status audited = Audit(r.app, v.user, "file.download", id, field + " " + ref->sha256_hex.substr(0, 12));
  if (!audited.ok()) return InternalError(r.note, audited);
  r.app.metrics.CountAttachmentServed(bytes.size());
  HttpResponse res;
  res.status = 200;
  // Only a real image signature earns an image type; the declared type is the
  // sender's word and never reaches the browser.
  const std::optional<std::string> image = SniffImageType(bytes.substr(0, 16));
  res.content_type = image ? *image : "application/octet-stream";
  const std::string ext = image ? (*image == "image/jpeg" ? "jpg" : image->substr(6)) : "bin";
  res.headers["Content-Disposition"] = "attachment; filename=\"" + field + "-" + ref->sha256_hex.substr(0, 8) + "." + ext + "\"";
  res.headers["X-Content-Type-Options"] = "nosniff";
  res.headers["Cache-Control"] = "private, no-store";
  res.headers["Content-Security-Policy"] = "default-src 'none'; sandbox";
  res.body = std::move(bytes);
  return res;
}

}  // namespace sotay::server::web
