// A form's export with its files, as a streamed zip (web/export_files.h).
#include "web/export_files.h"

#include <memory>
#include <mutex>

#include "store/attachment_files.h"
#include "store/attachment_rows.h"
#include "web/zip_stream.h"

namespace sotay::server::web {

Result<std::vector<ExportedFile>> WholeFilesOf(AppContext& app, const std::vector<ExportedFile>& named) {
  std::vector<ExportedFile> out;
  for (const ExportedFile& f : named) {
    auto row = FindAttachment(app.store->db(), f.ref.sha256_hex);
    if (!row.ok()) return row.status();
    if (*row && (*row)->complete && !(*row)->purged_ms && (*row)->size == f.ref.size) out.push_back(f);
  }
  return out;
}

HttpResponse ZipWithFiles(AppContext& app, const std::string& table_name, std::string table,
                          std::vector<ExportedFile> files, int64_t now_ms) {
  HttpResponse res;
  res.content_type = "application/zip";
  auto data = std::make_shared<std::pair<std::string, std::vector<ExportedFile>>>(std::move(table), std::move(files));
  res.stream = [&app, data, table_name, now_ms](const std::function<bool(std::string_view)>& write) {
    ZipStream zip(write, ZipStream::DosTime(now_ms));
    Status s = zip.Begin(table_name);
    if (s.ok()) s = zip.Write(data->first);
    if (s.ok()) s = zip.End();
    for (const ExportedFile& f : data->second) {
      if (!s.ok()) break;
      s = zip.Begin("files/" + f.record + "/" + f.field + "." + (f.ref.ext.empty() ? "bin" : f.ref.ext));
      for (int64_t n = 0; n < f.ref.Chunks() && s.ok(); ++n) {
        Result<std::string> chunk = Status::Corrupt("unset");
        {
          std::lock_guard<std::mutex> lock(app.mu);  // as every reader of the store and its files
          auto opened = app.Files();
          chunk = opened.ok() ? (*opened)->ReadChunk(f.ref.sha256_hex, n, f.ref.size) : Result<std::string>(opened.status());
        }
        s = chunk.ok() ? zip.Write(*chunk) : chunk.status();
      }
      if (s.ok()) s = zip.End();
    }
    if (s.ok()) s = zip.Finish();
    // Broken off midway, the archive lacks its directory: an unzip says it is damaged.
    return s.ok();
  };
  return res;
}

}  // namespace sotay::server::web
