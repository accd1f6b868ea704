#include "tests/support/sqlite_work.h"

#include <sqlite3.h>

#include <atomic>

namespace velknee::test {
namespace {

std::atomic<int64_t> vm_steps{0};
std::atomic<int64_t> fullscan_steps{0};
std::atomic<int64_t> sorts{0};

// SQLITE_TRACE_PROFILE fires when a statement finishes a run; reading each counter with
// resetFlg set makes a statement that runs again (reset and re-bound) count only its new work.
int CountFinishedStatement(unsigned /*event*/, void* /*context*/, void* statement, void*) {
  auto* stmt = static_cast<sqlite3_stmt*>(statement);
  vm_steps += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
  fullscan_steps += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
  sorts += sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_SORT, 1);
  return 0;
}

int InstallCounter(sqlite3* db, const char** /*error*/, const sqlite3_api_routines* /*api*/) {
  return sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, CountFinishedStatement, nullptr);
}

}  // namespace

void CountSqliteWorkOnNewConnections() {
  // sqlite3_auto_extension takes the entry point as void(*)(void), as its documentation says.
  sqlite3_auto_extension(reinterpret_cast<void (*)()>(InstallCounter));
}

SqliteWork TakeSqliteWork() {
  return {vm_steps.exchange(0), fullscan_steps.exchange(0), sorts.exchange(0)};
}

}  // namespace velknee::test
