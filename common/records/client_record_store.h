#ifndef VELKNEE_COMMON_RECORDS_CLIENT_RECORD_STORE_H_
#define VELKNEE_COMMON_RECORDS_CLIENT_RECORD_STORE_H_

// The clinical records that live under a client (assessments, plans, notes), listed newest
// first. Each kind has a table with these columns, created by its service's migration:
//
//   id TEXT PRIMARY KEY, client_id TEXT NOT NULL, create_unix_micros INTEGER NOT NULL,
//   state INTEGER NOT NULL, resource BLOB NOT NULL
//
// plus whatever indexes and triggers the kind needs (e.g. refusing changes to a locked state),
// and any further columns the kind derives from the resource to search or aggregate on.
// `Resource` is the API message: it has name, state(), create_time, update_time and etag.
//
// Thread-safe (the Database serialises writes).

#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/api/timestamps.h"
#include "common/records/record_store.h"
#include "common/records/resource_rows.h"
#include "common/status/macros.h"
#include "common/storage/database.h"

namespace velknee {

template <typename Resource>
class ClientRecordStore : public RecordStore<Resource> {
 public:
  // `table` is the kind's table; `pattern` its resource name pattern, with the client first
  // ("clients/{client}/plans/{plan}"). `extra_columns` are the kind's own derived columns.
  // Lists are newest first by `order_column` (an integer column: create_unix_micros, or a
  // derived one such as a session time).
  ClientRecordStore(Database* db, std::string table, std::string pattern,
                    DerivedColumns<Resource> extra_columns = nullptr,
                    std::string order_column = "create_unix_micros")
      : RecordStore<Resource>(db, std::move(table), std::move(pattern),
                              WithCreateTimeAndState(std::move(extra_columns))),
        order_column_(std::move(order_column)) {}

  // The client's records, newest first, only those whose columns equal `filters`, after the
  // record with id `after_id` (empty: from the newest). `check` runs first in the same read
  // transaction; its error is returned instead of a page. Each combination of filters a list
  // uses needs an index on (client_id, the filters' columns, order_column, id), so that a page
  // is one range scan whatever the filters match.
  absl::StatusOr<ResourcePage<Resource>> List(
      const std::string& client_id, const std::vector<ColumnAndValue>& filters, int page_size,
      const std::string& after_id,
      absl::FunctionRef<absl::Status(SQLite::Database&)> check = NoCheck) {
    std::string sql =
        absl::StrCat("SELECT id, resource FROM ", this->table().table(), " WHERE client_id = ?");
    for (const ColumnAndValue& filter : filters) {
      absl::StrAppend(&sql, " AND ", filter.column, " = ?");
    }
    if (!after_id.empty()) absl::StrAppend(&sql, " AND (", order_column_, ", id) < (?, ?)");
    absl::StrAppend(&sql, " ORDER BY ", order_column_, " DESC, id DESC LIMIT ?");
    return this->database().Read(
        [&](SQLite::Database& db) -> absl::StatusOr<ResourcePage<Resource>> {
          VELKNEE_RETURN_IF_ERROR(check(db));
          std::vector<ColumnAndValue> values = {{"client_id", client_id}};
          values.insert(values.end(), filters.begin(), filters.end());
          if (!after_id.empty()) {
            VELKNEE_ASSIGN_OR_RETURN(
                const IndexRow after,
                this->SortKeyAfter(db, {client_id, after_id}, {order_column_, "id"}));
            values.insert(values.end(), after.begin(), after.end());
          }
          values.push_back({"limit", int64_t{page_size} + 1});
          SQLite::Statement statement(db, sql);
          BindValues(statement, 1, values);
          return ReadResourcePage<Resource>(statement, page_size);
        });
  }

 private:
  static absl::Status NoCheck(SQLite::Database&) { return absl::OkStatus(); }

  // The columns every client record has (create_unix_micros, state), then the kind's own.
  static DerivedColumns<Resource> WithCreateTimeAndState(DerivedColumns<Resource> extra) {
    return [extra = std::move(extra)](
               const Resource& record) -> absl::StatusOr<std::vector<ColumnAndValue>> {
      std::vector<ColumnAndValue> columns = {
          {"create_unix_micros", absl::ToUnixMicros(FromTimestamp(record.create_time()))},
          {"state", static_cast<int64_t>(record.state())},
      };
      if (extra) {
        VELKNEE_ASSIGN_OR_RETURN(std::vector<ColumnAndValue> more, extra(record));
        for (ColumnAndValue& column : more) columns.push_back(std::move(column));
      }
      return columns;
    };
  }

  const std::string order_column_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_RECORDS_CLIENT_RECORD_STORE_H_
