#include "http/http_adapter.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <set>
#include <thread>

#include "http/http_connection.h"
#include "sotay/gzip.h"
#include "sotay/zstd.h"

namespace sotay::server {

namespace {

constexpr size_t kGzipFrom = 1024;  // smaller answers are not worth compressing

// httplib adds these to the request's headers after the client's own, so a client's
// REMOTE_ADDR would come first (GHSA-xm2j-vfr9-mg9m): they are never passed on.
bool IsHttplibHeader(const std::string& name) {
  for (const char* own : {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"}) {
    if (strcasecmp(name.c_str(), own) == 0) return true;
  }
  return false;
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool IsIpAddress(const std::string& s) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// The client's address: the peer's, or, when the peer is a trusted proxy, the last
// hop of X-Forwarded-For that is not a trusted proxy itself. Hops further left were
// written by the client and prove nothing.
std::string ClientAddress(const httplib::Request& r, const std::set<std::string>& trusted) {
  if (trusted.count(r.remote_addr) == 0) return r.remote_addr;
  std::string forwarded;
  for (auto [it, end] = r.headers.equal_range("X-Forwarded-For"); it != end; ++it) forwarded = it->second;
  std::string client = r.remote_addr;
  size_t end = forwarded.size();
  while (end > 0) {
    const size_t comma = forwarded.rfind(',', end - 1);
    const size_t begin = comma == std::string::npos ? 0 : comma + 1;
    const std::string hop = Trim(forwarded.substr(begin, end - begin));
    if (!IsIpAddress(hop)) break;  // garbled: keep what is known
    client = hop;
    if (trusted.count(hop) == 0) break;
    if (comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

HttpRequest ToPlain(const httplib::Request& r, bool secure, const std::set<std::string>& trusted) {
  HttpRequest p;
  p.method = r.method;
  p.path = r.path;
  p.remote_addr = ClientAddress(r, trusted);
  // Behind a trusted TLS proxy the browser's connection is HTTPS: cookies get Secure.
  p.secure = secure || (trusted.count(r.remote_addr) != 0 && r.get_header_value("X-Forwarded-Proto") == "https");
  for (const auto& [name, value] : r.params) p.query.emplace(name, value);
  for (const auto& [name, value] : r.headers) {
    if (!IsHttplibHeader(name)) p.headers.emplace(name, value);  // the first of repeated headers
  }
  return p;
}

// What is refused before httplib reads a body: httplib 0.11.4 reads the body of
// every method it knows, inflating gzip, deflate and br without a bound (issue 12).
// Only POST /v1/sync reads a compressed body, and only through ReadBody's limit.
httplib::Server::HandlerResponse Guard(const httplib::Request& req, httplib::Response& res, size_t limit) {
  GuardedStream* conn = CurrentConnection();
  if (conn) conn->HeadersDone();
  auto refuse = [&](int status, const char* code, const char* reason) {
    HttpResponse e = ErrorResponse({status, code, reason});
    res.status = status;
    res.set_content(e.body, e.content_type.c_str());
    // The body, if any, stays unread: the connection cannot carry another request.
    res.set_header("Connection", "close");
    if (conn) conn->CloseAfterAnswer();
    return httplib::Server::HandlerResponse::Handled;
  };
  const std::string& m = req.method;
  if (m != "GET" && m != "HEAD" && m != "POST") {
    res.set_header("Allow", "GET, HEAD, POST");
    return refuse(405, "method_not_allowed", "this server answers GET, HEAD and POST only");
  }
  if (req.has_header("Content-Encoding")) {
    const std::string& encoding = req.get_header_value("Content-Encoding");
    if (!(m == "POST" && req.path == "/v1/sync" && (encoding == "gzip" || encoding == "zstd"))) {
      return refuse(415, "unsupported_encoding", "only POST /v1/sync takes a compressed body, gzip or zstd");
    }
    // A device sends zstd with the dictionary it holds; one this server lacks (a
    // newer pack's) is refused here, before the body, so the device sends gzip.
    const std::string dict = req.get_header_value(kDictionaryHeader);
    if (encoding == "zstd" && !dict.empty() && dict != std::to_string(SyncDictionaryId())) {
      return refuse(415, "unsupported_encoding", "this server does not hold the zstd dictionary the body names");
    }
  }
  const bool has_length = req.has_header("Content-Length");
  const bool has_transfer = req.has_header("Transfer-Encoding");
  if (req.get_header_value_count("Content-Length") > 1 || req.get_header_value_count("Transfer-Encoding") > 1 ||
      (has_length && has_transfer) ||
      (has_transfer && strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") != 0)) {
    return refuse(400, "malformed", "the body's length is ambiguous");
  }
  if (m != "POST" && (has_transfer || (has_length && req.get_header_value("Content-Length") != "0"))) {
    return refuse(400, "malformed", "GET and HEAD take no body");
  }
  if (has_length) {
    const std::string& text = req.get_header_value("Content-Length");
    char* end = nullptr;
    errno = 0;
    const unsigned long long n = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])) || *end != '\0' || errno != 0) {
      return refuse(400, "malformed", "Content-Length is not a number");
    }
    if (n > limit) return refuse(413, "too_large", "the body is over the server's limit");
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

void FromPlain(const HttpRequest& req, HttpResponse plain, httplib::Response& res) {
  res.status = plain.status;
  for (const auto& [name, value] : plain.headers) res.set_header(name.c_str(), value);
  if (plain.stream) {
    res.set_chunked_content_provider(plain.content_type, [stream = std::move(plain.stream)](size_t, httplib::DataSink& sink) {
      const bool whole = stream([&](std::string_view bytes) { return sink.write(bytes.data(), bytes.size()); });
      if (whole) sink.done();
      return whole;
    });
    return;
  }
  // httplib compresses text/* itself (when the client accepts it); CBOR is ours to do:
  // zstd, with the pack's dictionary when the device holds the same one, for a device
  // that accepts it; gzip for one that knows only gzip (every device before zstd).
  const std::string accepts = req.Header("Accept-Encoding");
  // Tells a device this server reads zstd bodies made with this dictionary.
  if (req.path == "/v1/sync") res.set_header(kDictionaryHeader, std::to_string(SyncDictionaryId()));
  if (plain.content_type == "application/cbor" && plain.body.size() >= kGzipFrom &&
      accepts.find("zstd") != std::string::npos) {
    const bool same_dictionary = req.Header(kDictionaryHeader) == std::to_string(SyncDictionaryId());
    if (auto packed = Zstd(plain.body, same_dictionary)) {
      plain.body = std::move(*packed);
      res.set_header("Content-Encoding", "zstd");
      res.set_header("Vary", "Accept-Encoding");
    }
  } else if (plain.content_type == "application/cbor" && plain.body.size() >= kGzipFrom &&
             accepts.find("gzip") != std::string::npos) {
    if (auto gz = Gzip(plain.body)) {
      plain.body = std::move(*gz);
      res.set_header("Content-Encoding", "gzip");
      res.set_header("Vary", "Accept-Encoding");
    }
  }
  res.set_content(std::move(plain.body), plain.content_type.c_str());
}

// Reads the body through httplib (which undoes gzip, and passes zstd as it came),
// never holding more than `limit` bytes: a small compressed body cannot expand into a
// large one.
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
    GuardedStream* conn = CurrentConnection();
    p.body_cut = p.body_unreadable && conn != nullptr && conn->body_ended_early();
    p.body.clear();
    return;
  }
  if (p.Header("Content-Encoding") == "zstd") {
    auto unpacked = Unzstd(p.body, limit);
    p.body.clear();
    if (unpacked.ok()) {
      p.body = std::move(unpacked).value();
    } else {
      // Unzstd says FailedPrecondition only for a frame that grows past the limit.
      p.body_too_large = unpacked.status().code() == Status::Code::kFailedPrecondition;
      p.body_unreadable = !p.body_too_large;
    }
  }
}

// httplib answers a Range header with the ranges cut out of the answer, one copy
// per range: thousands of "0-" ranges would multiply a page. Nothing here is served
// in parts, and a server may ignore Range (RFC 9110, 14.2).
void IgnoreRanges(const httplib::Request& req) { const_cast<httplib::Request&>(req).ranges.clear(); }

int ServeWith(httplib::Server& server, App& app, const ServeOptions& o, const char* scheme, std::ostream& out,
              std::ostream& err) {
  const size_t limit = app.limits().max_body_bytes;
  server.set_payload_max_length(limit);
  const bool secure = std::string(scheme) == "https";
  const std::set<std::string> trusted(o.trusted_proxies.begin(), o.trusted_proxies.end());
  server.set_pre_routing_handler(
      [limit](const httplib::Request& req, httplib::Response& res) { return Guard(req, res, limit); });
  auto plain = [&app, secure, &trusted](const httplib::Request& req, httplib::Response& res) {
    IgnoreRanges(req);
    HttpRequest p = ToPlain(req, secure, trusted);
    FromPlain(p, app.Handle(p), res);
  };
  auto with_body = [&app, limit, secure, &trusted](const httplib::Request& req, httplib::Response& res,
                                                   const httplib::ContentReader& reader) {
    IgnoreRanges(req);
    HttpRequest p = ToPlain(req, secure, trusted);
    ReadBody(reader, res, limit, p);
    FromPlain(p, app.Handle(p), res);
  };
  // Every path goes to the App, which answers unknown ones with the JSON 404. Other
  // methods never get here (Guard).
  server.Get(".*", plain);
  server.Post(".*", with_body);
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string code = res.status == 413   ? "too_large"
                             : res.status == 404 ? "not_found"
                             : res.status == 405 ? "method_not_allowed"
                                                 : "malformed";
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
  ConnectionLimits limits;
  limits.header_timeout_s = o.header_timeout_s;
  limits.request_timeout_s = o.request_timeout_s;
  // Chunk framing is counted too: "1\r\nx\r\n" is six bytes for one.
  limits.max_body_bytes = 2 * app.limits().max_body_bytes + 64 * 1024;
  limits.trusted_proxies.insert(o.trusted_proxies.begin(), o.trusted_proxies.end());
  if (!o.tls_cert.empty() || !o.tls_key.empty()) {
    if (o.tls_cert.empty() || o.tls_key.empty()) {
      err << "sotay-server: --tls-cert and --tls-key go together\n";
      return 2;
    }
    GuardedTlsServer server(o.tls_cert, o.tls_key, std::move(limits));
    if (!server.is_valid()) {
      err << "sotay-server: cannot load the TLS certificate or key\n";
      return 1;
    }
    return ServeWith(server, app, o, "https", out, err);
  }
  err << "sotay-server: serving plain HTTP. Use it only on loopback or behind a TLS proxy:"
         " sync traffic must not cross a network unencrypted (--tls-cert/--tls-key serve HTTPS).\n";
  GuardedServer server(std::move(limits));
  return ServeWith(server, app, o, "http", out, err);
}

}  // namespace sotay::server
