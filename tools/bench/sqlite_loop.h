#ifndef VELKNEE_TOOLS_BENCH_SQLITE_LOOP_H_
#define VELKNEE_TOOLS_BENCH_SQLITE_LOOP_H_

// The ceiling of a durable write on this machine without group commit: one thread, one SQLite
// connection (WAL, synchronous=FULL, as velknee's databases), committing one 1 KB row per
// transaction as fast as the disk allows.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/bench/load.h"

namespace velknee::bench {

// Commits in a fresh database in `dir` (put it on the server's data filesystem: fsync cost
// differs between filesystems) for `warmup`, then measures for `duration`. Each commit is one
// operation of the result. INTERNAL on a SQLite error.
absl::StatusOr<LoadResult> RunSqliteLoop(const std::string& dir, absl::Duration warmup,
                                         absl::Duration duration);

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_SQLITE_LOOP_H_
