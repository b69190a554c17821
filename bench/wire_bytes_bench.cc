// wire_bytes_bench: where the bytes of a sync go, and what each codec saves.
//
//   wire_bytes_bench [N]                 (N children, default 2000)
//   wire_bytes_bench --train OUT.zdict   (makes the shipped dictionary; see below)
//
// Saves N realistic children (the pack's child_profile, about 20 answers and notes of
// a few Vietnamese sentences) through a real Notebook, then encodes its outbox as the
// device pushes it (requests of 2,000 edits, and one child alone) and as the server
// pulls it to a fresh device (pages of 5,000 edits, as change sets). Prints, per
// child, the bytes up and down raw, gzip level 1, zstd 1/3/19 without a dictionary
// and zstd 3 with the shipped dictionary, in the newest edit layout and (row
// full_layout1) in layout 1; where the bytes go (the same bodies with the notes, the
// other answers, the record ids, the clock stamps or the dot counters taken out); and the CPU
// time to pack and unpack 2,000 children each way. The last line is JSON.
//
// --train writes the dictionary schemas/sync-dictionary.zdict is made from
// (scripts/train-sync-dictionary.sh). It is trained on the PACK ONLY: records of every
// form with answers drawn from each field's choices and generic values, with seeded
// ids, and no notes, so it knows the vocabulary and the structure every device
// sends but none of the benchmark's children. Same pack, same dictionary.
#include <sys/resource.h>
#include <unistd.h>
#define ZDICT_STATIC_LINKING_ONLY  // the fastCover trainer's parameters, to make it single-threaded
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sotay/gzip.h"
#include "sotay/notebook.h"
#include "sotay/read_file.h"
#include "sotay/wire.h"
#include "sotay/zstd.h"

using namespace sotay;
namespace fs = std::filesystem;

namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// A number below `m` from `rng`.
unsigned Below(std::mt19937& rng, unsigned m) { return static_cast<unsigned>(rng() % m); }

// Notes as a worker writes them: two to four sentences, Vietnamese with diacritics.
std::string Notes(std::mt19937& rng) {
  static const char* says[] = {
      "Gia đình có ba con, bố đi làm ăn xa ở Bình Dương.", "Trẻ ở với bà ngoại đã già, sức khỏe yếu.",
      "Mẹ bị bệnh, không có việc làm ổn định.", "Cháu đi học đều nhưng hay bỏ bữa trưa.",
      "Nhà ở xa trường khoảng sáu cây số, đường đèo dốc.", "Đã hướng dẫn gia đình làm thẻ bảo hiểm y tế.",
      "Cán bộ đến thăm lần hai, gia đình hợp tác tốt.", "Cháu có dấu hiệu suy dinh dưỡng, cần theo dõi.",
      "Hộ nghèo theo danh sách năm nay của xã.", "Bố mẹ ly hôn, trẻ sống cùng mẹ và dì.",
      "Trẻ phải đi chăn trâu sau giờ học.", "Đề nghị hỗ trợ học bổng cho năm học tới.",
      "Chưa có giấy khai sinh, đang làm thủ tục với tư pháp xã.", "Gia đình dân tộc Mông, nói tiếng Kinh chưa thạo.",
      "Anh trai đã nghỉ học đi làm thuê ở Hà Nội.", "Hẹn gặp lại sau vụ gặt tháng mười."};
  std::string out;
  const int n = 2 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) out += std::string(i ? " " : "") + says[rng() % 16];
  return out;
}

