// `sotay ui`: the loopback server, its session and the notebook's lock (ui_app.h).
// Every request passes Judge (ui_safety.h) before any page sees it; the notebook
// is opened with the passphrase on the unlock page, by Notebook::Open and the
// shell's wait after a wrong one, and closed again after the idle time.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "sotay/env.h"
#include "sotay/lang.h"
#include "sotay/os.h"
#include "ui_app.h"
#include "ui_html.h"
#include "ui_sync_job.h"

namespace sotay::shell::ui {

namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Only a path of this server: never another site, nor "//host".
std::string LocalPath(const std::string& next) {
  if (next.size() < 1 || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) return "/";
  return next;
}

std::string UnlockPage(const App& app, const std::string& lang, const std::string& next, const std::string& issue) {
  std::string body = "<section class=\"group\"><form method=\"post\" action=\"/unlock\">"
                     "<input type=\"hidden\" name=\"next\" value=\"" + Esc(LocalPath(next)) + "\">"
                     "<label class=\"q\" for=\"passphrase\">" + Pick(lang, "Mật khẩu sổ tay", "Notebook passphrase") +
                     "</label><input type=\"password\" id=\"passphrase\" name=\"passphrase\" autofocus "
                     "autocomplete=\"current-password\"" + (issue.empty() ? "" : " aria-invalid=\"true\"") + ">";
  if (!issue.empty()) body += "<p class=\"issue\" id=\"unlock-issue\">" + Esc(issue) + "</p>";
  if (app.lock_wanted && app.sync && app.sync->Snapshot().running) {
    body += "<p class=\"hint\" id=\"locking\">" +
            std::string(Pick(lang, "Lần đồng bộ đang chạy sẽ chạy nốt, rồi sổ tay rời khỏi bộ nhớ.",
                             "The sync under way runs to its end, then the notebook leaves memory.")) +
            "</p>";
  }
  body += "<div class=\"actions\"><button type=\"submit\">" + std::string(Pick(lang, "Mở sổ tay", "Unlock")) +
          "</button></div></form><p class=\"hint\">" + Esc(app.ctx.store_path) + "</p></section>";
  return Page(lang, Pick(lang, "Sổ tay đang khóa", "The notebook is locked"), body, false, "/");
}

void OpenBrowser(const std::string& url) {
  // Best effort: the URL is printed anyway. The token is in the child's arguments
  // for a moment, as it is in the browser's; it only opens this run's session.
#ifdef _WIN32
  std::string cmd = "start \"\" \"" + url + "\"";
#else
  std::string cmd = "xdg-open '" + url + "' >/dev/null 2>&1 &";
#endif
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "sotay ui: could not open a browser; open the address above\n";
  }
}

}  // namespace

std::string LangOf(const httplib::Request& req, const App& app) {
  std::string lang = req.get_param_value("lang");
  if (lang != "vi" && lang != "en") lang = CookieValue(req.get_header_value("Cookie"), "sotay_lang");
  if (lang != "vi" && lang != "en") lang = app.ctx.lang;
  return LangCode(lang);
}

void SeeOther(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", LocalPath(to));
}

void RequestLock(App& app) {
  app.lock_wanted = true;
  std::unique_lock<std::mutex> held(app.mu, std::try_to_lock);
  if (held.owns_lock()) LockIfWanted(app);
}

void LockIfWanted(App& app) {
  if (!app.lock_wanted) return;
  app.nb.reset();
  app.lock_wanted = false;
}

