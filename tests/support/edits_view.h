// The server keeps its history as change sets (sync-server/store/migrations.cc, 3), each
// row holding a CBOR group of edits. Tests ask questions per edit ("how many edits
// of field sex?"), so on their own read-only connection they get a TEMP table
// `edits` with a row per edit, decoded by the core's codec. The server never sees it.
#pragma once

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "sotay/codec.h"
#include "sqlite_db.h"

namespace sotay::testing {

inline void AddEditsView(sqlite::Db& h) {
  REQUIRE(h.Exec("CREATE TEMP TABLE edits (seq INTEGER, device TEXT, counter INTEGER, record TEXT, field TEXT,"
                 " value TEXT, author TEXT, received_ms INTEGER)")
              .ok());
  auto read = h.Prepare("SELECT seq, edits, received_ms FROM main.edit_sets ORDER BY seq");
  auto write = h.Prepare("INSERT INTO temp.edits VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  REQUIRE(read.ok());
  REQUIRE(write.ok());
  Status s = sqlite::ForEachRow(*read, [&]() -> Status {
    auto edits = DecodeEditGroup(read->BlobView(1));
    if (!edits.ok()) return edits.status();
    for (const Edit& e : *edits) {
      write->Bind(1, read->Int(0)).Bind(2, e.dot.device).Bind(3, static_cast<int64_t>(e.dot.counter));
      write->Bind(4, e.record).Bind(5, e.field).Bind(6, e.value).Bind(7, e.author).Bind(8, read->Int(2));
      Status w = write->Run();
      if (!w.ok()) return w;
    }
    return Status::OK();
  });
  INFO(s.ToString());
  REQUIRE(s.ok());
}

// The first column of the one row `sql` gives, on a read-only connection to the
// server database `db` (with `edits` when the query names it).
inline int64_t CountRows(const std::string& db, const std::string& sql) {
  auto h = sqlite::Db::Open(db, sqlite::Db::Mode::kReadOnly);
  REQUIRE(h.ok());
  if (sql.find(" edits") != std::string::npos) AddEditsView(*h);
  auto st = h->PrepareUncached(sql);  // a test's own text
  REQUIRE(st.ok());
  auto row = st->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return st->Int(0);
}

}  // namespace sotay::testing
