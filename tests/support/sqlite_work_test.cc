#include "tests/support/sqlite_work.h"

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "gtest/gtest.h"

namespace velknee::test {
namespace {

// Steps `sql` `rows` times (or to its end) and lets it go, as a list does after its last row.
void StepThrough(SQLite::Database& db, const char* sql, int rows = 1'000'000) {
  SQLite::Statement statement(db, sql);
  for (int i = 0; i < rows && statement.executeStep(); ++i) {
  }
}

TEST(SqliteWorkTest, CountsWhatGrowsWithTheTableAndWhatDoesNot) {
  CountSqliteWorkOnNewConnections();
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b INTEGER)");
  const auto fill_to = [&](int rows) {
    db.exec("BEGIN");
    SQLite::Statement insert(db, "INSERT OR IGNORE INTO t (a, b) VALUES (?, ?)");
    for (int i = 0; i < rows; ++i) {
      insert.reset();
      insert.bind(1, i);
      insert.bind(2, rows - i);
      insert.exec();
    }
    db.exec("COMMIT");
  };
  fill_to(100);
  TakeSqliteWork();

  StepThrough(db, "SELECT a FROM t WHERE b = -1");
  const SqliteWork small_scan = TakeSqliteWork();
  EXPECT_GE(small_scan.fullscan_steps, 99) << small_scan;
  EXPECT_EQ(small_scan.sorts, 0) << small_scan;

  // Left after its first row, before SQLite is done with it: still counted.
  StepThrough(db, "SELECT a FROM t ORDER BY b LIMIT 5", 1);
  const SqliteWork sorted = TakeSqliteWork();
  EXPECT_EQ(sorted.sorts, 1) << sorted;

  StepThrough(db, "SELECT b FROM t WHERE a >= 10 ORDER BY a LIMIT 5");
  const SqliteWork small_range = TakeSqliteWork();
  EXPECT_EQ(small_range.fullscan_steps, 0) << small_range;
  EXPECT_EQ(TakeSqliteWork().vm_steps, 0) << "taking the counts starts them again at zero";

  fill_to(400);
  TakeSqliteWork();
  StepThrough(db, "SELECT a FROM t WHERE b = -1");
  EXPECT_GE(TakeSqliteWork().vm_steps, 3 * small_scan.vm_steps);
  StepThrough(db, "SELECT b FROM t WHERE a >= 10 ORDER BY a LIMIT 5");
  EXPECT_EQ(TakeSqliteWork().vm_steps, small_range.vm_steps);
}

}  // namespace
}  // namespace velknee::test
