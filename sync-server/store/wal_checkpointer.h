// WalCheckpointer: copies the write-ahead log back into the database file on its own
// thread and connection, so that a sync request never waits for it.
//
// By default SQLite checkpoints inside the commit that pushes the WAL past 1,000
// pages: that request then also writes those pages to the database file and fsyncs
// it, about a tenth of the server's time during a push. Here the writer's commit
// only signals (sqlite3_wal_hook); this thread runs a PASSIVE checkpoint, which
// never blocks the writer. If the WAL still grows past `max_wal_pages` (the thread
// starved, a long reader), the commit that crosses it checkpoints inline, as SQLite
// would, so the WAL stays bounded.
//
// Durability is unchanged: commits are durable in the WAL (synchronous=FULL), and a
// crash before a checkpoint leaves the WAL for the next open to replay.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sotay/status.h"
#include "sqlite_db.h"

namespace sotay::server {

class WalCheckpointer {
 public:
  struct Options {
    int start_pages = 1000;    // checkpoint once the WAL holds this many pages
    int max_wal_pages = 16000;  // ~64 MiB: past this the committing request checkpoints
  };

  // Opens a second connection to `path`, through the writer's VFS, and takes over checkpointing from `writer`,
  // which must stay open until this is destroyed.
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, sqlite::Db& writer, Options options);
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, sqlite::Db& writer) {
    return Start(path, writer, Options());
  }
  // Stops the thread and gives checkpointing back to the writer's commits.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints run so far (for tests and /metrics).
  uint64_t checkpoints() const;

 private:
  WalCheckpointer(sqlite::Db own, sqlite::Db& writer, Options options, int writer_autocheckpoint);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();

  sqlite::Db own_;
  sqlite::Db& writer_;
  const Options options_;
  const int writer_autocheckpoint_;  // the writer's own setting, given back on stop
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stop_ = false;
  uint64_t checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace sotay::server
