// sotay-server: the district sync server (README.md).
//
//   sotay-server serve --db FILE|postgresql://... [--files FOLDER] [--bind 127.0.0.1] [--port 8080]
//                      [--tls-cert FILE --tls-key FILE]
//                      [--trusted-proxy ADDR]... [--header-timeout S] [--request-timeout S]
//   sotay-server report --db FILE --area CODE --year YYYY --out FILE.xlsx|FILE.csv
//   sotay-server admin COMMAND ...
#include <arpa/inet.h>

#include <cstdlib>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <iostream>
#include <string>
#include <vector>

#include "admin/admin_cli.h"
#include "admin/report_cli.h"
#include "app.h"
#include "http/http_adapter.h"
#include "http/json_log.h"
#include "store/server_store.h"
#include "sotay/env.h"

#ifndef SOTAY_SCHEMAS_DIR
#define SOTAY_SCHEMAS_DIR "schemas"
#endif

namespace {

using namespace sotay::server;

void Usage(std::ostream& out) {
  out << "usage: sotay-server serve --db FILE|postgresql://... [--files FOLDER] [--bind 127.0.0.1] [--port 8080]\n"
         "                          [--tls-cert FILE --tls-key FILE]\n"
         "                          [--trusted-proxy ADDR]... [--header-timeout 15] [--request-timeout 120]\n"
         "       sotay-server report --db FILE --area CODE --year YYYY --out FILE.xlsx|FILE.csv\n"
         "                           (sotay-server report --help)\n"
         "       sotay-server admin COMMAND ...   (sotay-server admin --help)\n";
}

int RunServe(const std::vector<std::string>& args) {
  std::string db, files;
  ServeOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& w = args[i];
    if (i + 1 >= args.size()) {
      std::cerr << "sotay-server: " << w << " needs a value\n";
      return 2;
    }
    const std::string& v = args[++i];
    if (w == "--db") {
      db = v;
    } else if (w == "--files") {
      files = v;
    } else if (w == "--bind") {
      o.bind = v;
    } else if (w == "--port") {
      char* end = nullptr;
      const long port = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || port < 0 || port > 65535) {
        std::cerr << "sotay-server: --port takes 0 to 65535\n";
        return 2;
      }
      o.port = static_cast<int>(port);
    } else if (w == "--tls-cert") {
      o.tls_cert = v;
    } else if (w == "--tls-key") {
      o.tls_key = v;
    } else if (w == "--trusted-proxy") {
      unsigned char buf[16];
      if (inet_pton(AF_INET, v.c_str(), buf) != 1 && inet_pton(AF_INET6, v.c_str(), buf) != 1) {
        std::cerr << "sotay-server: --trusted-proxy takes an IP address, such as 127.0.0.1\n";
        return 2;
      }
      o.trusted_proxies.push_back(v);
    } else if (w == "--header-timeout" || w == "--request-timeout") {
      char* end = nullptr;
      const long s = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || s < 1 || s > 3600) {
        std::cerr << "sotay-server: " << w << " takes 1 to 3600 seconds\n";
        return 2;
      }
      (w == "--header-timeout" ? o.header_timeout_s : o.request_timeout_s) = static_cast<int>(s);
    } else {
      std::cerr << "sotay-server: unknown option " << w << "\n";
      Usage(std::cerr);
      return 2;
    }
  }
  if (db.empty()) {
    std::cerr << "sotay-server: --db is required\n";
    return 2;
  }
  auto store = ServerStore::Open(db, ServerStore::Mode::kOpen);
  if (!store.ok()) {
    std::cerr << "sotay-server: " << store.status().message() << " (create it with `sotay-server admin init`)\n";
    return store.status().code() == sotay::Status::Code::kNotFound ? 5 : 1;
  }
  if (!files.empty() && !(*store)->postgres()) {
    std::cerr << "sotay-server: --files is for a database on PostgreSQL; a SQLite file keeps its files beside it\n";
    return 2;
  }
  (*store)->SetFilesFolder(files);
  sotay::Status checkpoints = (*store)->CheckpointInBackground();
  if (!checkpoints.ok()) {
    std::cerr << "sotay-server: " << checkpoints.message() << "\n";
    return 1;
  }
  JsonLog log(&std::cerr);
  auto app = App::Create(std::move(store).value(), sotay::Env::Default(), &log);
  if (!app.ok()) {
    std::cerr << "sotay-server: " << app.status().message() << "\n";
    return 1;
  }
  return Serve(**app, o, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
#ifdef __GLIBC__
  // glibc gives each thread that allocates an arena of its own, up to 8 per core, and
  // keeps their pages. Requests land on any of the 64 workers (http_connection.h), so
  // one device syncing 10,000 records raised the peak from 34 to 56 MiB; the work
  // runs under one store lock anyway, so two arenas lose nothing (sync_bench).
  mallopt(M_ARENA_MAX, 2);
  // And it raises the size it asks the kernel for directly (mmap) to the largest
  // block freed, up to 32 MiB, so a pull's edit buffers, once freed, stay in the heap
  // between smaller blocks it cannot give back: a fresh device pulling 100,000
  // records left the server at 53 MiB. A fixed threshold keeps such buffers in
  // blocks of their own, returned when freed: 37 MiB.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    Usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  if (cmd == "serve") return RunServe(args);
  if (cmd == "report") return RunReport(args, std::cout, std::cerr, sotay::Env::Default());
  if (cmd == "admin") return RunAdmin(args, std::cout, std::cerr, sotay::Env::Default(), SOTAY_SCHEMAS_DIR);
  std::cerr << "sotay-server: unknown command '" << cmd << "'\n";
  Usage(std::cerr);
  return 2;
}
