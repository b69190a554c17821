// `sotay ui`: the notebook served to a browser on this computer (README, "sotay ui").
// The pieces: ui_safety.h (who may reach it), ui_server.cc (the loopback server,
// the session, unlocking and the idle lock), ui_html.cc (the page frame and its
// CSS, escaping; ui_script.cc, its one script), ui_pages.cc (home, a record),
// ui_register.cc (the register of children), ui_form.cc (a form
// walked step by step by the core's Interview, kept as a draft), ui_sync.cc (sync
// and conflicts).
//
// Thread-safety: httplib answers on several threads; every handler that touches the
// notebook holds App::mu (a Notebook is one thread's at a time).
#pragma once

#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>

#include "../shell.h"
#include "ui_safety.h"

namespace sotay::shell::ui {

struct App {
  std::mutex mu;  // guards everything below
  Context ctx;    // the shell's (store path; its lang is the default)
  std::unique_ptr<Notebook> nb;  // null while locked
  int wrong_tries = 0;           // wrong passphrases in a row
  IdleClock idle{15 * 60 * 1000};
  std::string last_sync;         // the last sync's outcome, as a sentence ("" before any)
};

// The language of this request: ?lang= (kept in a cookie by the server), else the
// cookie, else the shell's.
std::string LangOf(const httplib::Request& req, const App& app);

// Pages. Each handler is called with app.mu held and the notebook unlocked.
void AddPages(httplib::Server& svr, App& app);      // ui_pages.cc
void AddRegisterPage(httplib::Server& svr, App& app);  // ui_register.cc
void AddFormPages(httplib::Server& svr, App& app);  // ui_form.cc
void AddSyncPages(httplib::Server& svr, App& app);  // ui_sync.cc

// Wraps a page handler: takes app.mu, answers the unlock page while locked.
httplib::Server::Handler Unlocked(App& app, std::function<void(const httplib::Request&, httplib::Response&,
                                                                Notebook&, const std::string& lang)> page);

// `sotay ui` itself (ui_server.cc).
int Serve(Context& ctx);

// "Last successful sync: ... · N changes waiting", shown on every page (ui_sync.cc).
std::string LastSyncLine(Notebook& nb, const std::string& lang);

// A 303 to `to` (after a POST, so reloading does not post again).
void SeeOther(httplib::Response& res, const std::string& to);

}  // namespace sotay::shell::ui
