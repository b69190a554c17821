// The web text both the dashboard and `sotay ui` write (sotay/web_text.h).
#include <catch2/catch.hpp>

#include "sotay/web_text.h"

using namespace sotay;

TEST_CASE("web text: a name with markup is shown as text, in content and in a quoted attribute", "[web]") {
  CHECK(HtmlEscape("Lò Thị <b>A</b> & \"B\" 'C'") == "Lò Thị &lt;b&gt;A&lt;/b&gt; &amp; &quot;B&quot; &#39;C&#39;");
  CHECK(HtmlEscape("Nguyễn Văn An") == "Nguyễn Văn An");  // Vietnamese letters untouched
  CHECK(HtmlEscape("") == "");
}

TEST_CASE("web text: a Vietnamese search goes into a URL as UTF-8 percent-escapes", "[web]") {
  CHECK(UrlEncode("Đặng a&b=c/d") == "%C4%90%E1%BA%B7ng%20a%26b%3Dc%2Fd");
  CHECK(UrlEncode("A-z_0.9~") == "A-z_0.9~");
}

TEST_CASE("web text: a cookie is found by its whole name only", "[web]") {
  const std::string header = "theme=dark; sotay_ui=abc123;  sotay=xyz";
  CHECK(CookieValue(header, "sotay_ui") == "abc123");
  CHECK(CookieValue(header, "sotay") == "xyz");
  CHECK(CookieValue(header, "ui") == "");
  CHECK(CookieValue("", "sotay") == "");
}
