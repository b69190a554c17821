// Flips one bit of a row's sealed payload in a store file, as an attacker with the
// file (or a failing disk) would, with plain SQL behind the store's back (through
// the SQLite layer, not the store).
#pragma once

#include <stdexcept>
#include <string>

#include "sqlite_db.h"

namespace sotay::testing {

// REQUIRES: the store is closed. `at` < 0 counts from the end of the payload.
inline void FlipSealedByte(const std::string& db_path, const std::string& table, const std::string& key, long at) {
  auto db = sqlite::Db::Open(db_path, sqlite::Db::Mode::kReadWrite);
  if (!db.ok()) throw std::runtime_error(db.status().ToString());
  // The table name is a test constant; the key is bound.
  auto read = db->PrepareUncached("SELECT sealed FROM " + table + " WHERE key = ?1");
  if (!read.ok()) throw std::runtime_error(read.status().ToString());
  auto row = read->Bind(1, key).Step();
  if (!row.ok() || !*row) throw std::runtime_error("no row " + key + " in " + table);
  std::string blob = read->Blob(0);
  *read = sqlite::Statement();
  const size_t i = at >= 0 ? static_cast<size_t>(at) : blob.size() - static_cast<size_t>(-at);
  blob.at(i) = static_cast<char>(blob.at(i) ^ 0x01);
  auto write = db->PrepareUncached("UPDATE " + table + " SET sealed = ?1 WHERE key = ?2");
  if (!write.ok()) throw std::runtime_error(write.status().ToString());
  Status s = write->BindBlob(1, blob).Bind(2, key).Run();
  if (!s.ok() || db->changes() != 1) throw std::runtime_error("update " + key + " in " + table);
}

}  // namespace sotay::testing