Answers Child(int i, std::mt19937& rng) {
  static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Lò", "Sùng", "Giàng", "Đinh"};
  static const char* given[] = {"Thị Mai", "Văn Páo", "Thị Dợ", "Minh Châu", "Văn Sử", "Thu Hà", "A Chứ", "Thị Lan"};
  static const char* villages[] = {"Bản Phố", "Thôn Nà Lừa", "Bản Sín Chải", "Xóm Đồng Tâm", "Thôn Cốc Pài"};
  static const unsigned kProvinces[] = {1, 2, 4, 6, 8, 10};  // Hà Nội, Hà Giang, Cao Bằng, Bắc Kạn, Tuyên Quang, Lào Cai
  char dob[16], phone[16], pid[16];
  const unsigned year = 12 + Below(rng, 8);
  std::snprintf(dob, sizeof dob, "20%02u-%02u-%02u", year, 1 + Below(rng, 12), 1 + Below(rng, 28));
  std::snprintf(phone, sizeof phone, "09%08u", Below(rng, 100000000));
  // Province, then sex and century (2: a boy, 3: a girl born from 2000), the year, six digits.
  std::snprintf(pid, sizeof pid, "0%02u%u%02u%06u", kProvinces[Below(rng, 6)], i % 2 ? 2u : 3u, year, Below(rng, 1000000));
  return {{"full_name", std::string(family[rng() % 10]) + " " + given[rng() % 8]},
          {"sex", i % 2 ? "male" : "female"}, {"dob", dob}, {"ethnicity", rng() % 2 ? "tay" : "mong"},
          {"birth_registered", "yes"}, {"personal_id", pid}, {"village", villages[rng() % 5]},
          {"living_with", rng() % 2 ? "relatives" : "both_parents"},
          {"caregiver_name", std::string(family[rng() % 10]) + " " + given[rng() % 8]},
          {"caregiver_phone", phone}, {"household_poverty", rng() % 3 ? "poor" : "near_poor"},
          {"in_school", "yes"}, {"school_level", "primary"},
          {"health_insurance", "yes"}, {"disability", "no"}, {"special_circumstances", "h"},
          {"notes", Notes(rng)}};
}

struct Codec {
  std::string name;
  std::function<std::string(const std::string&)> pack;
  std::function<bool(const std::string&, size_t)> unpack;  // whether it came back
};

std::vector<Codec> Codecs() {
  std::vector<Codec> c;
  c.push_back({"raw", [](const std::string& s) { return s; }, [](const std::string&, size_t) { return true; }});
  c.push_back({"gzip1", [](const std::string& s) { return Gzip(s).value_or(""); },
               [](const std::string& s, size_t n) { return Gunzip(s, n).has_value(); }});
  for (int level : {1, 3, 19}) {
    c.push_back({"zstd" + std::to_string(level), [level](const std::string& s) { return Zstd(s, false, level).value_or(""); },
                 [](const std::string& s, size_t n) { return Unzstd(s, n).ok(); }});
  }
  c.push_back({"zstd3_dict", [](const std::string& s) { return Zstd(s, true).value_or(""); },
               [](const std::string& s, size_t n) { return Unzstd(s, n).ok(); }});
  return c;
}

// Request bodies as a device pushes `edits` in `layout` (wire.h).
std::vector<std::string> UpBodies(const std::vector<Edit>& edits, size_t per_request, uint32_t layout = kWireLayout) {
  std::vector<std::string> out;
  for (size_t i = 0; i < edits.size(); i += per_request) {
    SyncRequest r;
    r.reads_layout = kWireLayout;
    r.push_layout = layout;
    r.push.assign(edits.begin() + static_cast<long>(i), edits.begin() + static_cast<long>(std::min(edits.size(), i + per_request)));
    r.cursor = 12345;
    r.forms = {"child_profile@3"};
    r.reads_sets = true;
    r.communes_tag = "9b1f2c";
    out.push_back(EncodeSyncRequest(r));
  }
  return out;
}

// Answer bodies as the server pulls `edits` to a device that reads `layout`.
std::vector<std::string> DownBodies(std::vector<Edit> edits, size_t per_page, uint32_t layout = kWireLayout) {
  std::vector<std::string> out;
  for (Edit& e : edits) e.author = "w-17";
  for (size_t i = 0; i < edits.size(); i += per_page) {
    SyncResponse r;
    r.reads_layout = kWireLayout;
    r.pull_layout = layout;
    r.pull.assign(edits.begin() + static_cast<long>(i), edits.begin() + static_cast<long>(std::min(edits.size(), i + per_page)));
    r.cursor = i + per_page;
    r.more = i + per_page < edits.size();
    r.server_time_ms = 1795000000000;
    out.push_back(EncodeSyncResponse(r));
  }
  return out;
}

size_t Packed(const Codec& c, const std::vector<std::string>& bodies) {
  size_t n = 0;
  for (const auto& b : bodies) n += c.pack(b).size();
  return n;
}

