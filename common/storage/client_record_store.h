#ifndef VELKNEE_COMMON_STORAGE_CLIENT_RECORD_STORE_H_
#define VELKNEE_COMMON_STORAGE_CLIENT_RECORD_STORE_H_

// The store shared by the clinical records that live under a client (assessments, plans,
// notes). Each kind has a table with these columns, created by its service's migration:
//
//   id TEXT PRIMARY KEY, client_id TEXT NOT NULL, create_unix_micros INTEGER NOT NULL,
//   state INTEGER NOT NULL, resource BLOB NOT NULL
//
// plus whatever indexes and triggers the kind needs (e.g. refusing changes to a locked state),
// and any further columns the kind derives from the resource to search or aggregate on
// (`IndexColumns`). `Resource` is the API message: it has name, state(), create_time,
// update_time and etag.
//
// Thread-safe (the Database serialises writes).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/etag.h"
#include "common/api/idempotency.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/audit/audit_log.h"
#include "common/crypto/random.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/storage/database.h"
#include "common/storage/resource_rows.h"

namespace velknee {

// A value for a derived column: NULL, an integer or text.
using ColumnValue = std::variant<std::monostate, int64_t, std::string>;

// A column and its value, for derived columns and for list filters ("column = value").
struct ColumnAndValue {
  std::string column;
  ColumnValue value;
};

template <typename Resource>
class ClientRecordStore {
 public:
  // Derived columns written with every insert and update.
  using IndexColumns = std::function<std::vector<ColumnAndValue>(const Resource&)>;

  // `table` is the kind's table; `pattern` its resource name pattern, with the client first
  // ("clients/{client}/plans/{plan}").
  // Lists are newest first by `order_column` (an integer column: create_unix_micros, or a
  // derived one such as a session time).
  ClientRecordStore(Database* db, std::string table, std::string pattern,
                    IndexColumns index_columns = nullptr,
                    std::string order_column = "create_unix_micros")
      : db_(db),
        table_(std::move(table)),
        pattern_(std::move(pattern)),
        index_columns_(std::move(index_columns)),
        order_column_(std::move(order_column)) {}

  // The answer already given to the request with `key`, if any: a retry is answered from it
  // before any peer is asked again. INVALID_ARGUMENT when the id was used for another request.
  absl::StatusOr<std::optional<Resource>> FindEarlierResponse(const IdempotencyKey& key) {
    return FindEarlierIdempotentResponse<Resource>(*db_, key);
  }

