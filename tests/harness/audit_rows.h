#ifndef VELKNEE_TESTS_HARNESS_AUDIT_ROWS_H_
#define VELKNEE_TESTS_HARNESS_AUDIT_ROWS_H_

// A service database's audit_log, or the rows of any query, as lines of text, for comparing with
// what a test expects, and how many rows a table holds.

#include <cstdint>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/database.h"

namespace velknee::test {

// "principal method resource code" of every row whose method matches the SQL LIKE pattern
// `method_like` (every row when empty), in order; an error when the hash chain does not verify.
absl::StatusOr<std::vector<std::string>> AuditRows(Database& db,
                                                   absl::string_view method_like = "");

// "resource code" of every row whose method is exactly `method`, in order.
std::vector<std::string> ResourceCodeRows(SQLite::Database& db, absl::string_view method);

// The number of rows in `table` (-1, with a test failure, when it cannot be read).
int64_t CountRows(Database& db, const std::string& table);

// Each row `sql` selects, its columns joined by single spaces (a test failure when it cannot be
// read).
std::vector<std::string> RowsAsText(Database& db, const std::string& sql);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_HARNESS_AUDIT_ROWS_H_
