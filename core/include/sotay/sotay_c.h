/* The C API of the Sotay core, for phone apps (JNI, Swift) and other languages.
 *
 * A thin shell over sotay::Notebook (notebook.h): each function converts types,
 * calls one method, and reports failure in a sotay_error; no exception crosses this
 * boundary. Structured values travel as UTF-8 JSON strings.
 *
 * Ownership: strings returned through `char**` are allocated by the core; release
 * them with sotay_free_string. A sotay_notebook is released with sotay_close, which
 * also wipes its keys from memory.
 *
 * Thread-safety: a sotay_notebook must be used by one thread at a time. */
#ifndef SOTAY_C_H_
#define SOTAY_C_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this API. It goes up whenever a function's arguments change, so an
 * app built against another header can refuse to start rather than call with the
 * wrong arguments: check sotay_api_version() == SOTAY_C_API_VERSION at start-up.
 * 2: sotay_create_record takes a commune; sotay_enroll_begin/finish replace
 * sotay_set_enrollment and sotay_pin_server_key. */
#define SOTAY_C_API_VERSION 2
int sotay_api_version(void);

/* The library's release, "MAJOR.MINOR.PATCH" (the project's version in CMakeLists.txt),
 * for the app's about screen and bug reports. A static string: do not free it. It
 * says which build is running; the API version above says what the app may call
 * (docs/c-api.md, "Versions"). Callable from any thread, before anything else. */
const char* sotay_version(void);

typedef struct sotay_notebook sotay_notebook;

/* Codes match sotay::Status::Code. */
typedef enum {
  SOTAY_OK = 0,
  SOTAY_INVALID_ARGUMENT = 1,
  SOTAY_NOT_FOUND = 2,
  SOTAY_ALREADY_EXISTS = 3,
  SOTAY_WRONG_PASSPHRASE = 4,
  SOTAY_TAMPERED = 5,
  SOTAY_CORRUPT = 6,
  SOTAY_IO_ERROR = 7,
  SOTAY_FAILED_PRECONDITION = 8,
  SOTAY_INTERNAL = 100
} sotay_code;

typedef struct {
  sotay_code code;
  char message[512]; /* what and where; never an answer, a name or a key */
} sotay_error;

/* Creates a new notebook file. `extra_secret` (may be NULL, `extra_len` 0) is a key
 * from the platform keystore mixed into the key derivation. NULL on failure. */
sotay_notebook* sotay_create(const char* path, const char* passphrase, const void* extra_secret,
                             size_t extra_len, sotay_error* err);
/* Opens an existing notebook. NULL on failure (SOTAY_WRONG_PASSPHRASE, ...). */
sotay_notebook* sotay_open(const char* path, const char* passphrase, const void* extra_secret,
                           size_t extra_len, sotay_error* err);
void sotay_close(sotay_notebook* nb);

/* Sets the commune code and user id that new records and edits carry. */
int sotay_set_profile(sotay_notebook* nb, const char* area, const char* author, sotay_error* err);

/* Installs a form definition (JSON text). Returns 0 on success. */
int sotay_install_form(sotay_notebook* nb, const char* form_json, sotay_error* err);

/* Creates a record from `answers_json` ({"field": "value", ...}), read as every
 * client reads answers (sotay/presentation.h, AnswersFromJson): text, a number or
 * true/false; for a choice its code or label; for a select_multiple also a list of
 * codes or labels, ["orphan", "Bị bỏ rơi"]; null for no answer. Another shape is
 * SOTAY_INVALID_ARGUMENT naming the field. On success
 * *result_json is {"id": "...", "issues": []}; when answers fail validation it is
 * {"id": "", "issues": [{"field": ..., "message": ...}]} and nothing is saved
 * (the call still returns 0: validation failures are data, not errors).
 * `commune` (NULL or "": the device's own) is the commune a new top-level record
 * goes to; a district officer's phone must name one of sotay_communes' list
 * (SOTAY_FAILED_PRECONDITION otherwise), a repeat's entry takes its parent's. */
int sotay_create_record(sotay_notebook* nb, const char* form_id, const char* answers_json,
                        const char* parent_id, const char* commune, const char* lang, char** result_json,
                        sotay_error* err);

/* The communes this device's user may record in, as the server last said:
 * {"communes": [{"code", "name"}], "needs_choice": true when sotay_create_record
 * must be given one (a district officer's phone)}. */
int sotay_communes(sotay_notebook* nb, char** communes_json, sotay_error* err);

/* Changes answers of a record; same result shape as sotay_create_record. */
int sotay_edit_record(sotay_notebook* nb, const char* record_id, const char* changes_json,
                      const char* lang, char** result_json, sotay_error* err);

/* A record as {"id", "form", "version", "area", "parent", "void", "answers": {...},
 * "conflicts": [field, ...]}. */
int sotay_get_record(sotay_notebook* nb, const char* record_id, char** record_json, sotay_error* err);

/* Records as [{"id", "form", "name", "void", "conflict", "updated_ms", "error"}], the
 * query matched ignoring diacritics. `form_id` and `query` may be NULL. */
int sotay_list_records(sotay_notebook* nb, const char* form_id, const char* query, const char* lang,
                       char** list_json, sotay_error* err);

void sotay_free_string(char* s);

/* ---- Enrollment and sync (libraries sotay_sync and sotay_c_api) --------------------------
 *
 * The app speaks HTTP with its platform's stack; the core makes, signs and reads
 * the requests (sotay/sync_run.h, sotay/enrollment.h). Enrolling:
 *   1. sotay_enroll_begin gives the JSON body and a nonce;
 *   2. the app POSTs the body to <server>/v1/enroll with header X-Sotay-Nonce: nonce
 *      and fills a reply made by sotay_reply_new (status, body, and the headers);
 *   3. sotay_enroll_finish checks that the answer is signed, over the nonce, by the
 *      server key it names, and keeps the server, that key, the user, area, role and
 *      communes sealed, in one transaction. Nothing is kept from a refused, unsigned
 *      or malformed answer.
 * Every answer to a sync must then be signed by the pinned key (docs/sync-protocol.md,
 * "Signed answers"). */

