// What a worker on Windows relies on as much as one on Linux (sotay/os.h,
// platform/file_mode.h): a notebook in a folder with a Vietnamese name opens again
// with what was stored, forms and files there are read, the store file is readable
// by its owner alone, and the notebook's folder is where the platform keeps a user's
// data. Run on Linux by ctest and on Windows under Wine (scripts/ci-windows.sh).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "platform/file_mode.h"
#include "sotay/env.h"
#include "sotay/form.h"
#include "sotay/os.h"
#include "sotay/read_file.h"
#include "sotay/sealed_store.h"
#include "support/owner_only.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::CheckOwnerOnly;
namespace fs = std::filesystem;

namespace {

// "Sổ tay Nguyễn Thị Hồng", in UTF-8 bytes: letters the ANSI code page lacks.
constexpr char kVietnameseFolder[] = "S\xe1\xbb\x95 tay Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b H\xe1\xbb\x93ng";
constexpr char kPass[] = "correct horse battery staple";

// The folder inside `tmp` with the Vietnamese name, made through the UTF-8 path.
std::string VietnameseFolder(const testing::TempDir& tmp) {
  const std::string dir = PathToUtf8(tmp.path()) + "/" + kVietnameseFolder;
  fs::create_directories(PathFromUtf8(dir));
  return dir;
}

}  // namespace

TEST_CASE("a notebook's store in a folder named in Vietnamese is made there and opens again") {
  testing::TempDir tmp;
  const std::string dir = VietnameseFolder(tmp);
  const std::string path = dir + "/notebook.db";
  {
    auto store = SealedStore::Create(path, kPass, KdfLimits::Fast());
    INFO(store.status().ToString());
    REQUIRE(store.ok());
    REQUIRE((*store)->Put(Table::kRecords, "r1", "i1", 1, "Nguy\xe1\xbb\x85n V\xc4\x83n T\xc3\xa8o").ok());
  }
  // The folder and the file carry the real name, not its bytes read in a code page.
  bool found = false;
  for (const auto& entry : fs::directory_iterator(tmp.path())) {
    if (entry.path().filename().u8string() == kVietnameseFolder) found = true;
  }
  CHECK(found);
  CHECK(fs::is_regular_file(PathFromUtf8(path)));

  auto again = SealedStore::Open(path, kPass);
  INFO(again.status().ToString());
  REQUIRE(again.ok());
  auto value = (*again)->Get(Table::kRecords, "r1");
  REQUIRE(value.ok());
  CHECK(*value == "Nguy\xe1\xbb\x85n V\xc4\x83n T\xc3\xa8o");
}

TEST_CASE("files and forms in a folder named in Vietnamese are read") {
  testing::TempDir tmp;
  const std::string dir = VietnameseFolder(tmp);
  const std::string form_path = dir + "/tr\xe1\xba\xbb em.json";  // "trẻ em.json"
  {
    std::ofstream out(PathFromUtf8(form_path), std::ios::binary);
    out << R"({"id": "x"})";
  }
  auto text = ReadWholeFile(form_path, "the form file");
  INFO(text.status().ToString());
  REQUIRE(text.ok());
  CHECK(*text == R"({"id": "x"})");

  auto files = FormFilesIn(dir);
  INFO(files.status().ToString());
  REQUIRE(files.ok());
  REQUIRE(files->size() == 1);
  CHECK(PathFromUtf8((*files)[0]).filename().u8string() == "tr\xe1\xba\xbb em.json");
  CHECK(ReadWholeFile((*files)[0]).ok());
}

TEST_CASE("a new store file is readable by its owner alone") {
  testing::TempDir tmp;
  const std::string path = VietnameseFolder(tmp) + "/notebook.db";
  {
    auto store = SealedStore::Create(path, kPass, KdfLimits::Fast());
    INFO(store.status().ToString());
    REQUIRE(store.ok());
  }
  CheckOwnerOnly(path);

  // A file made without care is not owner-only until RestrictToOwner makes it so.
  const std::string loose = PathToUtf8(tmp.path()) + "/loose.db";
  { std::ofstream(PathFromUtf8(loose)) << "x"; }
  REQUIRE(store::RestrictToOwner(loose).ok());
  CheckOwnerOnly(loose);
}

TEST_CASE("files made in an owner-only folder are readable by the owner alone") {
  testing::TempDir tmp;
  const std::string dir = VietnameseFolder(tmp);
  REQUIRE(MakeOwnerOnlyFolder(dir).ok());
#ifdef _WIN32
  // What SQLite's -wal and -shm get: the folder's DACL, inherited.
  const std::string inside = dir + "/notebook.db-wal";
  { std::ofstream(PathFromUtf8(inside)) << "x"; }
  CheckOwnerOnly(inside);
#else
  CHECK((fs::status(PathFromUtf8(dir)).permissions() & fs::perms::all) == fs::perms::owner_all);
#endif
}

TEST_CASE("the notebook's default folder is the platform's place for a user's data") {
  const std::string dir = DefaultDataDir();
#ifdef _WIN32
  const auto local = GetEnvUtf8("LOCALAPPDATA");
  REQUIRE(local.has_value());
  CHECK(dir == *local + "\\sotay");
#else
  const auto home = GetEnvUtf8("HOME");
  REQUIRE(home.has_value());
  CHECK(dir == *home + "/.sotay");
#endif
}
