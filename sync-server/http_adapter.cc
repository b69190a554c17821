#include "http_adapter.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "sotay/gzip.h"

namespace sotay::server {

namespace {

constexpr size_t kGzipFrom = 1024;  // smaller answers are not worth compressing

HttpRequest ToPlain(const httplib::Request& r, bool secure) {
  HttpRequest p;
  p.method = r.method;
  p.path = r.path;
  p.remote_addr = r.remote_addr;
  p.secure = secure;
  for (const auto& [name, value] : r.params) p.query.emplace(name, value);
  for (const auto& [name, value] : r.headers) p.headers.emplace(name, value);  // the first of repeated headers
  return p;
}

void FromPlain(const HttpRequest& req, HttpResponse plain, httplib::Response& res) {
  res.status = plain.status;
  for (const auto& [name, value] : plain.headers) res.set_header(name.c_str(), value);
  // httplib compresses text/* itself (when the client accepts it); CBOR is ours to do.
  if (plain.content_type == "application/cbor" && plain.body.size() >= kGzipFrom &&
      req.Header("Accept-Encoding").find("gzip") != std::string::npos) {
    if (auto gz = Gzip(plain.body)) {
      plain.body = std::move(*gz);
      res.set_header("Content-Encoding", "gzip");
      res.set_header("Vary", "Accept-Encoding");
    }
  }
  res.set_content(std::move(plain.body), plain.content_type.c_str());
}

// Reads the body through httplib (which undoes gzip), never holding more than
// `limit` bytes: a small compressed body cannot expand into a large one.
void ReadBody(const httplib::ContentReader& reader, httplib::Response& res, size_t limit, HttpRequest& p) {
  bool over = false;
  const bool ok = reader([&](const char* data, size_t n) {
    if (p.body.size() + n > limit) {
      over = true;
      return false;
    }
    p.body.append(data, n);
    return true;
  });
  if (!ok) {
    // httplib sets 413 itself when Content-Length is over the payload limit.
    p.body_too_large = over || res.status == 413;
    p.body_unreadable = !p.body_too_large;
    p.body.clear();
  }
}

int ServeWith(httplib::Server& server, App& app, const ServeOptions& o, const char* scheme, std::ostream& out,
              std::ostream& err) {
  const size_t limit = app.limits().max_body_bytes;
  server.set_payload_max_length(limit);
  server.set_read_timeout(30, 0);  // field links are slow
  server.set_write_timeout(30, 0);
  const bool secure = std::string(scheme) == "https";
  auto plain = [&app, secure](const httplib::Request& req, httplib::Response& res) {
    HttpRequest p = ToPlain(req, secure);
    FromPlain(p, app.Handle(p), res);
  };
  auto with_body = [&app, limit, secure](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& reader) {
    HttpRequest p = ToPlain(req, secure);
    ReadBody(reader, res, limit, p);
    FromPlain(p, app.Handle(p), res);
  };
  // Every path goes to the App, which answers unknown ones with the JSON 404.
  server.Get(".*", plain);
  server.Delete(".*", plain);
  server.Options(".*", plain);
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string code = res.status == 413 ? "too_large" : res.status == 404 ? "not_found" : "malformed";
    HttpResponse e = ErrorResponse({res.status, code, "the request could not be read"});
    res.set_content(e.body, e.content_type.c_str());
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    HttpResponse e = ErrorResponse({500, "internal", "the server could not complete the request; try again later"});
    res.status = 500;
    res.set_content(e.body, e.content_type.c_str());
  });

  // SIGTERM and SIGINT are taken by one thread with sigwait, so stopping runs
  // outside a signal handler. Blocked before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::atomic<bool> done{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    while (!done.load() && !server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server.stop();
  });

  int port = o.port;
  bool bound = false;
  if (o.port == 0) {
    port = server.bind_to_any_port(o.bind.c_str());
    bound = port > 0;
  } else {
    bound = server.bind_to_port(o.bind.c_str(), o.port);
  }
  int rc = 0;
  if (!bound) {
    err << "sotay-server: cannot listen on " << o.bind << ":" << o.port << "\n";
    rc = 1;
  } else {
    out << "listening on " << scheme << "://" << o.bind << ":" << port << std::endl;
    if (!server.listen_after_bind()) rc = 1;
  }
  done.store(true);
  pthread_kill(stopper.native_handle(), SIGTERM);  // wakes the stopper if no signal came
  stopper.join();
  return rc;
}

}  // namespace

int Serve(App& app, const ServeOptions& o, std::ostream& out, std::ostream& err) {
  if (!o.tls_cert.empty() || !o.tls_key.empty()) {
    if (o.tls_cert.empty() || o.tls_key.empty()) {
      err << "sotay-server: --tls-cert and --tls-key go together\n";
      return 2;
    }
    httplib::SSLServer server(o.tls_cert.c_str(), o.tls_key.c_str());
    if (!server.is_valid()) {
      err << "sotay-server: cannot load the TLS certificate or key\n";
      return 1;
    }
    return ServeWith(server, app, o, "https", out, err);
  }
  err << "sotay-server: serving plain HTTP. Use it only on loopback or behind a TLS proxy:"
         " sync traffic must not cross a network unencrypted (--tls-cert/--tls-key serve HTTPS).\n";
  httplib::Server server;
  return ServeWith(server, app, o, "http", out, err);
}

}  // namespace sotay::server
