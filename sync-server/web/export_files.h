// The export of a form with its files (issue 20): a zip holding the export's CSV or
// XLSX and a folder `files/<record id>/<field>.<ext>` of every file a current answer
// of the exported records names, whole on the server and not purged. Streamed
// (web/zip_stream.h, HttpResponse::stream): one 64 KiB chunk of one file in memory at
// a time, each read under the store's mutex, never the whole archive.
//
// Thread-safety: FilesOf REQUIRES the store mutex held; the answer's stream takes
// it itself, per chunk.
#pragma once

#include <string>
#include <vector>

#include "app_context.h"
#include "sotay/attachment.h"

namespace sotay::server::web {

struct ExportedFile {
  std::string record, field;
  AttachmentRef ref;
};

// Of the files `answers` name (record id, field, answer), those whole on the server.
Result<std::vector<ExportedFile>> WholeFilesOf(AppContext& app, const std::vector<ExportedFile>& named);

// The zip answer: `table_name` with `table` first, then the files.
HttpResponse ZipWithFiles(AppContext& app, const std::string& table_name, std::string table,
                          std::vector<ExportedFile> files, int64_t now_ms);

}  // namespace sotay::server::web
