// `sotay attach ID FIELD FILE` and `sotay attachment get ID FIELD OUT`: a file on a
// record (issue 20). The file is sealed into the notebook and the record's field
// gets its reference; the upload is `sotay sync`'s. Another device's file is fetched
// from the server here, when asked, and never by the sync (sotay/attachment_fetch.h).
#include <iostream>

#include "httplib_transport.h"
#include "record_output.h"
#include "shell.h"
#include "sotay/attachment_fetch.h"
#include "sotay/image_reduce.h"

namespace sotay::shell {

namespace {


Status FetchFromServer(Context& ctx, Notebook& nb, const AttachmentRef& ref) {
  std::cout << Tr(ctx, "Đang tải tệp từ máy chủ (", "Fetching the file from the server (") << ref.size
            << " bytes)...\n";
  int64_t chunks = 0;
  Status s = FetchFileFromServer(nb, ref, &chunks);
  if (!s.ok() && chunks > 0) {
    std::cerr << "sotay: " << chunks
              << Tr(ctx, " phần đã tải được giữ lại; chạy lại lệnh để tải tiếp.\n",
                    " chunks fetched are kept; run the command again to go on.\n");
  }
  return s;
}

}  // namespace

int CmdAttach(Context& ctx) {
  if (ctx.args.size() != 3) {
    std::cerr << Tr(ctx, "Cách dùng: sotay attach MÃ TRƯỜNG TỆP", "Usage: sotay attach ID FIELD FILE") << "\n";
    return kUsage;
  }
  Opened o = OpenRecord(ctx, "", "");
  if (!o.nb) return o.code;
  AttachReport report;
  auto saved = o.nb->Attach(o.id, ctx.args[1], ctx.args[2], ctx.lang, &report);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    PrintNotSaved(ctx, saved->issues);
    return kInvalid;
  }
  auto ref = o.nb->AttachmentOf(o.id, ctx.args[1]);
  if (!ref.ok()) return Fail(ctx, ref.status());
  // What was done to a photo (reduced, turned upright, GPS removed): sizes only.
  const std::string reduced = ReductionText(report.image, report.bytes_before, report.bytes_after, ctx.lang);
  if (!reduced.empty()) std::cout << reduced << "\n";
  std::cout << Tr(ctx, "Đã đính kèm ", "Attached ") << ref->size << " bytes (" << ref->media_type << ") "
            << Tr(ctx, "vào ", "to ") << ShortId(o.id) << " " << ctx.args[1] << "; "
            << Tr(ctx, "gửi lên máy chủ khi đồng bộ.", "sent to the server at the next sync.") << "\n";
  return kOk;
}

int CmdAttachment(Context& ctx) {
  if (ctx.args.size() != 4 || ctx.args[0] != "get") {
    std::cerr << Tr(ctx, "Cách dùng: sotay attachment get MÃ TRƯỜNG TỆP_RA", "Usage: sotay attachment get ID FIELD OUT_FILE")
              << "\n";
    return kUsage;
  }
  ctx.args.erase(ctx.args.begin());
  Opened o = OpenRecord(ctx, "", "");
  if (!o.nb) return o.code;
  auto ref = o.nb->AttachmentOf(o.id, ctx.args[1]);
  if (!ref.ok()) return Fail(ctx, ref.status());
  auto kept = o.nb->attachments().Find(ref->sha256_hex);
  if (!kept.ok() && kept.status().code() != Status::Code::kNotFound) return Fail(ctx, kept.status());
  if (!kept.ok() || !kept->whole()) {
    Status fetched = FetchFromServer(ctx, *o.nb, *ref);
    if (!fetched.ok()) return Fail(ctx, fetched);
  }
  Status s = o.nb->attachments().WriteOut(ref->sha256_hex, ctx.args[2]);
  if (!s.ok()) return Fail(ctx, s);
  std::cout << Tr(ctx, "Đã ghi ", "Wrote ") << ref->size << " bytes → " << ctx.args[2] << "\n";
  return kOk;
}

}  // namespace sotay::shell
