#pragma once
// SQL functions that give SQLite the time-zone arithmetic it lacks, so the
// SQLite dialect can bucket timestamps the way PostgreSQL's
// date_trunc(g, ts AT TIME ZONE tz) does:
//
//   tessera_bucket(ts, granularity, tz) -> 'YYYY-MM-DDTHH:MM:SS.000'
//       start of the granularity bucket that holds instant `ts`, as wall-clock
//       time in IANA zone `tz` (weeks start on Monday).
//   tessera_local(ts, tz) -> 'YYYY-MM-DDTHH:MM:SS.mmm'
//       instant `ts` as wall-clock time in `tz`.
//
// `ts` is a UTC instant: TEXT 'YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|+HH:MM]',
// or INTEGER / REAL seconds since the Unix epoch. NULL in, NULL out.
#include <sqlite3.h>

#include "absl/status/status.h"

namespace tessera::driver {

absl::Status RegisterTimeFunctions(sqlite3* db);

}  // namespace tessera::driver
