#ifndef VELKNEE_TESTS_SUPPORT_SQLITE_WORK_H_
#define VELKNEE_TESTS_SUPPORT_SQLITE_WORK_H_

// Counts the work SQLite does for the statements a test runs, so a test can show that a query's
// cost does not grow with its table without timing anything: the counts are the same on every
// machine and every run.
//
// Thread-safe. Counts every statement of every connection opened after CountOnNewConnections(),
// whichever thread runs it, when the statement finishes (done, reset or finalized).

#include <cstdint>
#include <ostream>

namespace velknee::test {

struct SqliteWork {
  int64_t vm_steps = 0;        // Virtual-machine instructions run (SQLITE_STMTSTATUS_VM_STEP).
  int64_t fullscan_steps = 0;  // Steps of full table or index scans (..._FULLSCAN_STEP).
  int64_t sorts = 0;           // Sorts, e.g. a temp b-tree for ORDER BY (..._SORT).

  friend std::ostream& operator<<(std::ostream& out, const SqliteWork& work) {
    return out << work.vm_steps << " VM steps, " << work.fullscan_steps << " full-scan steps, "
               << work.sorts << " sorts";
  }
};

// Makes every SQLite connection opened from now on in this process count its work.
void CountSqliteWorkOnNewConnections();

// The work counted since the previous call (or since counting began), and starts again at zero.
SqliteWork TakeSqliteWork();

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_SUPPORT_SQLITE_WORK_H_
