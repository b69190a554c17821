// Notebook: a file on a record (notebook.h, Attach). The bytes go to the
// attachments tables; the record gets an ordinary edit holding the reference. A
// photo is reduced and stripped in memory first (sotay/image_reduce.h), and the
// reference describes the bytes stored.
#include <filesystem>
#include <fstream>

#include "sotay/image_reduce.h"
#include "sotay/notebook.h"
#include "sotay/os.h"
#include "sotay/read_file.h"

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

// The file question `field` of record `id`'s form.
Result<const Field*> FileFieldOf(Notebook& nb, const std::string& id, const std::string& field) {
  auto view = nb.Get(id);
  if (!view.ok()) return view.status();
  auto form = nb.FindForm(view->form, view->version);
  if (!form.ok()) return form.status();
  return FileField(**form, field, id);
}

// Whether ReduceImage reads these first bytes (JPEG, PNG): then the whole file is read.
bool Reducible(const std::string& head) {
  auto type = SniffImageType(head);
  return type && (*type == "image/jpeg" || *type == "image/png");
}

}  // namespace

Result<SaveOutcome> Notebook::Attach(const std::string& id, const std::string& field, const std::string& path,
                                     const std::string& lang, AttachReport* report) {
  auto f = FileFieldOf(*this, id, field);
  if (!f.ok()) return f.status();
  // Size and type before a byte is read: a 200 MB file is refused here.
  std::error_code ec;
  const auto size = static_cast<int64_t>(std::filesystem::file_size(PathFromUtf8(path), ec));
  if (ec) return Status::NotFound("file " + path + ": cannot be read: " + ec.message());
  const std::string ext = ExtensionOf(path);
  const bool is_image = (*f)->type == FieldType::kImage;
  std::string head(16, '\0');
  {
    std::ifstream in(PathFromUtf8(path), std::ios::binary);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
  }
  if (Reducible(head)) {
    // A photo over the field's `max-size` may fit once reduced: only the hard limit
    // stops it before it is read; AttachBytes checks the field against what is kept.
    if (size > kAttachmentHardMaxBytes) {
      return CheckFileAgainstRules(field, is_image, (*f)->file, MediaTypeOfExtension(ext), ext, size).Annotate("file " + path);
    }
    auto bytes = ReadWholeFile(path);
    if (!bytes.ok()) return bytes.status();
    return AttachBytes(id, field, *bytes, path, lang, report);
  }
  Status fits = CheckFileAgainstRules(field, is_image, (*f)->file, MediaTypeOfExtension(ext), ext, size);
  if (!fits.ok()) return fits.Annotate("file " + path);
  auto ref = attachments_.Keep(path, (*f)->file.max_bytes);
  if (!ref.ok()) return ref.status();
  if (report != nullptr) *report = AttachReport{ReducedImage{}, size, size};
  return EditRecord(id, {{field, ref->Format()}}, lang);
}

Result<SaveOutcome> Notebook::AttachBytes(const std::string& id, const std::string& field, const std::string& bytes,
                                          const std::string& file_name, const std::string& lang, AttachReport* report) {
  auto f = FileFieldOf(*this, id, field);
  if (!f.ok()) return f.status();
  const bool is_image = (*f)->type == FieldType::kImage;
  const FileRules& rules = (*f)->file;
  std::string ext = ExtensionOf(file_name);
  // The type the worker chose first (a web page named .html is refused unread),
  // the size once reduced.
  Status typed = CheckFileAgainstRules(field, is_image, rules, MediaTypeOfExtension(ext), ext, 0);
  if (!typed.ok()) return typed.Annotate("file " + file_name);
  auto reduced = ReduceImage(bytes, rules.max_pixels, file_name);
  if (!reduced.ok()) return reduced.status();
  const bool kept_as_is = reduced->action == ReducedImage::Action::kKeptAsIs;
  const std::string& stored = kept_as_is ? bytes : reduced->bytes;
  if (!kept_as_is) ext = reduced->ext;
  Status fits = CheckFileAgainstRules(field, is_image, rules, MediaTypeOfExtension(ext), ext,
                                      static_cast<int64_t>(stored.size()));
  if (!fits.ok()) return fits.Annotate("file " + file_name);
  auto ref = attachments_.KeepBytes(stored, file_name, ext, rules.max_bytes);
  if (!ref.ok()) return ref.status();
  if (report != nullptr) {
    report->bytes_before = static_cast<int64_t>(bytes.size());
    report->bytes_after = ref->size;
    report->image = std::move(*reduced);
    report->image.bytes.clear();
    report->image.bytes.shrink_to_fit();
  }
  return EditRecord(id, {{field, ref->Format()}}, lang);
}

Result<AttachmentRef> Notebook::AttachmentOf(const std::string& id, const std::string& field) {
  // The record's answer is wanted too: opened once, here, rather than by FileFieldOf.
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
