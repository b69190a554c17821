// `sotay ui`: the files on a record (issue 20): each image or file question of the
// record's form with the file it holds now, a download, and an upload that attaches
// a new one (Notebook::AttachBytes, the edit `sotay attach` makes, the photo reduced
// the same way). Another device's file
// is fetched from the server only here, when the worker asks for it, as `sotay
// attachment get` does: a sync never pulls photos over 2G.
//
// A download is always `Content-Disposition: attachment` as application/octet-stream
// with nosniff: a file named .jpg that holds HTML is saved, never shown by this page's
// origin, which can drive the notebook.
#include <cstdio>

#include "sotay/attachment.h"
#include "sotay/env.h"
#include "sotay/lang.h"
#include "sotay/os.h"
#include "sotay/presentation.h"
#include "ui_app.h"
#include "ui_html.h"

namespace sotay::shell::ui {

namespace {

void Error(httplib::Response& res, const std::string& lang, const Status& s, int status) {
  res.status = status;
  res.set_content(Page(lang, Pick(lang, "Không thực hiện được", "Could not do it"),
                       "<p class=\"issue\" role=\"alert\">" + Esc(s.message()) + "</p>", true, "/"),
                  "text/html; charset=utf-8");
}

int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kNotFound: return 404;
    case Status::Code::kInvalidArgument: return 422;
    case Status::Code::kFailedPrecondition: return 409;
    case Status::Code::kIOError: return 502;
    default: return 500;
  }
}

std::string AcceptOf(const Field& f) {
  std::string out;
  for (const std::string& a : f.file.accept) out += (out.empty() ? "" : ",") + a;
  if (out.empty() && f.type == FieldType::kImage) out = "image/*";
  return out;
}

