// The C API's files on records (sotay_c.h, sotay_attach): a phone app attaches a
// photo as `sotay attach` does, through Notebook::Attach, reduced and stripped of its
// GPS there (sotay/image_reduce.h).
#include <nlohmann/json.hpp>

#include "c_api_support.h"
#include "sotay/image_reduce.h"

using nlohmann::json;
using sotay::capi::Copy;
using sotay::capi::Guard;
using sotay::capi::Report;

namespace {

const char* ActionName(sotay::ReducedImage::Action a) {
  switch (a) {
    case sotay::ReducedImage::Action::kStripped: return "stripped";
    case sotay::ReducedImage::Action::kReencoded: return "reencoded";
    default: return "kept";
  }
}

}  // namespace

extern "C" {

int sotay_attach(sotay_notebook* nb, const char* record_id, const char* field, const char* path, const char* lang,
                 char** result_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    if (nb == nullptr || record_id == nullptr || field == nullptr || path == nullptr || result_json == nullptr) {
      return Report(err, sotay::Status::InvalidArgument("sotay_attach: the notebook, record, field, path and result are required"));
    }
    const std::string language = lang != nullptr ? lang : "vi";
    sotay::AttachReport report;
    auto saved = nb->nb->Attach(record_id, field, path, language, &report);
    if (!saved.ok()) return Report(err, saved.status());
    json issues = json::array();
    for (const auto& i : saved->issues) issues.push_back({{"field", i.field}, {"message", i.message}});
    json out = {{"id", saved->ok() ? saved->id : ""}, {"issues", issues}, {"edits", saved->edits}};
    if (saved->ok()) {
      auto ref = nb->nb->AttachmentOf(record_id, field);
      if (!ref.ok()) return Report(err, ref.status());
      const sotay::ReducedImage& r = report.image;
      out["file"] = {{"sha256", ref->sha256_hex}, {"size", ref->size}, {"media_type", ref->media_type}, {"ext", ref->ext}};
      out["image"] = {{"action", ActionName(r.action)},     {"width", r.width},
                      {"height", r.height},                 {"out_width", r.out_width},
                      {"out_height", r.out_height},         {"bytes_before", report.bytes_before},
                      {"removed_metadata", r.removed_metadata}, {"removed_location", r.removed_location}};
      out["message"] = sotay::ReductionText(r, report.bytes_before, report.bytes_after, language);
    }
    *result_json = Copy(out.dump());
    return 0;
  });
}

}  // extern "C"