// The outbox of `n` new children saved through a real Notebook.
std::vector<Edit> SavedChildren(int n, const fs::path& dir, uint32_t seed) {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto nb = Notebook::Create((dir / "device.db").string(), "bench", o);
  auto form = ReadWholeFile(SOTAY_SCHEMAS_DIR "/child_profile.json");
  if (!nb.ok() || !form.ok() || !(*nb)->SetProfile("01234", "w-17").ok() ||
      !(*nb)->InstallForm(*form, "child_profile.json").ok()) {
    std::fprintf(stderr, "could not make the notebook\n");
    std::exit(1);
  }
  std::mt19937 rng(seed);
  std::vector<Answers> rows;
  for (int i = 0; i < n; ++i) rows.push_back(Child(i, rng));
  auto made = (*nb)->CreateRecords("child_profile", rows, "vi");
  auto slice = (*nb)->OutboxAfter("", 1u << 30);
  for (const SaveOutcome& saved : made.ok() ? *made : std::vector<SaveOutcome>{}) {
    if (!saved.ok()) {
      std::fprintf(stderr, "a child was not saved: %s: %s\n", saved.issues[0].field.c_str(), saved.issues[0].message.c_str());
      std::exit(1);
    }
  }
  if (!made.ok() || !slice.ok()) {
    std::fprintf(stderr, "could not save the children\n");
    std::exit(1);
  }
  return slice->edits;
}