  // Stores `record` as a new record of client `client_id` with a fresh random id, once per
  // idempotency key. `check` runs first in the same transaction; its error aborts the create.
  absl::StatusOr<Resource> Create(
      const std::string& client_id, Resource record, const IdempotencyKey& key,
      const AuditEvent& audit, absl::FunctionRef<absl::Status(SQLite::Database&)> check = NoCheck) {
    absl::StatusOr<Resource> result;
    VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
      result = RunOnce<Resource>(db, key, [&]() -> absl::StatusOr<Resource> {
        VELKNEE_RETURN_IF_ERROR(check(db));
        const std::string id = NewResourceId();
        const absl::Time now = absl::Now();
        record.set_name(FormatResourceName(pattern_, {client_id, id}));
        *record.mutable_create_time() = ToTimestamp(now);
        StampRevision(record, now);
        const std::vector<ColumnAndValue> extra = ExtraColumns(record);
        std::string columns = "id, client_id, create_unix_micros, state, resource";
        std::string values = "?, ?, ?, ?, ?";
        for (const ColumnAndValue& column : extra) {
          absl::StrAppend(&columns, ", ", column.column);
          values += ", ?";
        }
        SQLite::Statement insert(
            db, absl::StrCat("INSERT INTO ", table_, " (", columns, ") VALUES (", values, ")"));
        const std::string bytes = record.SerializeAsString();
        insert.bind(1, id);
        insert.bind(2, client_id);
        insert.bind(3, absl::ToUnixMicros(now));
        insert.bind(4, static_cast<int>(record.state()));
        insert.bind(5, bytes.data(), static_cast<int>(bytes.size()));
        BindValues(insert, 6, extra);
        insert.exec();
        Audit(db, audit, record.name());
        return record;
      });
      return result.status();
    }));
    return result;
  }

  // NOT_FOUND unless client `client_id` has record `id`.
  absl::StatusOr<Resource> Get(const std::string& client_id, const std::string& id) {
    absl::StatusOr<Resource> result;
    VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
      result = ReadRecord(db, client_id, id);
      return result.status();
    }));
    return result;
  }

  // Reads the record, checks `etag` (ABORTED on mismatch), lets `change` edit it (its error
  // aborts the update; it may also read `db`), stamps it and stores it with `audit`, all in one
  // transaction. With a `key`, a repeat of the same request returns the first answer without
  // running again (for state changes that take a request_id, like signing). NOT_FOUND when
  // there is no such record.
  absl::StatusOr<Resource> Update(
      const std::string& client_id, const std::string& id, const std::string& etag,
      absl::FunctionRef<absl::Status(Resource&, SQLite::Database&)> change, const AuditEvent& audit,
      const IdempotencyKey& key = {}) {
    absl::StatusOr<Resource> result;
    VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
      result = RunOnce<Resource>(db, key, [&]() -> absl::StatusOr<Resource> {
        return UpdateInTransaction(db, client_id, id, etag, change, audit);
      });
      return result.status();
    }));
    return result;
  }

  // The client's records, newest first, only those whose columns equal `filters`, after the
  // record with id `after_id` (empty: from the newest). `check` runs first in the same read
  // transaction.
  absl::StatusOr<ResourcePage<Resource>> List(
      const std::string& client_id, const std::vector<ColumnAndValue>& filters, int page_size,
      const std::string& after_id,
      absl::FunctionRef<absl::Status(SQLite::Database&)> check = NoCheck) {
    absl::StatusOr<ResourcePage<Resource>> page;
    VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) -> absl::Status {
      VELKNEE_RETURN_IF_ERROR(check(db));
      std::string sql =
          absl::StrCat("SELECT id, resource FROM ", table_, " WHERE client_id = :client");
      for (const ColumnAndValue& filter : filters)
        absl::StrAppend(&sql, " AND ", filter.column, " = ?");
      if (!after_id.empty()) {
        absl::StrAppend(&sql, " AND (", order_column_, ", id) < (SELECT ", order_column_,
                        ", id FROM ", table_, " WHERE id = :after AND client_id = :client)");
      }
      absl::StrAppend(&sql, " ORDER BY ", order_column_, " DESC, id DESC LIMIT :limit");
      SQLite::Statement statement(db, sql);
      statement.bind(":client", client_id);
      BindValues(statement, 2, filters);
      if (!after_id.empty()) statement.bind(":after", after_id);
      statement.bind(":limit", page_size + 1);
      page = ReadResourcePage<Resource>(statement, page_size);
      return page.status();
    }));
    return page;
  }

  // Inside a transaction: client `client_id`'s record `id`, or NOT_FOUND.
  absl::StatusOr<Resource> ReadRecord(SQLite::Database& db, const std::string& client_id,
                                      const std::string& id) const {
    SQLite::Statement query(
        db, absl::StrCat("SELECT resource FROM ", table_, " WHERE id = ? AND client_id = ?"));
    query.bind(1, id);
    query.bind(2, client_id);
    if (!query.executeStep()) {
      return ResourceNotFound(FormatResourceName(pattern_, {client_id, id}));
    }
    return ParseResourceColumn<Resource>(query.getColumn(0), id);
  }

 private:
  static absl::Status NoCheck(SQLite::Database&) { return absl::OkStatus(); }

  absl::StatusOr<Resource> UpdateInTransaction(
      SQLite::Database& db, const std::string& client_id, const std::string& id,
      const std::string& etag, absl::FunctionRef<absl::Status(Resource&, SQLite::Database&)> change,
      const AuditEvent& audit) {
    VELKNEE_ASSIGN_OR_RETURN(Resource record, ReadRecord(db, client_id, id));
    VELKNEE_RETURN_IF_ERROR(CheckEtag(etag, record.etag(), record.name()));
    VELKNEE_RETURN_IF_ERROR(change(record, db));
    StampRevision(record, absl::Now());
    const std::vector<ColumnAndValue> extra = ExtraColumns(record);
    std::string assignments = "state = ?, resource = ?";
    for (const ColumnAndValue& column : extra) {
      absl::StrAppend(&assignments, ", ", column.column, " = ?");
    }
    SQLite::Statement update(
        db, absl::StrCat("UPDATE ", table_, " SET ", assignments, " WHERE id = ?"));
    const std::string bytes = record.SerializeAsString();
    update.bind(1, static_cast<int>(record.state()));
    update.bind(2, bytes.data(), static_cast<int>(bytes.size()));
    const int next = BindValues(update, 3, extra);
    update.bind(next, id);
    update.exec();
    Audit(db, audit, record.name());
    return record;
  }

  std::vector<ColumnAndValue> ExtraColumns(const Resource& record) const {
    return index_columns_ ? index_columns_(record) : std::vector<ColumnAndValue>();
  }

  // Binds `values` from position `first` on; returns the next free position.
  static int BindValues(SQLite::Statement& statement, int first,
                        const std::vector<ColumnAndValue>& values) {
    int position = first;
    for (const ColumnAndValue& column : values) {
      if (const auto* number = std::get_if<int64_t>(&column.value)) {
        statement.bind(position, *number);
      } else if (const auto* text = std::get_if<std::string>(&column.value)) {
        statement.bind(position, *text);
      } else {
        statement.bind(position);  // NULL
      }
      ++position;
    }
    return position;
  }

  static void Audit(SQLite::Database& db, AuditEvent event, const std::string& resource) {
    event.resource = resource;
    AppendAuditEvent(db, event);
  }

  Database* const db_;
  const std::string table_;
  const std::string pattern_;
  const IndexColumns index_columns_;
  const std::string order_column_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_STORAGE_CLIENT_RECORD_STORE_H_
