#include "tools/bench/sqlite_loop.h"

#include <algorithm>
#include <chrono>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "tools/bench/child_process.h"

namespace velknee::bench {

absl::StatusOr<LoadResult> RunSqliteLoop(const std::string& dir, absl::Duration warmup,
                                         absl::Duration duration) {
  using Clock = std::chrono::steady_clock;
  constexpr int kRowBytes = 1024;
  try {
    SQLite::Database db(absl::StrCat(dir, "/sqlite-loop.db"),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("CREATE TABLE row (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
    SQLite::Statement begin(db, "BEGIN IMMEDIATE");
    SQLite::Statement insert(db, "INSERT INTO row (payload) VALUES (?)");
    SQLite::Statement commit(db, "COMMIT");
    std::string payload(kRowBytes, 'x');
    LoadResult result;
    const double cpu_before = ProcessCpuSeconds();
    const Clock::time_point measure_from = Clock::now() + absl::ToChronoNanoseconds(warmup);
    const Clock::time_point stop_at = measure_from + absl::ToChronoNanoseconds(duration);
    for (uint64_t n = 0; !Interrupted(); ++n) {
      const Clock::time_point start = Clock::now();
      if (start >= stop_at) break;
      // A different row each time, so no page is written twice with the same bytes.
      std::copy_n(reinterpret_cast<const char*>(&n), sizeof(n), payload.begin());
      begin.exec();
      begin.reset();
      insert.bind(1, payload.data(), kRowBytes);
      insert.exec();
      insert.reset();
      commit.exec();
      commit.reset();
      const Clock::time_point end = Clock::now();
      if (start >= measure_from && end <= stop_at) {
        ++result.succeeded;
        result.latencies_us.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(end - start).count());
      }
    }
    result.seconds = absl::ToDoubleSeconds(duration);
    result.generator_cores =
        (ProcessCpuSeconds() - cpu_before) / absl::ToDoubleSeconds(warmup + duration);
    std::sort(result.latencies_us.begin(), result.latencies_us.end());
    return result;
  } catch (const SQLite::Exception& e) {
    return absl::InternalError(absl::StrCat("SQLite loop in ", dir, ": ", e.what()));
  }
}

}  // namespace velknee::bench
