/* Compiled as C89 and as C99 with -pedantic -Werror (tests/CMakeLists.txt): an app in
 * any C compiler, or a binding generator reading the header, must take sotay_c.h as
 * it is. Uses each type the header declares, so a construct C rejects shows up here
 * and not in a phone app's build. Nothing here runs. */
#include "sotay/sotay_c.h"

static void sotay_header_post(void* user_data, const char* const* names, const char* const* values, size_t n,
                              const void* body, size_t body_len, sotay_reply* reply) {
  (void)user_data;
  (void)names;
  (void)values;
  (void)n;
  (void)body;
  (void)body_len;
  sotay_reply_fail(reply, "not sent");
}

int sotay_header_compiles_as_c(void);
int sotay_header_compiles_as_c(void) {
  sotay_error err;
  sotay_notebook* nb;
  sotay_post_fn post = sotay_header_post;
  sotay_code code = SOTAY_OK;
  err.code = code;
  err.message[0] = '\0';
  nb = sotay_open("x", "y", NULL, 0, &err);
  if (nb != NULL) {
    (void)sotay_sync(nb, post, NULL, NULL, &err);
    sotay_close(nb);
  }
  return sotay_api_version() == SOTAY_C_API_VERSION && sotay_version() != NULL ? (int)err.code : -1;
}
