// Flips one bit of a row's sealed payload in a store file, as an attacker with the
// file (or a failing disk) would, using plain SQLite behind the store's back.
#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace sotay::testing {

// REQUIRES: the store is closed. `at` < 0 counts from the end of the payload.
inline void FlipSealedByte(const std::string& db_path, const std::string& table, const std::string& key, long at) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open " + db_path);
  sqlite3_stmt* st = nullptr;
  // The table name is a test constant; the key is bound.
  sqlite3_prepare_v2(db, ("SELECT sealed FROM " + table + " WHERE key = ?").c_str(), -1, &st, nullptr);
  sqlite3_bind_text(st, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st) != SQLITE_ROW) throw std::runtime_error("no row " + key + " in " + table);
  std::string blob(static_cast<const char*>(sqlite3_column_blob(st, 0)), static_cast<size_t>(sqlite3_column_bytes(st, 0)));
  sqlite3_finalize(st);
  const size_t i = at >= 0 ? static_cast<size_t>(at) : blob.size() - static_cast<size_t>(-at);
  blob.at(i) = static_cast<char>(blob.at(i) ^ 0x01);
  sqlite3_prepare_v2(db, ("UPDATE " + table + " SET sealed = ? WHERE key = ?").c_str(), -1, &st, nullptr);
  sqlite3_bind_blob(st, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, key.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  sqlite3_close(db);
  if (rc != SQLITE_DONE) throw std::runtime_error("update " + key);
}

}  // namespace sotay::testing
