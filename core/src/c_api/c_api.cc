// The C API (sotay_c.h): conversions around sotay::Notebook, nothing more.
#include "sotay/sotay_c.h"

#include <cstdlib>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "c_api_support.h"
#include "sotay/notebook.h"
#include "sotay/presentation.h"

namespace {

using nlohmann::json;
using sotay::capi::Copy;
using sotay::capi::Guard;
using sotay::capi::Report;

// The answers for a record of `form_id` (version 0: the newest), by the rule every
// client shares (sotay::AnswersFromJson).
sotay::Result<sotay::Answers> ParseAnswers(const sotay::Notebook& nb, const std::string& form_id, int version,
                                           const char* text, const char* lang) {
  auto form = nb.FindForm(form_id, version);
  if (!form.ok()) return form.status();
  return sotay::AnswersFromJson(**form, text != nullptr ? text : "{}", lang != nullptr ? lang : "vi");
}

std::string OutcomeJson(const sotay::SaveOutcome& o) {
  json issues = json::array();
  for (const auto& i : o.issues) issues.push_back({{"field", i.field}, {"message", i.message}});
  return json{{"id", o.ok() ? o.id : ""}, {"issues", issues}, {"edits", o.edits}}.dump();
}

sotay_notebook* OpenOrCreate(bool create, const char* path, const char* passphrase, const void* extra,
                             size_t extra_len, sotay_error* err) {
  if (path == nullptr || passphrase == nullptr) {
    Report(err, sotay::Status::InvalidArgument("path and passphrase are required"));
    return nullptr;
  }
  sotay::NotebookOptions o;
  if (extra != nullptr) o.extra_secret.assign(static_cast<const char*>(extra), extra_len);
  auto nb = create ? sotay::Notebook::Create(path, passphrase, o) : sotay::Notebook::Open(path, passphrase, o);
  if (!o.extra_secret.empty()) sodium_memzero(&o.extra_secret[0], o.extra_secret.size());
  if (!nb.ok()) {
    Report(err, nb.status());
    return nullptr;
  }
  return new sotay_notebook{std::move(nb).value()};
}

}  // namespace

extern "C" {

sotay_notebook* sotay_create(const char* path, const char* passphrase, const void* extra, size_t extra_len,
                             sotay_error* err) {
  return Guard(err, static_cast<sotay_notebook*>(nullptr),
               [&] { return OpenOrCreate(true, path, passphrase, extra, extra_len, err); });
}

sotay_notebook* sotay_open(const char* path, const char* passphrase, const void* extra, size_t extra_len,
                           sotay_error* err) {
  return Guard(err, static_cast<sotay_notebook*>(nullptr),
               [&] { return OpenOrCreate(false, path, passphrase, extra, extra_len, err); });
}

void sotay_close(sotay_notebook* nb) { delete nb; }

int sotay_set_profile(sotay_notebook* nb, const char* area, const char* author, sotay_error* err) {
  return Guard(err, -1, [&] {
    return Report(err, nb->nb->SetProfile(area != nullptr ? area : "", author != nullptr ? author : ""));
  });
}

int sotay_install_form(sotay_notebook* nb, const char* form_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto r = nb->nb->InstallForm(form_json != nullptr ? form_json : "", "form from the app");
    return Report(err, r.status());
  });
}

int sotay_api_version(void) { return SOTAY_C_API_VERSION; }

// Set by core/CMakeLists.txt from the project's version; the fallback keeps a build
// outside CMake compiling and honest about it.
#ifndef SOTAY_VERSION_STRING
#define SOTAY_VERSION_STRING "unknown"
#endif
const char* sotay_version(void) { return SOTAY_VERSION_STRING; }

int sotay_create_record(sotay_notebook* nb, const char* form_id, const char* answers_json, const char* parent_id,
                        const char* commune, const char* lang, char** result_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto answers = ParseAnswers(*nb->nb, form_id != nullptr ? form_id : "", 0, answers_json, lang);
    if (!answers.ok()) return Report(err, answers.status());
    auto r = nb->nb->CreateRecord(form_id != nullptr ? form_id : "", *answers, parent_id != nullptr ? parent_id : "",
                                  lang != nullptr ? lang : "vi", commune != nullptr ? commune : "");
    if (!r.ok()) return Report(err, r.status());
    *result_json = Copy(OutcomeJson(*r));
    return 0;
  });
}

int sotay_communes(sotay_notebook* nb, char** communes_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    json list = json::array();
    for (const sotay::Commune& c : nb->nb->communes()) list.push_back({{"code", c.code}, {"name", c.name}});
    *communes_json = Copy(json{{"communes", list}, {"needs_choice", nb->nb->NeedsCommuneChoice()}}.dump());
    return 0;
  });
}

int sotay_edit_record(sotay_notebook* nb, const char* record_id, const char* changes_json, const char* lang,
                      char** result_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto record = nb->nb->Get(record_id != nullptr ? record_id : "");
    if (!record.ok()) return Report(err, record.status());
    auto changes = ParseAnswers(*nb->nb, record->form, record->version, changes_json, lang);
    if (!changes.ok()) return Report(err, changes.status());
    auto r = nb->nb->EditRecord(record_id != nullptr ? record_id : "", *changes, lang != nullptr ? lang : "vi");
    if (!r.ok()) return Report(err, r.status());
    *result_json = Copy(OutcomeJson(*r));
    return 0;
  });
}

int sotay_get_record(sotay_notebook* nb, const char* record_id, char** record_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    auto v = nb->nb->Get(record_id != nullptr ? record_id : "");
    if (!v.ok()) return Report(err, v.status());
    json j = {{"id", v->id},         {"form", v->form},       {"version", v->version},
              {"area", v->area},     {"parent", v->parent},   {"void", v->is_void()},
              {"answers", v->shown}, {"conflicts", v->state.Conflicts()}, {"updated_ms", v->updated_ms}};
    *record_json = Copy(j.dump());
    return 0;
  });
}

int sotay_list_records(sotay_notebook* nb, const char* form_id, const char* query, const char* lang,
                       char** list_json, sotay_error* err) {
  return Guard(err, -1, [&] {
    sotay::ListFilter f;
    f.form = form_id != nullptr ? form_id : "";
    f.query = query != nullptr ? query : "";
    auto rows = nb->nb->List(f, lang != nullptr ? lang : "vi");
    if (!rows.ok()) return Report(err, rows.status());
    json out = json::array();
    for (const auto& r : *rows) {
      out.push_back({{"id", r.id},           {"form", r.form},           {"name", r.name},
                     {"void", r.is_void},    {"conflict", r.in_conflict}, {"updated_ms", r.updated_ms},
                     {"error", r.status.ok() ? "" : r.status.ToString()}});
    }
    *list_json = Copy(out.dump());
    return 0;
  });
}

void sotay_free_string(char* s) { std::free(s); }

}  // extern "C"
