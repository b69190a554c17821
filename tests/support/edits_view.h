// The server keeps its history as change sets (sync-server/store/migrations.cc, 3), each
// row holding a CBOR group of edits. Tests ask questions per edit ("how many edits
// of field sex?"), so on their own read-only connection they get a TEMP table
// `edits` with a row per edit, decoded by the core's codec. The server never sees it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "sotay/codec.h"

namespace sotay::testing {

inline void AddEditsView(sqlite3* h) {
  REQUIRE(sqlite3_exec(h,
                       "CREATE TEMP TABLE edits (seq INTEGER, device TEXT, counter INTEGER, record TEXT, field TEXT,"
                       " value TEXT, author TEXT, received_ms INTEGER)",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* read = nullptr;
  sqlite3_stmt* write = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, "SELECT seq, edits, received_ms FROM main.edit_sets ORDER BY seq", -1, &read,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_prepare_v2(h, "INSERT INTO temp.edits VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &write, nullptr) ==
          SQLITE_OK);
  while (sqlite3_step(read) == SQLITE_ROW) {
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(read, 1));
    auto edits = DecodeEditGroup(std::string(blob, static_cast<size_t>(sqlite3_column_bytes(read, 1))));
    REQUIRE(edits.ok());
    for (const Edit& e : *edits) {
      sqlite3_bind_int64(write, 1, sqlite3_column_int64(read, 0));
      sqlite3_bind_text(write, 2, e.dot.device.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(write, 3, static_cast<sqlite3_int64>(e.dot.counter));
      sqlite3_bind_text(write, 4, e.record.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(write, 5, e.field.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(write, 6, e.value.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(write, 7, e.author.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(write, 8, sqlite3_column_int64(read, 2));
      REQUIRE(sqlite3_step(write) == SQLITE_DONE);
      sqlite3_reset(write);
    }
  }
  sqlite3_finalize(read);
  sqlite3_finalize(write);
}

// The first column of the one row `sql` gives, on a read-only connection to the
// server database `db` (with `edits` when the query names it).
inline int64_t CountRows(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  if (sql.find(" edits") != std::string::npos) AddEditsView(h);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

}  // namespace sotay::testing
