// `sotay ui`: the notebook served to a browser on this computer (README, "sotay ui").
// The pieces: ui_safety.h (who may reach it), ui_server.cc (the loopback server,
// the session, unlocking and the idle lock), ui_html.cc (the page frame and its
// CSS, escaping; ui_script.cc, its one script), ui_pages.cc (home, a record),
// ui_register.cc (the register of children), ui_form.cc (a form walked step by step
// by the core's Interview, kept as a draft; its link fields searched by
// ui_link_picker.cc), ui_sync.cc (sync and conflicts), ui_sync_job.cc (the sync in
// the background, with its retries), ui_reports.cc (the indicators of the
// notebook's records), ui_files.cc (a record's files: download, attach),
// ui_transfer.cc (a child moved to another commune).
//
// Thread-safety: httplib answers on several threads; every handler that touches the
// notebook holds App::mu (a Notebook is one thread's at a time).
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "../shell.h"
#include "ui_safety.h"

namespace sotay::shell::ui {

class SyncJob;  // ui_sync_job.h

struct App {
  std::mutex mu;  // guards nb and wrong_tries
  Context ctx;    // the shell's (store path; its lang is the default); read-only once served
  std::unique_ptr<Notebook> nb;  // null while locked
  int wrong_tries = 0;           // wrong passphrases in a row
  // Set by Lock (and the idle lock) when the notebook could not be dropped at once
  // because a background sync holds it: every page answers as locked from then on,
  // and whoever next holds mu (the sync as it ends) drops the notebook and clears it.
  std::atomic<bool> lock_wanted{false};
  // Apart from mu, which a background sync holds: every request touches it.
  std::mutex idle_mu;
  IdleClock idle{15 * 60 * 1000};
  std::unique_ptr<SyncJob> sync;  // made by Serve; last, so it ends before the rest
};

// The language of this request: ?lang= (kept in a cookie by the server), else the
// cookie, else the shell's.
std::string LangOf(const httplib::Request& req, const App& app);

// Pages. Each handler is called with app.mu held and the notebook unlocked.
void AddPages(httplib::Server& svr, App& app);      // ui_pages.cc
void AddRegisterPage(httplib::Server& svr, App& app);  // ui_register.cc
void AddFormPages(httplib::Server& svr, App& app);  // ui_form.cc
void AddSyncPages(httplib::Server& svr, App& app);  // ui_sync.cc
void AddReportPages(httplib::Server& svr, App& app);  // ui_reports.cc
void AddFilePages(httplib::Server& svr, App& app);    // ui_files.cc
void AddTransferPages(httplib::Server& svr, App& app);  // ui_transfer.cc

// Wraps a page handler: takes app.mu, answers the unlock page while locked.
httplib::Server::Handler Unlocked(App& app, std::function<void(const httplib::Request&, httplib::Response&,
                                                                Notebook&, const std::string& lang)> page);

// Locks the notebook: at once when nothing holds it, else (a sync under way) every
// page answers as locked now and the notebook leaves memory when the sync lets go of
// it. Never waits.
void RequestLock(App& app);
// With app.mu held: drops the notebook if a lock was asked for meanwhile.
void LockIfWanted(App& app);

// `sotay ui` itself (ui_server.cc).
int Serve(Context& ctx);

// "Last successful sync: ... · N changes waiting", shown on every page (ui_sync.cc).
std::string LastSyncLine(Notebook& nb, const std::string& lang);

// In the query of a page's own reload (the sync page's): not the worker's doing, so
// it does not put off the idle lock.
inline constexpr const char* kAutoRefresh = "auto=1";

// A 303 to `to` (after a POST, so reloading does not post again).
void SeeOther(httplib::Response& res, const std::string& to);

}  // namespace sotay::shell::ui
