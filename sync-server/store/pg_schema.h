// The server's schema on PostgreSQL (see migrations.h for SQLite's): the same tables,
// columns and rules as the SQLite file at the same version, in PostgreSQL's types
// (BIGINT for every integer, BYTEA for blobs, identities for sequence numbers, text
// compared byte by byte as SQLite does) and its triggers for the append-only tables.
// The version is kept in the table sotay_schema.
#pragma once

#include "store/sql_db.h"

namespace sotay::server {

// Whether the database already holds Sotay's tables.
Result<bool> HasPostgresSchema(sql::Db& db);

// Makes every table of the current version, and notes the version, in the caller's
// transaction; no signing key (MigratePostgres makes one, a move brings its own).
Status CreatePostgresTables(sql::Db& db);

// Brings the database to `version` (SchemaVersion()): an empty database gets the
// whole schema and the server's signing key in one transaction. FailedPrecondition
// for a database made by a newer sotay-server.
Status MigratePostgres(sql::Db& db, int version);

}  // namespace sotay::server
