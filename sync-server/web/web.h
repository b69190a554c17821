// The dashboard for district staff (issue 5), served by sotay-server itself:
//
//   GET  /login, POST /login, POST /logout, GET /lang/{vi,en}
//   GET  /records (filters in the query), POST /records (a name search: names stay
//        out of URLs), GET /records/{id}
//   POST /records/transfer (a child moves to another commune)
//   GET  /conflicts, POST /conflicts/resolve
//   GET  /duplicates, POST /duplicates/merge, POST /duplicates/not-same
//   GET  /cases, GET /reports, GET /export, GET /export/file
//   GET  /audit                                   administrators
//   GET  /admin/users, GET /admin/devices,        administrators
//   POST /admin/devices/revoke, POST /admin/codes
//   GET  /account/password, POST /account/password   every signed-in user
//   GET  /static/sotay.css, /static/sotay.js
//
// Every page but /login and /static needs a session (else: 303 to /login); every
// POST but /login needs the session's CSRF token; records are reached only in the
// communes the user's role and area allow (access.h), by the same rule as sync.
//
// Thread-safety: handlers take the store's mutex for their reads and writes.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app_context.h"
#include "http/rate_limiter.h"
#include "sotay/duplicates.h"
#include "web/dashboard_store.h"
#include "web/form_body.h"
#include "web/html.h"
#include "web/list_counts.h"
#include "web/record_index.h"
#include "web/report_cache.h"

namespace sotay::server::web {

// At most `max` holders at once; the rest wait their turn.
class Gate {
 public:
  explicit Gate(int max) : free_(max) {}
  void Enter() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void Leave() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
};

// The register's duplicate scan over one set of communes (page_duplicates.cc), kept
// until a profile of them changes.
struct DuplicateScan {
  std::string key;  // the profiles' count and newest updated_seq when scanned
  std::vector<DuplicateCandidate> pairs;
  size_t profiles = 0;
  double seconds = 0;
};

// Lives as long as the server: the dashboard's memory.
struct WebState {
  RecordIndex index;              // under AppContext::mu
  std::map<std::string, DuplicateScan> duplicate_scans;  // by the communes scanned; under AppContext::mu
  ReportCache reports;            // /reports' figures; under AppContext::mu
  ListCounts list_counts;         // /records' total, villages and workers; under AppContext::mu
  // Each password check takes Argon2id's memory (12 MiB; 64 for a hash made before
  // that, until its next sign-in): two at a time bound what a burst of sign-ins can
  // take, whatever the number of addresses it comes from.
  Gate password_checks{2};
};

// One request as a page handler sees it.
struct WebRequest {
  AppContext& app;
  const HttpRequest& http;
  RequestNote& note;
  Viewer viewer;
  FormValues form;  // a POST's fields
  int64_t since_ms = 0;  // the viewer's sign-in before this session (0: first)
  bool index_fresh = false;  // the record index was brought up to date for this request
};

// Entry point from App::Route for every path outside /v1/, /healthz and /metrics.
HttpResponse HandleWeb(AppContext& ctx, const HttpRequest& req, RequestNote& note);

// The path as logs and metrics name it: ids replaced by "{id}", unknown paths "other".
std::string RouteLabel(const std::string& path);

// Writes an audit entry in its own transaction. REQUIRES: ctx.mu held.
Status Audit(AppContext& ctx, const std::string& actor, const std::string& action, const std::string& target,
             const std::string& detail);

// The principal a signed-in viewer acts as (no device).
Principal PrincipalOf(const Viewer& v);

// A record's display name (its instance name, else its form's title).
std::string RecordName(const AppContext& ctx, const IndexedRecord& rec, const Viewer& v);
// A commune's name, or its code when unknown.
std::string AreaName(const AppContext& ctx, const std::string& code);

// The 403 an administrator gets on a page about children's records.
HttpResponse AdminsSeeNoRecords(const Viewer& v);
// The record index (record_index.h) brought up to date, after the published forms.
// REQUIRES: r.app.mu held, no transaction open.
Result<RecordIndex*> FreshIndex(WebRequest& r);
// A query of every commune the viewer may see (access.h), for the caller to narrow.
RecordQuery VisibleQuery(const WebRequest& r);
// The records `q` picks, from the index brought up to date. REQUIRES: r.app.mu held.
Result<std::vector<IndexedRecord>> SelectRecords(WebRequest& r, const RecordQuery& q);
// One record read fresh from its state (RecordIndex::One), the published forms
// refreshed first, when it lies in a commune the viewer may see; nullopt when it
// does not exist or lies outside them. REQUIRES: r.app.mu held.
Result<std::optional<IndexedRecord>> VisibleRecord(WebRequest& r, const std::string& id);

// The pages (one file each).
HttpResponse RecordsPage(WebRequest& r);
HttpResponse RecordPage(WebRequest& r, const std::string& id);
// Files on records (page_record_file.cc): the record page's links (a verified
// image shown inline; a purged file said so), and a download. REQUIRES: mu held.
Result<std::string> FileLinks(WebRequest& r, const Form* form, const std::string& id, const RecordFacts& s,
                              const std::function<bool(const std::string&)>& shows);
HttpResponse RecordFile(WebRequest& r, const std::string& id, const std::string& field);
// page_transfer.cc: the transfer form on a child's profile page ("" when the viewer
// may not move it), and POST /records/transfer.
std::string TransferForm(const AppContext& ctx, const Viewer& v, const IndexedRecord& rec);
HttpResponse TransferPost(WebRequest& r);
HttpResponse ConflictsPage(WebRequest& r);
HttpResponse ResolveConflict(WebRequest& r);
HttpResponse DuplicatesPage(WebRequest& r);
HttpResponse NotSamePost(WebRequest& r);
HttpResponse MergePost(WebRequest& r);
// On a register profile's page: the banner of a profile merged into another, or the
// list of those merged into this one ("" when neither). REQUIRES: r.app.mu held.
Result<std::string> MergeNotice(WebRequest& r, const IndexedRecord& rec);
HttpResponse CasesPage(WebRequest& r);
HttpResponse ReportFile(WebRequest& r);
HttpResponse ReportsPage(WebRequest& r);
// The year report of `unit` for `period`, the one /reports shows and its download
// writes: computed from the unit's communes' records as they stood at the period's
// end, or kept from before when none of them changed (web/report_cache.h).
// REQUIRES: r.app.mu held, the forms refreshed.
Result<const CachedReport*> UnitFigures(WebRequest& r, const std::string& unit, const ReportPeriod& period);
HttpResponse ExportPage(WebRequest& r);
HttpResponse ExportFile(WebRequest& r);
HttpResponse AuditPage(WebRequest& r);
HttpResponse UsersPage(WebRequest& r);
HttpResponse DevicesPage(WebRequest& r);
HttpResponse RevokeDevicePost(WebRequest& r);
HttpResponse IssueCodePost(WebRequest& r);
HttpResponse PasswordPage(WebRequest& r);  // GET and POST /account/password, every signed-in user

// Static assets.
extern const char* const kStylesheet;
extern const char* const kScript;

}  // namespace sotay::server::web
