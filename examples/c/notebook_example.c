/* A phone app in miniature, in plain C over sotay_c.h (docs/c-api.md): it creates a
 * notebook, installs the child profile form, enrolls with a one-time code, records a
 * child and syncs with the district server, speaking HTTP through libcurl as an app
 * would through its platform's stack.
 *
 *   notebook_example SERVER_URL ENROLL_CODE NOTEBOOK FORM.json ANSWERS.json
 *
 * The passphrase comes from SOTAY_PASSPHRASE (a real app asks the worker). Prints
 * the new record's id on stdout and the sync summary on stderr; exits 0 only when
 * the child reached the server. Built and run against a real server by
 * tests/c_example/c_example_test.cc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "sotay/sotay_c.h"

/* A growing buffer for an answer's body. */
typedef struct {
  char* data;
  size_t len;
} buffer;

/* The answer's headers, kept until the reply is filled. */
typedef struct {
  char* names[64];
  char* values[64];
  size_t n;
} header_list;

static size_t on_body(char* ptr, size_t size, size_t nmemb, void* user) {
  buffer* b = (buffer*)user;
  size_t add = size * nmemb;
  char* grown = realloc(b->data, b->len + add + 1);
  if (grown == NULL) return 0; /* curl stops with a write error */
  memcpy(grown + b->len, ptr, add);
  b->data = grown;
  b->len += add;
  b->data[b->len] = '\0';
  return add;
}

static void clear_headers(header_list* h) {
  size_t i;
  for (i = 0; i < h->n; ++i) {
    free(h->names[i]);
    free(h->values[i]);
  }
  h->n = 0;
}

static char* copy_trimmed(const char* s, size_t len) {
  char* out;
  while (len > 0 && (*s == ' ' || *s == '\t')) {
    ++s;
    --len;
  }
  while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == '\n' || s[len - 1] == ' ')) --len;
  out = malloc(len + 1);
  if (out == NULL) return NULL;
  memcpy(out, s, len);
  out[len] = '\0';
  return out;
}

static size_t on_header(char* line, size_t size, size_t nmemb, void* user) {
  header_list* h = (header_list*)user;
  size_t len = size * nmemb;
  const char* colon = memchr(line, ':', len);
  /* A status line starts another answer (after a redirect or 100 Continue). */
  if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) clear_headers(h);
  if (colon == NULL || h->n == 64) return len;
  h->names[h->n] = copy_trimmed(line, (size_t)(colon - line));
  h->values[h->n] = copy_trimmed(colon + 1, len - (size_t)(colon - line) - 1);
  if (h->names[h->n] != NULL && h->values[h->n] != NULL) ++h->n;
  return len;
}

/* POSTs `body` to `url` with the headers and fills `reply`: the one place this app
 * speaks HTTP, for enrolling and for every sync request. */
static void post(const char* url, const char* const* names, const char* const* values, size_t n,
                 const void* body, size_t body_len, sotay_reply* reply) {
  CURL* curl = curl_easy_init();
  struct curl_slist* sent = NULL;
  buffer got = {NULL, 0};
  header_list heads;
  char line[1024];
  CURLcode rc;
  long status = 0;
  size_t i;
  heads.n = 0;
  if (curl == NULL) {
    sotay_reply_fail(reply, "curl_easy_init failed");
    return;
  }
  for (i = 0; i < n; ++i) {
    snprintf(line, sizeof line, "%s: %s", names[i], values[i]);
    sent = curl_slist_append(sent, line);
  }
  sent = curl_slist_append(sent, "Expect:"); /* no 100-continue round trip on a slow link */
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, sent);
  /* No CURLOPT_ACCEPT_ENCODING: the answer goes to sotay as it came, which undoes its
     zstd or gzip itself (a libcurl built without zstd would refuse the answer). */
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &got);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &heads);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 300L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* called off the main thread */
  rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    sotay_reply_fail(reply, curl_easy_strerror(rc));
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    sotay_reply_set(reply, (int)status, got.data != NULL ? got.data : "", got.len);
    for (i = 0; i < heads.n; ++i) sotay_reply_set_header(reply, heads.names[i], heads.values[i]);
  }
  clear_headers(&heads);
  free(got.data);
  curl_slist_free_all(sent);
  curl_easy_cleanup(curl);
}

