// Image and file questions (issue 20): the loader's new types and their parameters,
// and what an answer (a file reference, never the bytes) must look like.
#include <catch2/catch.hpp>

#include "sotay/attachment.h"
#include "sotay/form.h"
#include "sotay/validate.h"

using namespace sotay;

namespace {

std::string WithField(const std::string& field) {
  return R"({"form": "t", "version": 1, "title": {"vi": "Thử", "en": "Test"}, "fields": [)" + field + "]}";
}

std::string Problems(const std::string& field) {
  auto r = LoadForm(WithField(field), "forms/t.json");
  return r.ok() ? std::string() : r.status().message();
}

const std::string kHash(64, 'a');

}  // namespace

TEST_CASE("files: image and file questions load with their parameters", "[form][attachment]") {
  auto form = LoadForm(WithField(R"(
    {"type": "image", "name": "photo", "label": {"vi": "Ảnh", "en": "Photo"},
     "parameters": {"max-pixels": 1600, "max-size": 5000000, "accept": ["image/jpeg", ".png"]}},
    {"type": "file", "name": "consent", "label": {"vi": "Giấy", "en": "Consent"}})"),
                       "forms/t.json");
  REQUIRE(form.ok());
  const Field* photo = form->FindField("photo");
  REQUIRE(photo != nullptr);
  CHECK(photo->type == FieldType::kImage);
  CHECK(photo->file.max_pixels == 1600);
  CHECK(photo->file.max_bytes == 5000000);
  CHECK(photo->file.accept == std::vector<std::string>{"image/jpeg", ".png"});
  const Field* consent = form->FindField("consent");
  REQUIRE(consent != nullptr);
  CHECK(consent->type == FieldType::kFile);
  CHECK(consent->file.max_bytes == kAttachmentDefaultMaxBytes);
}

TEST_CASE("files: bad parameters are named with the field and the reason", "[form][attachment]") {
  CHECK_THAT(Problems(R"({"type": "file", "name": "f", "label": {"vi": "F", "en": "F"}, "parameters": {"max-pixels": 800}})"),
             Catch::Contains("field 'f': 'max-pixels' is only for an image field"));
  CHECK_THAT(Problems(R"({"type": "image", "name": "f", "label": {"vi": "F", "en": "F"}, "parameters": {"max-pixels": "big"}})"),
             Catch::Contains("'max-pixels' must be a whole number"));
  CHECK_THAT(Problems(R"({"type": "file", "name": "f", "label": {"vi": "F", "en": "F"}, "parameters": {"max-size": 209715200}})"),
             Catch::Contains("'max-size' must be a number of bytes from 1 to"));
  CHECK_THAT(Problems(R"({"type": "file", "name": "f", "label": {"vi": "F", "en": "F"}, "parameters": {"accept": ["pdf"]}})"),
             Catch::Contains("'accept' entry must be a media type"));
  CHECK_THAT(Problems(R"({"type": "file", "name": "f", "label": {"vi": "F", "en": "F"}, "parameters": {"colour": 1}})"),
             Catch::Contains("unknown parameter 'colour'"));
  CHECK_THAT(Problems(R"({"type": "text", "name": "f", "label": {"vi": "F", "en": "F"}, "parameters": {"max-size": 10}})"),
             Catch::Contains("'parameters' is only for an image or file field"));
  CHECK_THAT(Problems(R"({"type": "image", "name": "f", "required": true, "label": {"vi": "F", "en": "F"}})"),
             Catch::Contains("cannot be 'required'"));
}

TEST_CASE("files: an answer is a reference that fits the field, never the bytes", "[form][attachment]") {
  auto form = LoadForm(WithField(R"(
    {"type": "image", "name": "photo", "label": {"vi": "Ảnh", "en": "Photo"}, "parameters": {"max-size": 1000}})"),
                       "forms/t.json");
  REQUIRE(form.ok());
  const Field& photo = *form->FindField("photo");
  const AttachmentRef ok{kHash, 999, "image/jpeg", "jpg"};
  CHECK_FALSE(CheckType(*form, photo, ok.Format(), "en"));
  CHECK(ParseAttachmentRef(ok.Format())->size == 999);
  // The bytes themselves, a too-big file and a PDF on an image question are refused.
  CHECK(CheckType(*form, photo, "\xFF\xD8\xFF\xE0 JFIF", "en"));
  CHECK(CheckType(*form, photo, AttachmentRef{kHash, 1001, "image/jpeg", "jpg"}.Format(), "en"));
  CHECK(CheckType(*form, photo, AttachmentRef{kHash, 10, "application/pdf", "pdf"}.Format(), "en"));
  CHECK_FALSE(ParseAttachmentRef(std::string(63, 'a') + " 1 image/png png").ok());
}

TEST_CASE("files: the rules say the limit and the file's size or type", "[attachment]") {
  FileRules rules;
  rules.max_bytes = 5 * 1024 * 1024;
  Status big = CheckFileAgainstRules("injury_photo", true, rules, "image/jpeg", "jpg", 200LL * 1024 * 1024);
  CHECK_THAT(big.message(), Catch::Contains("field 'injury_photo': the file is 209715200 bytes; the form allows at most 5242880"));
  Status html = CheckFileAgainstRules("injury_photo", true, rules, "text/html", "html", 10);
  CHECK_THAT(html.message(), Catch::Contains("text/html (.html) is not accepted; the form takes image/*"));
  rules.accept = {".pdf", "image/*"};
  CHECK(CheckFileAgainstRules("consent", false, rules, "application/pdf", "pdf", 10).ok());
  CHECK(CheckFileAgainstRules("consent", false, rules, "image/png", "png", 10).ok());
  CHECK_FALSE(CheckFileAgainstRules("consent", false, rules, "text/plain", "txt", 10).ok());
}

TEST_CASE("files: only real image signatures are called images", "[attachment]") {
  CHECK(SniffImageType("\xFF\xD8\xFF\xE0rest") == std::optional<std::string>("image/jpeg"));
  CHECK(SniffImageType("\x89PNG\r\n\x1A\nxx") == std::optional<std::string>("image/png"));
  CHECK(SniffImageType(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)) == std::optional<std::string>("image/webp"));
  CHECK_FALSE(SniffImageType("<html><script>alert(1)</script>"));
  CHECK(ExtensionOf("/tmp/Ảnh.JPG") == "jpg");
  CHECK(MediaTypeOfExtension("jpg") == "image/jpeg");
}
