// The server database's schema: on a SQLite file its numbered steps on PRAGMA
// user_version, run by the one runner (sqlite_migrate.h); on PostgreSQL the same
// version, reached by pg_schema.h. Step N brings a database from version N-1 to
// N, in one transaction; a database newer than this program knows is refused rather
// than guessed at. The layout is described in README.md ("The database").
#pragma once

#include "sotay/status.h"
#include "store/sql_db.h"

namespace sotay::server {

// The schema version this program writes.
int SchemaVersion();

// Applies every step the database lacks. FailedPrecondition when the file was made
// by a newer sotay-server.
Status Migrate(sql::Db& db);

}  // namespace sotay::server