httplib::Server::Handler Unlocked(App& app, std::function<void(const httplib::Request&, httplib::Response&,
                                                                Notebook&, const std::string& lang)> page) {
  return [&app, page](const httplib::Request& req, httplib::Response& res) {
    const std::string lang = LangOf(req, app);
    if (app.lock_wanted) {  // locked, though a sync still holds the notebook: no waiting for it
      res.set_content(UnlockPage(app, lang, req.target, ""), "text/html; charset=utf-8");
      return;
    }
    std::lock_guard<std::mutex> lock(app.mu);
    LockIfWanted(app);
    if (!app.nb) {
      res.set_content(UnlockPage(app, lang, req.target, ""), "text/html; charset=utf-8");
      return;
    }
    page(req, res, *app.nb, lang);
    // The last successful sync, always in sight: put on every page after its heading.
    const size_t at = res.body.find("</h1>");
    if (at != std::string::npos && app.nb) {
      res.body.insert(at + 5, "<p id=\"last-sync\" class=\"hint\">" + Esc(LastSyncLine(*app.nb, lang)) + "</p>");
    }
  };
}

int Serve(Context& ctx) {
  bool open_browser = true;
  long idle_minutes = 15;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    if (a == "--no-browser") {
      open_browser = false;
    } else if (a == "--idle-minutes" && i + 1 < ctx.args.size()) {
      char* end = nullptr;
      idle_minutes = std::strtol(ctx.args[++i].c_str(), &end, 10);
      if (*end != '\0' || idle_minutes < 1 || idle_minutes > 24 * 60) {
        std::cerr << "sotay ui: " << Tr(ctx, "--idle-minutes cần số phút từ 1 đến 1440\n",
                                        "--idle-minutes takes a number of minutes from 1 to 1440\n");
        return kUsage;
      }
    } else {
      std::cerr << "sotay ui: " << Tr(ctx, "không hiểu '", "unexpected '") << a << "'\n"
                << Tr(ctx, "Cách dùng: sotay ui [--no-browser] [--idle-minutes N]\n",
                      "Usage: sotay ui [--no-browser] [--idle-minutes N]\n");
      return kUsage;
    }
  }
  std::error_code ec;
  if (!std::filesystem::exists(PathFromUtf8(ctx.store_path), ec)) {
    std::cerr << "sotay: " << Tr(ctx, "Chưa có sổ tay ở ", "No notebook at ") << ctx.store_path
              << Tr(ctx, ". Hãy chạy: sotay init\n", ". Run: sotay init\n");
    return kNotFound;
  }

  App app;
  app.ctx = ctx;
  app.idle = IdleClock(idle_minutes * 60 * 1000);
  app.idle.Touch(SteadyMs());
  app.sync = std::make_unique<SyncJob>(app);
  Secrets secrets;
  secrets.token = RandomHex(Env::Default(), 32);
  secrets.session = RandomHex(Env::Default(), 32);

  httplib::Server svr;
  // The largest body is a file attached on a record's page: a field allows at most
  // 25 MiB, and the multipart framing around it is small.
  svr.set_payload_max_length(size_t{26} << 20);
  const int port = svr.bind_to_any_port("127.0.0.1");  // loopback only, a port the system picks
  if (port <= 0) {
    std::cerr << "sotay ui: " << Tr(ctx, "không mở được cổng trên 127.0.0.1\n", "could not open a port on 127.0.0.1\n");
    return kFailed;
  }
  secrets.port = port;
  svr.set_default_headers({
      {"Cache-Control", "no-store"},
      {"X-Frame-Options", "DENY"},
      {"X-Content-Type-Options", "nosniff"},
      // Not no-referrer: under it Chromium sends "Origin: null" with a form's POST,
      // which the Origin check must refuse. same-origin tells no other site anything.
      {"Referrer-Policy", "same-origin"},
      // Nothing but this server's own stylesheet and its one script (/ui.js: no
      // inline script, no eval), which may fetch only this server's pages (the
      // register as the worker types); no frame, forms posted only here.
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
  });
  svr.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    RequestFacts facts{req.method, req.get_header_value("Host"), req.get_header_value("Origin"),
                       req.get_header_value("Sec-Fetch-Site"), req.get_param_value("t"),
                       req.get_header_value("Cookie")};
    const Verdict v = Judge(facts, secrets);
    if (v != Verdict::kAllow && v != Verdict::kExchangeToken) {
      res.status = 403;
      res.set_content(RefusalText(v), "text/plain; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.get_param_value("auto") != "1") {  // kAutoRefresh: a page reloading itself is nobody at work
      std::lock_guard<std::mutex> lock(app.idle_mu);
      app.idle.Touch(SteadyMs());
    }
    const std::string lang = req.get_param_value("lang");
    if (lang == "vi" || lang == "en") res.set_header("Set-Cookie", "sotay_lang=" + lang + "; Path=/; SameSite=Strict");
    if (v == Verdict::kExchangeToken) {
      res.set_header("Set-Cookie", SessionCookie(secrets));
      SeeOther(res, req.path);  // the address without the token
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  svr.Get("/ui.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(StyleSheet(), "text/css; charset=utf-8");
  });
  svr.Get("/ui.js", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Script(), "text/javascript; charset=utf-8");
  });
  svr.Post("/unlock", [&app](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(app.mu);  // one try at a time, waits included
    const std::string lang = LangOf(req, app);
    const std::string next = LocalPath(req.get_param_value("next"));
    LockIfWanted(app);  // a lock asked for during a sync holds: the passphrase again
    if (app.nb) return SeeOther(res, next);
    auto nb = Notebook::Open(app.ctx.store_path, req.get_param_value("passphrase"));
    if (nb.ok()) {
      app.nb = std::move(nb).value();
      app.wrong_tries = 0;
      return SeeOther(res, next);
    }
    std::string issue;
    if (nb.status().code() == Status::Code::kWrongPassphrase) {
      WaitAfterWrongPassphrase(++app.wrong_tries);
      issue = Pick(lang, "Sai mật khẩu: mật khẩu này không mở được sổ tay.",
                   "Wrong passphrase: it does not open this notebook.");
    } else {
      issue = nb.status().message();  // the store's reason names the file, never the passphrase
    }
    res.status = 403;
    res.set_content(UnlockPage(app, lang, next, issue), "text/html; charset=utf-8");
  });
  svr.Post("/lock", [&app](const httplib::Request&, httplib::Response& res) {
    RequestLock(app);  // at once, even while a sync on a slow link holds the notebook
    SeeOther(res, "/");
  });
  AddPages(svr, app);
  AddRegisterPage(svr, app);
  AddFormPages(svr, app);
  AddSyncPages(svr, app);
  AddReportPages(svr, app);
  AddFilePages(svr, app);
  AddTransferPages(svr, app);

  // The idle lock: the notebook (and its key) leaves memory after the idle time.
  std::atomic<bool> running{true};
  std::mutex wake_mu;
  std::condition_variable wake;
  std::thread watcher([&] {
    std::unique_lock<std::mutex> wait_lock(wake_mu);
    while (running) {
      wake.wait_for(wait_lock, std::chrono::seconds(5));
      bool expired = false;
      {
        std::lock_guard<std::mutex> idle_lock(app.idle_mu);
        expired = app.idle.Expired(SteadyMs());
      }
      // Asked again every 5 s while idle: it takes once nothing holds the notebook.
      if (expired) {
        std::unique_lock<std::mutex> held(app.mu, std::try_to_lock);
        if (!held.owns_lock()) {
          app.lock_wanted = true;  // a sync holds it: it lets go of the notebook as it ends
        } else if (app.nb) {
          app.lock_wanted = true;
          LockIfWanted(app);
        }
      }
    }
  });

  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/?t=" + secrets.token;
  std::cout << Tr(ctx, "Sổ tay đang mở ở: ", "The notebook is served at: ") << url << "\n"
            << Tr(ctx, "Ctrl-C để dừng.\n", "Ctrl-C stops it.\n") << std::flush;
  if (open_browser) OpenBrowser(url);
  const bool served = svr.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(wake_mu);
    running = false;
  }
  wake.notify_all();
  watcher.join();
  return served ? kOk : kFailed;
}

}  // namespace sotay::shell::ui

namespace sotay::shell {
int CmdUi(Context& ctx) { return ui::Serve(ctx); }
}  // namespace sotay::shell
