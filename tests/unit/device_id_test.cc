// DeviceId keeps short ids inside the object and long ones on the heap; either way
// it must behave exactly as the text it holds: copies, moves, order and equality.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sotay/device_id.h"
#include "sotay/edit.h"

using sotay::DeviceId;

TEST_CASE("device id: ids of every length around the inline limit read back as given", "[device_id]") {
  for (size_t n : {size_t{0}, size_t{1}, size_t{16}, DeviceId::kInline - 1, DeviceId::kInline,
                   DeviceId::kInline + 1, size_t{200}}) {
    const std::string text(n, 'a');
    DeviceId id(text);
    CHECK(id.size() == n);
    CHECK(id.empty() == (n == 0));
    CHECK(id.str() == text);
    CHECK(id.view() == text);
    CHECK(std::string(id.c_str()) == text);  // NUL-terminated
    CHECK(id == text);
    CHECK(text == id);
  }
}

TEST_CASE("device id: copies, moves and assignments keep the text, short or long", "[device_id]") {
  const std::string short_text = "5621dabcadb86926";
  const std::string long_text = "web-" + std::string(40, 'f');
  for (const std::string& text : {short_text, long_text}) {
    DeviceId a(text);
    DeviceId b = a;
    CHECK(b == text);
    DeviceId c = std::move(b);
    CHECK(c == text);
    CHECK(b.empty());  // NOLINT: a moved-from id is empty and usable
    b = c;
    CHECK(b == text);
    DeviceId& same = b;
    b = same;  // assigning an id to itself keeps it
    CHECK(b == text);
    DeviceId d("x");
    d = std::move(c);
    CHECK(d == text);
    d = DeviceId(short_text);  // long to short and back
    CHECK(d == short_text);
    d = DeviceId(long_text);
    CHECK(d == long_text);
  }
}

TEST_CASE("device id: order, equality, hashing and printing are the text's", "[device_id]") {
  std::vector<std::string> texts = {"b", "a", "ab", "", "web-" + std::string(30, 'z'), "5621dabcadb86926",
                                    "5621dabcadb86927"};
  std::vector<DeviceId> ids(texts.begin(), texts.end());
  std::sort(texts.begin(), texts.end());
  std::sort(ids.begin(), ids.end());
  for (size_t i = 0; i < texts.size(); ++i) CHECK(ids[i] == texts[i]);
  CHECK(DeviceId("a") != DeviceId("b"));
  CHECK(DeviceId("a") != "b");
  CHECK(std::unordered_set<DeviceId>(ids.begin(), ids.end()).size() == ids.size());
  std::ostringstream out;
  out << DeviceId("d99e4e9205978211") << ":" << 7;
  CHECK(out.str() == "d99e4e9205978211:7");
  CHECK(std::string("dev ") + DeviceId("a1") == "dev a1");
  // Dots order by device text, then counter, as they did when the device was a string.
  std::set<sotay::Dot> dots = {{"b", 1}, {"a", 2}, {"a", 1}};
  CHECK(dots.begin()->device == "a");
  CHECK(dots.begin()->counter == 1);
}

// 16-character ids compare as two words: the order must stay the bytes' order
// (unsigned, first byte first), among themselves and beside ids of other lengths.
TEST_CASE("device id: 16-character ids order and compare as their bytes do", "[device_id]") {
  std::vector<std::string> texts = {"5621dabcadb86926", "5621dabcadb86927", "5621dabdadb86926", "4621dabcadb86926",
                                    "5621dabcadb8692", "5621dabcadb869260", "zzzzzzzzzzzzzzzz", "0000000000000000",
                                    std::string("\xff") + std::string(15, 'a'), std::string(16, '\x01'),
                                    std::string("a") + std::string(14, '\0') + "b", "a"};
  std::vector<DeviceId> ids(texts.begin(), texts.end());
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t j = 0; j < texts.size(); ++j) {
      INFO(i << " " << j);
      CHECK((ids[i] < ids[j]) == (std::string_view(texts[i]) < std::string_view(texts[j])));
      CHECK((ids[i] == ids[j]) == (texts[i] == texts[j]));
    }
  }
}
