// `sotay-server serve --tls-cert --tls-key` against slow and greedy peers: HTTPS keeps
// the deadlines and per-address limits of plain HTTP (issue 12, finding 2), with a
// throwaway certificate made here and a real OpenSSL client.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "serve_process.h"
#include "server_world.h"

using namespace sotay::server::testing;

namespace {

// A self-signed P-256 certificate for 127.0.0.1, valid for a day, and its key.
void MakeCertificate(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  REQUIRE(key != nullptr);
  X509* cert = X509_new();
  REQUIRE(cert != nullptr);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  REQUIRE((c != nullptr && k != nullptr));
  REQUIRE(PEM_write_X509(c, cert) == 1);
  REQUIRE(PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  std::fclose(c);
  std::fclose(k);
  X509_free(cert);
  EVP_PKEY_free(key);
}

// A TLS connection to the server (the certificate is not checked: it is our own).
class TlsPeer {
 public:
  explicit TlsPeer(int port, int recv_timeout_s = 10) : fd_(ConnectTo(port, recv_timeout_s)) {
    signal(SIGPIPE, SIG_IGN);  // OpenSSL writes with write(): a cut peer is an error, not a signal
    ctx_ = SSL_CTX_new(TLS_client_method());
    REQUIRE(ctx_ != nullptr);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
  }
  ~TlsPeer() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    close(fd_);
  }
  TlsPeer(const TlsPeer&) = delete;
  TlsPeer& operator=(const TlsPeer&) = delete;

  bool Handshake() { return SSL_connect(ssl_) == 1; }
  bool Write(const std::string& data) {
    return SSL_write(ssl_, data.data(), static_cast<int>(data.size())) == static_cast<int>(data.size());
  }
  // Until the server closes or the read times out.
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl_, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
  int fd() const { return fd_; }

 private:
  int fd_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

std::string HealthOverTls(int port) {
  TlsPeer peer(port, 5);
  if (!peer.Handshake()) return "";
  if (!peer.Write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) return "";
  return peer.ReadAll();
}

// True once the server has closed `fd` (without blocking): what a stalled peer sees.
bool Closed(int fd) {
  char buf[512];
  const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

struct TlsServer {
  ServerWorld w;
  std::string cert = w.dir.File("cert.pem"), key = w.dir.File("key.pem");
  TlsServer() { MakeCertificate(cert, key); }
};

}  // namespace

TEST_CASE("tls edge: stalled handshakes and trickled headers are cut, and the server answers meanwhile",
          "[server][edge][tls]") {
  TlsServer t;
  ServeProcess server(t.w.db, {"--tls-cert", t.cert, "--tls-key", t.key, "--header-timeout", "2"});
  REQUIRE(HealthOverTls(server.port()).rfind("HTTP/1.1 200", 0) == 0);

  // Five peers that connect and never say hello, five that trickle a header a byte at
  // a time inside TLS: before, httplib's TLS loop held a worker for each as long as
  // bytes kept coming.
  std::vector<int> stalled;
  for (int i = 0; i < 5; ++i) stalled.push_back(ConnectTo(server.port()));
  std::vector<std::unique_ptr<TlsPeer>> trickling;
  for (int i = 0; i < 5; ++i) {
    trickling.push_back(std::make_unique<TlsPeer>(server.port()));
    REQUIRE(trickling.back()->Handshake());
    REQUIRE(trickling.back()->Write("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  }
  std::string health;
  std::thread healthz([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    health = HealthOverTls(server.port());
  });
  std::vector<bool> ended(10, false);
  size_t open = 10;
  for (int round = 0; round < 60 && open > 0; ++round) {  // at most 15 s
    for (size_t i = 0; i < 10; ++i) {
      if (ended[i]) continue;
      const bool gone = i < 5 ? Closed(stalled[i]) : (Closed(trickling[i - 5]->fd()) || !trickling[i - 5]->Write("X"));
      if (gone) {
        ended[i] = true;
        --open;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  healthz.join();
  for (int fd : stalled) close(fd);
  CHECK(health.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(open == 0);  // the server cut every one of them
}

TEST_CASE("tls edge: one address holds at most 16 connections, and gets more once it lets some go",
          "[server][edge][tls]") {
  TlsServer t;
  ServeProcess server(t.w.db, {"--tls-cert", t.cert, "--tls-key", t.key, "--header-timeout", "30"});
  std::vector<int> held;
  for (int i = 0; i < 16; ++i) held.push_back(ConnectTo(server.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all accepted and counted
  {
    TlsPeer seventeenth(server.port(), 5);
    // Closed by the server, not left waiting in a queue behind the others (a
    // timed-out handshake would leave the socket open).
    CHECK_FALSE(seventeenth.Handshake());
    CHECK(Closed(seventeenth.fd()));
  }
  for (int fd : held) close(fd);
  std::string health;
  for (int i = 0; i < 20 && health.empty(); ++i) {  // the server notices the closes
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    health = HealthOverTls(server.port());
  }
  CHECK(health.rfind("HTTP/1.1 200", 0) == 0);
}
