// `sotay attach ID FIELD FILE` and `sotay attachment get ID FIELD OUT`: a file on a
// record (issue 20). The file is sealed into the notebook and the record's field
// gets its reference; the upload is `sotay sync`'s.
#include <iostream>

#include "record_output.h"
#include "shell.h"

namespace sotay::shell {

int CmdAttach(Context& ctx) {
  if (ctx.args.size() != 3) {
    std::cerr << Tr(ctx, "Cách dùng: sotay attach MÃ TRƯỜNG TỆP", "Usage: sotay attach ID FIELD FILE") << "\n";
    return kUsage;
  }
  Opened o = OpenRecord(ctx, "", "");
  if (!o.nb) return o.code;
  auto saved = o.nb->Attach(o.id, ctx.args[1], ctx.args[2], ctx.lang);
  if (!saved.ok()) return Fail(ctx, saved.status());
  if (!saved->ok()) {
    PrintNotSaved(ctx, saved->issues);
    return kInvalid;
  }
  auto ref = o.nb->AttachmentOf(o.id, ctx.args[1]);
  if (!ref.ok()) return Fail(ctx, ref.status());
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
  Status s = o.nb->attachments().WriteOut(ref->sha256_hex, ctx.args[2]);
  if (!s.ok()) return Fail(ctx, s);
  std::cout << Tr(ctx, "Đã ghi ", "Wrote ") << ref->size << " bytes → " << ctx.args[2] << "\n";
  return kOk;
}

}  // namespace sotay::shell
