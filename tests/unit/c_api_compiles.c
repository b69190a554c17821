/* Compiled as C: the public C header must stay valid C for phone bindings. */
#include <string.h>

#include "sotay/sotay_c.h"

/* Opens a notebook that does not exist and reports the code, from plain C. */
int sotay_c_open_missing(const char* path) {
  sotay_error err;
  memset(&err, 0, sizeof err);
  sotay_notebook* nb = sotay_open(path, "whatever", NULL, 0, &err);
  if (nb != NULL) {
    sotay_close(nb);
    return -1;
  }
  return (int)err.code;
}
