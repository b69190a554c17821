// Writes the seeds of fuzz/corpus/ that are binary encodings: edits, groups and
// record states (cbor), sync requests and answers (wire), and signed sync bodies
// (http_sync, a flags byte then the body), from values like the tests' own, and
// small real images (image_reduce). Run by
// hand after a change of encoding:
//   build-fuzz/fuzz/sotay_fuzz_make_seeds fuzz/corpus
#include <filesystem>
#include <fstream>
#include <iostream>

#include "server_fixture.h"
#include "support/test_images.h"
#include "sotay/codec.h"
#include "sotay/merge.h"
#include "sotay/wire.h"

using namespace sotay;

namespace {

std::filesystem::path root;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  std::filesystem::create_directories(root / target);
  std::ofstream(root / target / name, std::ios::binary) << bytes;
}

Edit MakeEdit(const std::string& device, uint64_t counter, const std::string& record, const std::string& field,
              const std::string& value, std::vector<Dot> base = {}) {
  return Edit{Dot{device, counter}, record, field, value,
              Hlc{fuzz::kStartMs + static_cast<int64_t>(counter), static_cast<uint32_t>(counter % 3), device},
              std::move(base), "w-a"};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sotay_fuzz_make_seeds CORPUS_DIR\n";
    return 2;
  }
  root = argv[1];
  const std::string rec = "00000000-0000-4000-8000-000000000003";
  const std::string old = "00000000-0000-4000-8000-000000000001";  // made by ServerFixture::AddRecords
  std::vector<Edit> created;
  uint64_t n = 0;
  for (const auto& [f, v] : std::vector<std::pair<std::string, std::string>>{
           {"_status", "active"}, {"_form", "case_test"}, {"_version", "1"}, {"_area", "01234"},
           {"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"}, {"age", "12"}, {"notes", "đã thăm"}}) {
    created.push_back(MakeEdit(fuzz::kDeviceA, 100 + ++n, rec, f, v));
  }
  const Edit later = MakeEdit(fuzz::kDeviceA, 200, old, "age", "12", {Dot{fuzz::kDeviceA, 7}, Dot{fuzz::kDeviceB, 1}});
  const Edit voided = MakeEdit(fuzz::kDeviceA, 201, rec, "_status", "void", {Dot{fuzz::kDeviceA, 101}});

  // cbor: a group of one edit, a group, a record state with a conflict and an append field.
  Write("cbor", "edit", EncodeEditGroup(std::vector<Edit>{later}));
  Write("cbor", "group", EncodeEditGroup(created));
  RecordState state;
  for (const Edit& e : created) state.Apply(e, e.field == "notes" ? MergePolicy::kAppend : MergePolicy::kRegister);
  state.Apply(MakeEdit(fuzz::kDeviceB, 1, rec, "age", "13", {Dot{fuzz::kDeviceA, 107}}));
  state.Apply(MakeEdit(fuzz::kDeviceA, 120, rec, "age", "14", {Dot{fuzz::kDeviceA, 107}}));
  state.Apply(MakeEdit(fuzz::kDeviceB, 2, rec, "notes", "lần hai", {}), MergePolicy::kAppend);
  Write("cbor", "state", EncodeRecordState(state));

  // wire: requests and answers of each shape.
  SyncRequest pull;
  pull.cursor = 3;
  pull.forms = {"case_test@1"};
  SyncRequest push = pull;
  push.push = created;
  push.push.push_back(later);
  SyncRequest sets = pull;
  sets.reads_sets = true;
  sets.push = {voided};
  SyncResponse answer;
  answer.accepted = {created[0].dot, later.dot};
  answer.rejected = {Rejection{voided.dot, "không được phép"}};
  answer.pull = {later};
  answer.pull_sets = {EncodeEditGroup(created)};
  answer.cursor = 9;
  answer.more = true;
  answer.forms = {"{\"form\": \"x\"}"};
  answer.server_time_ms = fuzz::kStartMs;
  Write("wire", "request-pull", EncodeSyncRequest(pull));
  Write("wire", "request-push", EncodeSyncRequest(push));
  Write("wire", "request-sets", EncodeSyncRequest(sets));
  Write("wire", "response", EncodeSyncResponse(answer));
  // Layout 2 ("E"): a push from a device that knows the server reads it, and an
  // answer to a device that reads it (the edits of two devices, one with a base).
  SyncRequest compact = push;
  compact.reads_layout = kWireLayout;
  compact.push_layout = kWireLayout;
  compact.push.push_back(MakeEdit(fuzz::kDeviceB, 7, rec, "age", "15", {Dot{fuzz::kDeviceA, 120}}));
  SyncResponse compact_answer = answer;
  compact_answer.pull_sets.clear();
  compact_answer.pull = compact.push;
  compact_answer.pull_layout = kWireLayout;
  compact_answer.reads_layout = kWireLayout;
  Write("wire", "request-layout2", EncodeSyncRequest(compact));
  Write("wire", "response-layout2", EncodeSyncResponse(compact_answer));

  // http_sync: flags 0 (device A, fresh time, new nonce), then the body.
  Write("http_sync", "pull", std::string(1, '\0') + EncodeSyncRequest(pull));
  Write("http_sync", "push-new-record", std::string(1, '\0') + EncodeSyncRequest(push));
  Write("http_sync", "push-void-sets", std::string(1, '\0') + EncodeSyncRequest(sets));
  SyncRequest from_b = pull;
  from_b.push = {MakeEdit(fuzz::kDeviceB, 50, old, "notes", "ghi chú", {})};
  Write("http_sync", "push-device-b", std::string(1, '\1') + EncodeSyncRequest(from_b));
  Write("http_sync", "stale", std::string(1, '\2') + EncodeSyncRequest(pull));
  Write("http_sync", "push-layout2", std::string(1, '\0') + EncodeSyncRequest(compact));

  // image_reduce: a small phone JPEG with EXIF (orientation 6, GPS), one over the
  // target's 48 px, and a PNG with transparency.
  Write("image_reduce", "jpeg-exif-6", testing::WithExif(testing::MakeJpeg(24, 12), 6));
  Write("image_reduce", "jpeg-64x40", testing::MakeJpeg(64, 40, testing::Scene, 60));
  Write("image_reduce", "png-alpha", testing::MakePng(20, 12, 4, [](int x, int) { return static_cast<uint8_t>(x * 12); }));
  return 0;
}
