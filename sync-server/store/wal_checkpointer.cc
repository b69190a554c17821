#include "store/wal_checkpointer.h"

#include <sqlite3.h>
#ifndef _WIN32
#include <signal.h>
#endif

#include <utility>

namespace sotay::server {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path, sqlite::Db& writer,
                                                                Options options) {
  auto own = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite, writer.vfs());  // the same file I/O as the writer
  if (!own.ok()) return own.status().Annotate("open the checkpointer's connection");
  // FULL: the checkpoint fsyncs the WAL before copying it and the database after.
  Status s = own->Exec("PRAGMA synchronous = FULL;");
  if (!s.ok()) return s.Annotate("set up the checkpointer's connection");
  auto autocheckpoint = writer.QueryInt("PRAGMA wal_autocheckpoint");
  if (!autocheckpoint.ok()) return autocheckpoint.status().Annotate("read the writer's checkpoint setting");
  return std::unique_ptr<WalCheckpointer>(
      new WalCheckpointer(std::move(own).value(), writer, options, static_cast<int>(*autocheckpoint)));
}

WalCheckpointer::WalCheckpointer(sqlite::Db own, sqlite::Db& writer, Options options, int writer_autocheckpoint)
    : own_(std::move(own)), writer_(writer), options_(options), writer_autocheckpoint_(writer_autocheckpoint) {
  // The thread takes no signals: the server stops on SIGTERM taken with sigwait by
  // a thread of its own, and a SIGTERM delivered here would kill the process.
#ifndef _WIN32
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &before);
#endif
  thread_ = std::thread([this] { Loop(); });
#ifndef _WIN32
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
#endif
  // Replaces SQLite's own hook, which would checkpoint inside the commit.
  sqlite3_wal_hook(writer_.handle(), &WalCheckpointer::OnCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(writer_.handle(), writer_autocheckpoint_);  // SQLite's hook again
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

uint64_t WalCheckpointer::checkpoints() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checkpoints_;
}

// Runs on the writer's thread right after each commit, `wal_pages` being the WAL's size.
int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* me = static_cast<WalCheckpointer*>(self);
  if (wal_pages >= me->options_.max_wal_pages) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages >= me->options_.start_pages) {
    {
      std::lock_guard<std::mutex> lock(me->mu_);
      me->due_ = true;
    }
    me->wake_.notify_one();
  }
  return SQLITE_OK;  // the commit itself has succeeded whatever happens here
}

void WalCheckpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return due_ || stop_; });
    if (stop_) return;
    due_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs and never waits for the writer.
    // SQLITE_BUSY (another process checkpointing) or an I/O error are left for the
    // next commit's signal: the writer's own commits report a failing disk.
    const int rc = sqlite3_wal_checkpoint_v2(own_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    if (rc == SQLITE_OK) ++checkpoints_;
  }
}

}  // namespace sotay::server
