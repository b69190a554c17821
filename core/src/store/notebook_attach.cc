// Notebook: a file on a record (notebook.h, Attach). The bytes go to the
// attachments tables; the record gets an ordinary edit holding the reference.
#include "sotay/notebook.h"
#include "sotay/os.h"

#include <filesystem>

namespace sotay {

namespace {

Result<const Field*> FileField(const Form& form, const std::string& field, const std::string& id) {
  const Field* f = form.FindField(field);
  if (f == nullptr) return Status::NotFound("record " + id + ": form '" + form.id + "' has no field '" + field + "'");
  if (f->type != FieldType::kImage && f->type != FieldType::kFile) {
    return Status::InvalidArgument("record " + id + ": field '" + field + "' is not an image or file question");
  }
  return f;
}

}  // namespace

Result<SaveOutcome> Notebook::Attach(const std::string& id, const std::string& field, const std::string& path,
                                     const std::string& lang) {
  auto view = Get(id);
  if (!view.ok()) return view.status();
  auto form = FindForm(view->form, view->version);
  if (!form.ok()) return form.status();
  auto f = FileField(**form, field, id);
  if (!f.ok()) return f.status();
  // Size and type before a byte is read: a 200 MB file is refused here.
  std::error_code ec;
  const auto size = std::filesystem::file_size(PathFromUtf8(path), ec);
  if (ec) return Status::NotFound("file " + path + ": cannot be read: " + ec.message());
  const std::string ext = ExtensionOf(path);
  Status fits = CheckFileAgainstRules(field, (*f)->type == FieldType::kImage, (*f)->file, MediaTypeOfExtension(ext),
                                      ext, static_cast<int64_t>(size));
  if (!fits.ok()) return fits.Annotate("file " + path);
  auto ref = attachments_.Keep(path, (*f)->file.max_bytes);
  if (!ref.ok()) return ref.status();
  return EditRecord(id, {{field, ref->Format()}}, lang);
}

Result<AttachmentRef> Notebook::AttachmentOf(const std::string& id, const std::string& field) {
  auto view = Get(id);
  if (!view.ok()) return view.status();
  auto form = FindForm(view->form, view->version);
  if (!form.ok()) return form.status();
  auto f = FileField(**form, field, id);
  if (!f.ok()) return f.status();
  auto it = view->shown.find(field);
  if (it == view->shown.end() || it->second.empty()) {
    return Status::NotFound("record " + id + ": field '" + field + "' has no file");
  }
  auto ref = ParseAttachmentRef(it->second);
  if (!ref.ok()) return ref.status().Annotate("record " + id + " field '" + field + "'");
  return ref;
}

}  // namespace sotay
