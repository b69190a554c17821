// The areas and the form every server test and the HTTP fuzz targets start from
// (tests/server/server_world.h, fuzz/server_fixture.h): one copy, so a seed or a test
// written against one world holds in the other. Plain data, no Catch.
//
// Thread-safety: constants.
#pragma once

namespace sotay::testing {

// Province 17; district 148 with communes 01234 and 01237; district 152 with 01255.
inline const char* kTestAreas =
    "code,name,parent_code,level\n"
    "17,Tỉnh Hòa Bình,,province\n"
    "148,Huyện Mai Châu,17,district\n"
    "01234,Xã Chiềng Châu,148,commune\n"
    "01237,Xã Vạn Mai,148,commune\n"
    "152,Huyện Tân Lạc,17,district\n"
    "01255,Xã Mãn Đức,152,commune\n";

inline const char* kTestForm = R"({
  "form": "case_test", "version": 1,
  "title": {"vi": "Hồ sơ thử", "en": "Test case"},
  "fields": [
    {"type": "text", "name": "full_name", "required": true, "constraint": "string-length(.) >= 2",
     "label": {"vi": "Họ và tên", "en": "Full name"}},
    {"type": "select_one sex", "name": "sex", "label": {"vi": "Giới tính", "en": "Sex"}},
    {"type": "integer", "name": "age", "label": {"vi": "Tuổi", "en": "Age"}},
    {"type": "date", "name": "dob", "label": {"vi": "Ngày sinh", "en": "Date of birth"}},
    {"type": "text", "name": "notes", "merge": "append", "label": {"vi": "Ghi chú", "en": "Notes"}},
    {"type": "note", "name": "info", "label": {"vi": "Lưu ý", "en": "Note"}},
    {"type": "begin_repeat", "name": "visits", "label": {"vi": "Thăm hộ gia đình", "en": "Home visits"}},
    {"type": "date", "name": "visit_date", "label": {"vi": "Ngày thăm", "en": "Visit date"}},
    {"type": "end_repeat"}
  ],
  "choices": {"sex": [{"name": "female", "label": {"vi": "Nữ", "en": "Female"}},
                      {"name": "male", "label": {"vi": "Nam", "en": "Male"}}]},
  "instance_name": "${full_name}",
  "indicators": [
    {"name": "girls", "label": {"vi": "Số trẻ em gái", "en": "Girls"}, "count": "${sex} = 'female'",
     "period": "stock", "definition": {"vi": "Hồ sơ có giới tính nữ.", "en": "Records whose sex is female."}}
  ]
})";

}  // namespace sotay::testing