/* sotay_sync's transport: called on sotay_sync's own thread, one request at a time. */
static void post_sync(void* user_data, const char* const* names, const char* const* values, size_t n,
                      const void* body, size_t body_len, sotay_reply* reply) {
  const char* server = (const char*)user_data;
  char url[1024];
  snprintf(url, sizeof url, "%s/v1/sync", server);
  post(url, names, values, n, body, body_len, reply);
}

static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  buffer b = {NULL, 0};
  char chunk[4096];
  size_t got;
  if (f == NULL) return NULL;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (on_body(chunk, 1, got, &b) != got) break;
  }
  fclose(f);
  return b.data;
}

static int fail(const char* step, const sotay_error* err) {
  fprintf(stderr, "notebook_example: %s: %s (code %d)\n", step, err->message, (int)err->code);
  return 1;
}

static int enroll(sotay_notebook* nb, const char* server, const char* code, sotay_error* err) {
  char* body = NULL;
  char* nonce = NULL;
  char* enrolled = NULL;
  char url[1024];
  const char* names[2];
  const char* values[2];
  sotay_reply* reply;
  int rc;
  if (sotay_enroll_begin(nb, code, &body, &nonce, err) != 0) return -1;
  names[0] = "Content-Type";
  values[0] = "application/json";
  names[1] = "X-Sotay-Nonce";
  values[1] = nonce;
  snprintf(url, sizeof url, "%s/v1/enroll", server);
  reply = sotay_reply_new();
  post(url, names, values, 2, body, strlen(body), reply);
  rc = sotay_enroll_finish(nb, server, nonce, reply, &enrolled, err);
  if (rc == 0) fprintf(stderr, "enrolled: %s\n", enrolled);
  sotay_reply_free(reply);
  sotay_free_string(enrolled);
  sotay_free_string(nonce);
  sotay_free_string(body);
  return rc;
}

int main(int argc, char** argv) {
  const char* passphrase = getenv("SOTAY_PASSPHRASE");
  sotay_error err;
  sotay_notebook* nb;
  char* form;
  char* answers;
  char* result = NULL;
  char* summary = NULL;
  int rc = 1;
  if (argc != 6) {
    fprintf(stderr, "usage: notebook_example SERVER_URL ENROLL_CODE NOTEBOOK FORM.json ANSWERS.json\n");
    return 2;
  }
  if (sotay_api_version() != SOTAY_C_API_VERSION) {
    fprintf(stderr, "notebook_example: built for C API %d, the library is %d\n", SOTAY_C_API_VERSION,
            sotay_api_version());
    return 1;
  }
  fprintf(stderr, "sotay %s, C API %d\n", sotay_version(), sotay_api_version());
  if (passphrase == NULL || passphrase[0] == '\0') {
    fprintf(stderr, "notebook_example: set SOTAY_PASSPHRASE\n");
    return 2;
  }
  form = read_file(argv[4]);
  answers = read_file(argv[5]);
  if (form == NULL || answers == NULL) {
    fprintf(stderr, "notebook_example: cannot read %s\n", form == NULL ? argv[4] : argv[5]);
    free(form);
    free(answers);
    return 1;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT); /* once, before any thread uses curl */
  memset(&err, 0, sizeof err);
  nb = sotay_create(argv[3], passphrase, NULL, 0, &err);
  if (nb == NULL) {
    rc = fail("create the notebook", &err);
  } else if (sotay_install_form(nb, form, &err) != 0) {
    rc = fail("install the form", &err);
  } else if (enroll(nb, argv[1], argv[2], &err) != 0) {
    rc = fail("enroll", &err);
  } else if (sotay_create_record(nb, "child_profile", answers, NULL, NULL, "vi", &result, &err) != 0) {
    rc = fail("record the child", &err);
  } else if (strstr(result, "\"id\":\"\"") != NULL) {
    /* Validation failures are data: the result lists them and nothing was saved. */
    fprintf(stderr, "notebook_example: the answers were refused: %s\n", result);
  } else {
    int synced = sotay_sync(nb, post_sync, argv[1], &summary, &err);
    if (summary != NULL) fprintf(stderr, "sync: %s\n", summary);
    if (synced != 0) {
      rc = fail("sync", &err);
    } else {
      printf("%s\n", result); /* {"id": ..., "issues": []} */
      rc = 0;
    }
  }
  sotay_free_string(summary);
  sotay_free_string(result);
  sotay_close(nb); /* NULL is fine */
  free(form);
  free(answers);
  curl_global_cleanup();
  return rc;
}