std::string Size(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

// The record and its form, or the page's error.
struct Opened {
  RecordView view;
  const Form* form = nullptr;
};
Result<Opened> Open(Notebook& nb, const std::string& id_text) {
  auto id = nb.ResolveId(id_text);
  if (!id.ok()) return id.status();
  auto v = nb.Get(*id);
  if (!v.ok()) return v.status();
  auto form = nb.FindForm(v->form, v->version);
  if (!form.ok()) return form.status();
  return Opened{std::move(*v), *form};
}

bool IsFileField(const Field& f) { return f.type == FieldType::kImage || f.type == FieldType::kFile; }

std::string FilesPage(Notebook& nb, const Opened& o, const std::string& lang, const std::string& issue_field,
                      const std::string& issue) {
  const std::string base = "/record/" + o.view.id + "/files";
  std::string body = "<p><a href=\"/record/" + Esc(o.view.id) + "\">← " + Esc(ShortId(o.view.id)) + "</a></p>";
  bool any = false;
  for (const Field& f : o.form->fields) {
    if (!IsFileField(f)) continue;
    any = true;
    body += "<section class=\"group\" data-field=\"" + Esc(f.name) + "\"><h2>" + Esc(f.label.Get(lang)) + "</h2>";
    auto ref = nb.AttachmentOf(o.view.id, f.name);
    if (ref.ok()) {
      auto kept = nb.attachments().Find(ref->sha256_hex);
      const bool here = kept.ok() && kept->whole();
      body += "<p class=\"file\">" + Esc(ref->media_type) + " · " + Esc(Size(ref->size)) + " · " +
              (here ? Pick(lang, "có trên máy này", "on this device")
                    : Pick(lang, "trên máy chủ: tải về khi mở", "on the server: fetched when opened")) +
              "</p><p><a class=\"button\" href=\"" + Esc(base + "/" + f.name) + "\">" +
              Pick(lang, "Tải tệp về", "Download the file") + "</a></p>";
    } else {
      body += "<p class=\"hint\">" + std::string(Pick(lang, "Chưa có tệp.", "No file yet.")) + "</p>";
    }
    if (!o.view.is_void()) {
      body += "<form method=\"post\" enctype=\"multipart/form-data\" action=\"" + Esc(base + "/" + f.name) +
              "\"><label class=\"q\">" + std::string(ref.ok() ? Pick(lang, "Thay bằng tệp khác", "Replace with another file")
                                                               : Pick(lang, "Đính kèm tệp", "Attach a file")) +
              " <input type=\"file\" name=\"f\" required accept=\"" + Esc(AcceptOf(f)) + "\"></label>";
      if (f.name == issue_field) body += "<p class=\"issue\" role=\"alert\">" + Esc(issue) + "</p>";
      body += "<div class=\"actions\"><button>" + std::string(Pick(lang, "Lưu tệp", "Save the file")) +
              "</button></div></form>";
    }
    body += "</section>";
  }
  if (!any) body += "<p>" + std::string(Pick(lang, "Mẫu này không có câu hỏi tệp.", "This form has no file questions.")) + "</p>";
  return Page(lang, Pick(lang, "Tệp của hồ sơ", "The record's files"), body, true, base);
}

void Files(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  auto o = Open(nb, req.matches[1]);
  if (!o.ok()) return Error(res, lang, o.status(), HttpStatusOf(o.status()));
  res.set_content(FilesPage(nb, *o, lang, "", ""), "text/html; charset=utf-8");
}

const Field* FileFieldOf(const Opened& o, const std::string& name) {
  const Field* f = o.form->FindField(name);
  return f != nullptr && IsFileField(*f) ? f : nullptr;
}

// The upload is attached from memory (Notebook::AttachBytes), its name's extension
// checked against the field.
void Upload(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  auto o = Open(nb, req.matches[1]);
  if (!o.ok()) return Error(res, lang, o.status(), HttpStatusOf(o.status()));
  const std::string field = req.matches[2];
  const Field* f = FileFieldOf(*o, field);
  if (f == nullptr) {
    return Error(res, lang, Status::NotFound("record " + o->view.id + ": no file question '" + field + "'"), 404);
  }
  auto refuse = [&](const std::string& why) {
    res.status = 422;
    res.set_content(FilesPage(nb, *o, lang, field, why), "text/html; charset=utf-8");
  };
  if (!req.is_multipart_form_data() || !req.has_file("f")) {
    return refuse(Pick(lang, "Chưa chọn tệp.", "No file was chosen."));
  }
  const httplib::MultipartFormData upload = req.get_file_value("f");
  if (upload.content.empty()) return refuse(Pick(lang, "Tệp trống.", "The file is empty."));
  // Sealed from memory: a photo is reduced and stripped of its GPS there, and no
  // clear copy of it is ever written beside the notebook.
  Result<SaveOutcome> saved = nb.AttachBytes(o->view.id, field, upload.content, upload.filename, lang);
  if (!saved.ok()) return refuse(saved.status().message());
  if (!saved->ok()) return refuse(saved->issues.empty() ? "" : saved->issues.front().message);
  SeeOther(res, "/record/" + o->view.id + "/files");
}

void Download(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  auto o = Open(nb, req.matches[1]);
  if (!o.ok()) return Error(res, lang, o.status(), HttpStatusOf(o.status()));
  const std::string field = req.matches[2];
  if (FileFieldOf(*o, field) == nullptr) {
    return Error(res, lang, Status::NotFound("record " + o->view.id + ": no file question '" + field + "'"), 404);
  }
  auto ref = nb.AttachmentOf(o->view.id, field);
  if (!ref.ok()) return Error(res, lang, ref.status(), HttpStatusOf(ref.status()));
  auto kept = nb.attachments().Find(ref->sha256_hex);
  if (!kept.ok() && kept.status().code() != Status::Code::kNotFound) {
    return Error(res, lang, kept.status(), HttpStatusOf(kept.status()));
  }
  if (!kept.ok() || !kept->whole()) {
    Status fetched = FetchFileFromServer(nb, *ref);
    if (!fetched.ok()) return Error(res, lang, fetched, HttpStatusOf(fetched));
  }
  // At most the field's limit (25 MiB by default): whole, so the notebook's lock is
  // not needed once this handler returns.
  std::string bytes;
  bytes.reserve(static_cast<size_t>(ref->size));
  for (int64_t n = 0; n < ref->Chunks(); ++n) {
    auto chunk = nb.attachments().Chunk(ref->sha256_hex, n);
    if (!chunk.ok()) return Error(res, lang, chunk.status(), HttpStatusOf(chunk.status()));
    bytes += *chunk;
  }
  res.set_header("Content-Disposition", "attachment; filename=\"" + ShortId(o->view.id) + "-" + field +
                                            (ref->ext.empty() ? "" : "." + ref->ext) + "\"");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(std::move(bytes), "application/octet-stream");
}

}  // namespace

void AddFilePages(httplib::Server& svr, App& app) {
  svr.Get(R"(/record/([0-9a-f-]+)/files)", Unlocked(app, Files));
  svr.Get(R"(/record/([0-9a-f-]+)/files/([A-Za-z0-9_]+))", Unlocked(app, Download));
  svr.Post(R"(/record/([0-9a-f-]+)/files/([A-Za-z0-9_]+))", Unlocked(app, Upload));
}

}  // namespace sotay::shell::ui
