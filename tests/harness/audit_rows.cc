#include "tests/harness/audit_rows.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/audit/audit_log.h"
#include "tests/support/status_matchers.h"

namespace velknee::test {

absl::StatusOr<std::vector<std::string>> AuditRows(Database& db, absl::string_view method_like) {
  std::vector<std::string> rows;
  const absl::Status read = db.Read([&](SQLite::Database& connection) {
    SQLite::Statement query(
        connection, method_like.empty() ? "SELECT principal, method, resource, code FROM audit_log "
                                          "ORDER BY seq"
                                        : "SELECT principal, method, resource, code FROM audit_log "
                                          "WHERE method LIKE ? ORDER BY seq");
    if (!method_like.empty()) query.bind(1, std::string(method_like));
    while (query.executeStep()) {
      rows.push_back(
          absl::StrCat(query.getColumn(0).getString(), " ", query.getColumn(1).getString(), " ",
                       query.getColumn(2).getString(), " ", query.getColumn(3).getInt()));
    }
    return VerifyAuditChain(connection);
  });
  if (!read.ok()) return read;
  return rows;
}

std::vector<std::string> ResourceCodeRows(SQLite::Database& db, absl::string_view method) {
  std::vector<std::string> rows;
  SQLite::Statement query(db, "SELECT resource, code FROM audit_log WHERE method = ? ORDER BY seq");
  query.bind(1, std::string(method));
  while (query.executeStep()) {
    rows.push_back(absl::StrCat(query.getColumn(0).getString(), " ", query.getColumn(1).getInt()));
  }
  return rows;
}

int64_t CountRows(Database& db, const std::string& table) {
  int64_t count = -1;
  EXPECT_OK(db.Read([&](SQLite::Database& connection) {
    count = connection.execAndGet("SELECT count(*) FROM " + table).getInt64();
    return absl::OkStatus();
  }));
  return count;
}

std::vector<std::string> RowsAsText(Database& db, const std::string& sql) {
  std::vector<std::string> rows;
  EXPECT_OK(db.Read([&](SQLite::Database& connection) {
    SQLite::Statement query(connection, sql);
    while (query.executeStep()) {
      std::vector<std::string> columns;
      for (int i = 0; i < query.getColumnCount(); ++i) {
        columns.push_back(query.getColumn(i).getString());
      }
      rows.push_back(absl::StrJoin(columns, " "));
    }
    return absl::OkStatus();
  }));
  return rows;
}

}  // namespace velknee::test