int Train(const std::string& out_path) {
  std::vector<nlohmann::json> forms;
  for (const auto& entry : fs::directory_iterator(SOTAY_SCHEMAS_DIR)) {
    if (entry.path().extension() == ".json") forms.push_back(nlohmann::json::parse(std::ifstream(entry.path())));
  }
  std::sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a["form"] < b["form"]; });
  std::mt19937 rng(16);
  static const char* words[] = {"Nguyễn", "Trần", "Lê", "Hoàng", "Thị", "Văn", "Bản", "Thôn", "Xóm", "A"};
  // One record of `form`: the edits a device makes, with seeded ids.
  uint64_t counter = 0;
  int64_t ms = 1795000000000;
  HlcClock clock(DeviceId("a572a117a754297e"));  // stamps as a device makes them
  auto record = [&](const nlohmann::json& form, std::vector<Edit>& edits) {
    char id[40];
    std::snprintf(id, sizeof id, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(rng()), Below(rng, 65536),
                  Below(rng, 4096), Below(rng, 4096), static_cast<unsigned long long>(rng()) * 65536ULL);
    auto add = [&](const std::string& field, const std::string& value) {
      ms += rng() % 3;
      edits.push_back(Edit{{"a572a117a754297e", ++counter}, id, field, value, clock.Tick(ms), {}, "w-17"});
    };
    add("_form", form["form"]);
    add("_version", std::to_string(form["version"].get<int>()));
    add("_area", "01234");
    for (const auto& f : form["fields"]) {
      const std::string type = f.value("type", ""), name = f.value("name", "");
      if (name.empty() || rng() % 3 == 0) continue;
      std::string value;
      if (type.rfind("select_", 0) == 0) {
        const auto& list = form["choices"][type.substr(type.find(' ') + 1)];
        value = list[rng() % list.size()]["name"];
      } else if (type == "text") {
        value = std::string(words[rng() % 10]) + " " + words[rng() % 10];
      } else if (type == "integer") {
        value = std::to_string(rng() % 40);
      } else if (type == "date") {
        value = "20" + std::to_string(10 + rng() % 16) + "-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10);
      } else if (type == "phone") {
        value = "09" + std::to_string(10000000 + rng() % 89999999);
      } else {
        continue;  // groups, notes, calculations: no answer
      }
      add(name, value);
    }
  };
  std::string samples;
  std::vector<size_t> sizes;
  for (int s = 0; s < 600; ++s) {
    std::vector<Edit> edits;
    const int records = 1 + static_cast<int>(rng() % 20);
    for (int r = 0; r < records; ++r) record(forms[rng() % forms.size()], edits);
    const std::string body = s % 2 ? UpBodies(edits, edits.size()).front() : DownBodies(edits, edits.size()).front();
    samples += body;
    sizes.push_back(body.size());
  }
  std::string dict(16 * 1024, '\0');
  ZDICT_fastCover_params_t p{};
  p.k = 200;
  p.d = 8;
  p.steps = 4;
  p.nbThreads = 1;  // several threads would make the result depend on timing
  p.zParams.compressionLevel = kZstdLevel;
  const size_t n = ZDICT_optimizeTrainFromBuffer_fastCover(dict.data(), dict.size(), samples.data(), sizes.data(),
                                                          static_cast<unsigned>(sizes.size()), &p);
  if (ZDICT_isError(n)) {
    std::fprintf(stderr, "training failed: %s\n", ZDICT_getErrorName(n));
    return 1;
  }
  dict.resize(n);
  std::ofstream(out_path, std::ios::binary) << dict;
  std::printf("%s: %zu bytes, id %u, from %zu samples of %zu bytes\n", out_path.c_str(), n,
              ZDICT_getDictID(dict.data(), dict.size()), sizes.size(), samples.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--train") return Train(argv[2]);
  const int n = argc > 1 ? std::max(10, std::atoi(argv[1])) : 2000;
  const fs::path dir = fs::temp_directory_path() / ("sotay-wire-bytes-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::vector<Edit> edits = SavedChildren(n, dir, 2026);
  fs::remove_all(dir);

  // Ablations: the same children with one part taken out, to see what it cost.
  std::map<std::string, std::vector<Edit>> variants;
  variants["full"] = edits;
  auto without = [&](const char* name, const std::function<void(Edit&)>& change) {
    std::vector<Edit> v = edits;
    for (Edit& e : v) change(e);
    variants[name] = std::move(v);
  };
  without("no_notes", [](Edit& e) { if (e.field == "notes") e.value = ""; });
  without("no_answers", [](Edit& e) { if (e.field[0] != '_') e.value = ""; });
  without("one_record_id", [&](Edit& e) { e.record = edits.front().record; });
  without("one_clock", [&](Edit& e) { e.hlc.ms = edits.front().hlc.ms; e.hlc.counter = 0; });
  without("one_dot", [&](Edit& e) { e.dot.counter = edits.front().dot.counter; });

  const std::vector<Codec> codecs = Codecs();
  nlohmann::json out = {{"children", n}, {"edits", edits.size()}, {"dictionary_id", SyncDictionaryId()}};
  std::printf("%d children, %zu edits (%.1f a child); bytes per child\n", n, edits.size(), double(edits.size()) / n);
  std::printf("%-14s %-12s", "variant", "way");
  for (const auto& c : codecs) std::printf(" %10s", c.name.c_str());
  std::printf("\n");
  // Every variant in the newest layout, and the whole in layout 1, as devices and
  // servers from before layout 2 send it.
  variants["full_layout1"] = edits;
  for (const auto& [variant, v] : variants) {
    const uint32_t layout = variant == "full_layout1" ? 1 : kWireLayout;
    for (const char* way : {"up", "down"}) {
      const auto bodies = std::string(way) == "up" ? UpBodies(v, 2000, layout) : DownBodies(v, 5000, layout);
      std::printf("%-14s %-12s", variant.c_str(), way);
      for (const auto& c : codecs) {
        const double per = double(Packed(c, bodies)) / n;
        std::printf(" %10.1f", per);
        out["per_child"][variant][way][c.name] = std::round(per * 10) / 10;
      }
      std::printf("\n");
    }
  }
  // A daily sync: one child alone in its request.
  {
    const auto one = UpBodies(std::vector<Edit>(edits.begin(), edits.begin() + static_cast<long>(edits.size() / n)), 1000);
    std::printf("%-14s %-12s", "one_child", "up");
    for (const auto& c : codecs) {
      std::printf(" %10zu", Packed(c, one));
      out["one_child_up"][c.name] = Packed(c, one);
    }
    std::printf("\n");
  }
  // CPU per 2,000 children: pack and unpack every body both ways.
  std::printf("CPU ms per 2,000 children (pack / unpack, up + down)\n");
  const auto up = UpBodies(edits, 2000), down = DownBodies(edits, 5000);
  for (const auto& c : codecs) {
    if (c.name == "raw") continue;
    std::vector<std::string> packed;
    const int reps = 5;
    const double t0 = CpuSeconds();
    for (int r = 0; r < reps; ++r) {
      packed.clear();
      for (const auto* set : {&up, &down}) for (const auto& b : *set) packed.push_back(c.pack(b));
    }
    const double t1 = CpuSeconds();
    bool ok = true;
    for (int r = 0; r < reps; ++r) for (const auto& p : packed) ok = c.unpack(p, 64u << 20) && ok;
    const double t2 = CpuSeconds();
    const double scale = 2000.0 / n / reps * 1000;
    std::printf("  %-12s %8.1f / %6.1f%s\n", c.name.c_str(), (t1 - t0) * scale, (t2 - t1) * scale, ok ? "" : "  (FAILED)");
    out["cpu_ms_per_2000"][c.name] = {{"pack", std::round((t1 - t0) * scale * 10) / 10},
                                      {"unpack", std::round((t2 - t1) * scale * 10) / 10}};
  }
  double load[1] = {0};
  if (getloadavg(load, 1) == 1) out["load_average"] = load[0];
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