/* {"device_id": "...", "public_key": "<base64 Ed25519>"}. */
int sotay_device_identity(sotay_notebook* nb, char** identity_json, sotay_error* err);

/* The answer to one request, filled by the app's transport. */
typedef struct sotay_reply sotay_reply;
/* A reply for the enrollment request (sotay_sync makes its own); release it with
 * sotay_reply_free. */
sotay_reply* sotay_reply_new(void);
void sotay_reply_free(sotay_reply* reply);
/* An answer came: its HTTP status and body, as the platform's HTTP stack gives it
 * (sotay undoes a zstd or gzip body the stack left packed).
 * The body is copied. */
void sotay_reply_set(sotay_reply* reply, int http_status, const void* body, size_t body_len);
/* No answer came (no signal, a timeout): why, for the log. Leaving the reply unset
 * means the same. */
void sotay_reply_fail(sotay_reply* reply, const char* why);
/* One header of the answer (copied); call it for every header, or at least for
 * X-Sotay-Server-Signature and X-Sotay-Server-Key, after sotay_reply_set. An answer
 * without them is refused as unsigned and nothing of it is applied. */
void sotay_reply_set_header(sotay_reply* reply, const char* name, const char* value);

/* Step 1 of enrolling with the one-time `code`: *body_json to POST, *nonce to send
 * as header X-Sotay-Nonce (both released with sotay_free_string). */
int sotay_enroll_begin(sotay_notebook* nb, const char* code, char** body_json, char** nonce, sotay_error* err);
/* Step 3: reads the server's answer to the request of step 1 sent with `nonce`. On success *enrolled_json is {"user", "area", "role",
 * "communes": [{"code", "name"}]}. SOTAY_TAMPERED for an answer not signed by the key
 * it names, SOTAY_CORRUPT for a malformed one, SOTAY_FAILED_PRECONDITION with the
 * server's reason for a refusal (a used or expired code), SOTAY_IO_ERROR when no
 * answer came. */
int sotay_enroll_finish(sotay_notebook* nb, const char* server_url, const char* nonce, const sotay_reply* reply,
                        char** enrolled_json, sotay_error* err);

/* POSTs `body` to <server_url>/v1/sync with the given headers (among them
 * Content-Encoding: gzip or zstd) and fills `reply`. Called on a thread of sotay_sync's
 * own, one request at a time, while sotay_sync's thread stores the last answer. */
typedef void (*sotay_post_fn)(void* user_data, const char* const* header_names,
                              const char* const* header_values, size_t n_headers, const void* body,
                              size_t body_len, sotay_reply* reply);

/* One whole sync: pushes the outbox, pulls until caught up, merges. Returns 0 when
 * done, -1 with `err` set when it stopped; what earlier answers brought is kept
 * either way, and the next sync goes on from there. When `summary_json` is not NULL
 * it is set in both cases: {"sent", "received", "new_conflicts", "exchanges",
 * "bytes_up", "bytes_down", "rejected": [{"dot", "reason"}], "http_status" (of a
 * refusal, else 0), "server_error" ("revoked", "stale", ... or ""), "unanswered"}. */
int sotay_sync(sotay_notebook* nb, sotay_post_fn post, void* user_data, char** summary_json, sotay_error* err);

/* {"server_url", "outbox", "refused", "last_sync_ms" (0: never)}: for the app's
 * status screen; "refused" counts the kept refusals below. */
int sotay_sync_status(sotay_notebook* nb, char** status_json, sotay_error* err);

/* Edits the server refused, kept until retried or dropped: [{"dot", "record",
 * "field", "reason", "refused_ms"}], oldest first ("record" and "field" are "" when
 * the edit had left the outbox before). */
int sotay_rejected(sotay_notebook* nb, char** list_json, sotay_error* err);
/* Puts every kept refusal back in the outbox (after the fix); returns how many, or -1. */
int sotay_rejected_retry(sotay_notebook* nb, sotay_error* err);
/* Forgets the refusal of `dot` ("device:counter" as listed), or all when NULL; the
 * values stay on this device only. Returns how many, or -1. */
int sotay_rejected_drop(sotay_notebook* nb, const char* dot, sotay_error* err);

/* Attaches the file at `path` (UTF-8) to the record's image or file question
 * `field`, as `sotay attach` does: a JPEG or PNG is first reduced to the field's
 * `max-pixels`, turned upright and stripped of its EXIF and GPS position, in memory
 * (docs/forms-files.md, "What happens to a photo"); the bytes kept are sealed into
 * the notebook and sent at the next sotay_sync. On success *result_json is
 * {"id", "issues": [], "edits", "file": {"sha256", "size", "media_type", "ext"},
 * "image": {"action": "kept" | "stripped" | "reencoded", "width", "height",
 * "out_width", "out_height", "bytes_before", "removed_metadata", "removed_location"},
 * "message": one line for the worker in `lang`, "" when nothing was changed};
 * issues as sotay_edit_record's. A file too large or of a type the field refuses,
 * or an image declaring over 100 megapixels, is SOTAY_INVALID_ARGUMENT naming it,
 * and nothing is stored. */
int sotay_attach(sotay_notebook* nb, const char* record_id, const char* field, const char* path, const char* lang,
                 char** result_json, sotay_error* err);

#ifdef __cplusplus
}
#endif

#endif /* SOTAY_C_H_ */
