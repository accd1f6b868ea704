#ifndef VELKNEE_COMMON_RECORDS_RECORD_STORE_H_
#define VELKNEE_COMMON_RECORDS_RECORD_STORE_H_

// The one way velknee stores an API resource (a client, an assessment, a plan, a note, a
// therapist, an appointment). Each kind has a table with one row per record: the record's ids in
// key columns, the serialized message in `resource`, and the columns the kind searches and sorts
// on, derived from the message at every write (DerivedColumns).
//
// Key columns follow the resource-name pattern: each variable but the last is stored in
// `<variable>_id`, the last in `id` ("clients/{client}/plans/{plan}" → client_id, id).
//
// Every write is one transaction: read → etag check (AIP-154) → change → stamp update_time and a
// new etag → write → the audit event naming the record; a write with a request_id (AIP-155) also
// remembers its answer, and a retry gets that answer without running again. Any error on the way
// (the change's, a derived column's, SQLite's) rolls all of it back.
//
// Thread-safe (the Database serialises writes).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/etag.h"
#include "common/api/idempotency.h"
#include "common/api/timestamps.h"
#include "common/audit/audit_log.h"
#include "common/crypto/random.h"
#include "common/records/resource_rows.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/storage/database.h"

namespace velknee {

// A value for a derived column: NULL, an integer or text.
using ColumnValue = std::variant<std::monostate, int64_t, std::string>;

// A column and its value, for derived columns and for list filters ("column = value").
struct ColumnAndValue {
  std::string column;
  ColumnValue value;

  friend bool operator==(const ColumnAndValue&, const ColumnAndValue&) = default;
};

// One row of an index table (IndexTable): every column of the table with its value.
using IndexRow = std::vector<ColumnAndValue>;

// Binds `values` to `statement` from position `first` on; returns the next free position.
int BindValues(SQLite::Statement& statement, int first, const std::vector<ColumnAndValue>& values);

// The columns a kind derives from its message. An error (e.g. a reference that does not parse)
// refuses the write.
template <typename Resource>
using DerivedColumns =
    std::function<absl::StatusOr<std::vector<ColumnAndValue>>(const Resource& record)>;

// A table a kind keeps beside its records so that a list can find a record, in one index range
// scan, by something that is not one value of its row: a client by the start of either name or
// by any digits of its phone, a therapist by each technique they offer. The rows are derived
// from the record at every write, in the same transaction as the record itself, and the rows
// an update no longer derives are removed, so the table never disagrees with the records.
template <typename Resource>
struct IndexTable {
  std::string table;
  // The rows standing for `record` (its name set). Every row lists the same columns, the whole
  // row is the table's primary key, and no two rows of one record are equal.
  std::function<std::vector<IndexRow>(const Resource& record)> rows;
};

// Inside a write transaction: deletes from index table `table` the rows of `old_rows` that are
// not in `new_rows` and inserts those of `new_rows` that are not in `old_rows`. Throws
// SQLite::Exception (mapped by Database::Write).
void ReplaceIndexRows(SQLite::Database& db, const std::string& table,
                      const std::vector<IndexRow>& old_rows, const std::vector<IndexRow>& new_rows);

// The SQL of one record table, whatever message it holds.
class RecordTable {
 public:
  // `table` holds records named by `pattern`.
  RecordTable(std::string table, std::string pattern);

  const std::string& table() const { return table_; }
  const std::string& pattern() const { return pattern_; }

  // The resource name of the record with `ids` (one per variable of the pattern).
  std::string NameOf(const std::vector<std::string>& ids) const;

  // Inside a transaction: the stored message of record `ids`, or NOT_FOUND naming it.
  absl::StatusOr<std::string> ReadMessage(SQLite::Database& db,
                                          const std::vector<std::string>& ids) const;

  // Inside a transaction: the values of `columns` in the row of record `ids`, or NOT_FOUND
  // naming it.
  absl::StatusOr<IndexRow> ReadColumns(SQLite::Database& db, const std::vector<std::string>& ids,
                                       const std::vector<std::string>& columns) const;

  // Inside a write transaction: writes the row of record `ids`. Throws SQLite::Exception (mapped
  // by Database::Write), e.g. a constraint or trigger refusing it.
  void Insert(SQLite::Database& db, const std::vector<std::string>& ids, const std::string& message,
              const std::vector<ColumnAndValue>& columns) const;
  void Update(SQLite::Database& db, const std::vector<std::string>& ids, const std::string& message,
              const std::vector<ColumnAndValue>& columns) const;

 private:
  // " WHERE client_id = ? AND id = ?", the key columns in pattern order.
  std::string KeyCondition() const;

  const std::string table_;
  const std::string pattern_;
  const std::vector<std::string> key_columns_;
};

template <typename Resource>
class RecordStore {
 public:
  // Runs inside a write's transaction, before the record is written; its error refuses the
  // write. It sees the record with its name set.
  using Check = absl::FunctionRef<absl::Status(SQLite::Database& db, const Resource& record)>;
  // Edits a stored record inside an update's transaction; its error refuses the update. It may
  // read the database too.
  using Change = absl::FunctionRef<absl::Status(Resource& record, SQLite::Database& db)>;

  // Records of `table`, named by `pattern`, with `columns` derived from each (none when null)
  // and the rows of `index` kept beside them (none when its `rows` is null).
  RecordStore(Database* db, std::string table, std::string pattern,
              DerivedColumns<Resource> columns = nullptr, IndexTable<Resource> index = {})
      : db_(db),
        table_(std::move(table), std::move(pattern)),
        columns_(std::move(columns)),
        index_(std::move(index)) {}

  // The answer already given to the request with `key`, if any: a handler answers a retry from
  // it before asking any peer again. INVALID_ARGUMENT when the id was used for another request.
  absl::StatusOr<std::optional<Resource>> FindEarlierResponse(const IdempotencyKey& key) {
    return FindEarlierIdempotentResponse<Resource>(*db_, key);
  }

  // Stores `record` as a new record under `parent_ids` (the pattern's ids but the last) with a
  // fresh random id, once per idempotency key: sets its name, create_time, update_time and
  // etag. `check` runs first in the same transaction. Returns the stored record.
  absl::StatusOr<Resource> Create(const std::vector<std::string>& parent_ids, Resource record,
                                  const IdempotencyKey& key, const AuditActor& actor,
                                  Check check = NoCheck) {
    std::vector<std::string> ids = parent_ids;
    ids.push_back(NewResourceId());
    return CreateWithId(std::move(ids), std::move(record), key, actor, check);
  }

  // As Create, with every id chosen by the caller (AIP-133). ALREADY_EXISTS when it is taken.
  absl::StatusOr<Resource> CreateWithId(const std::vector<std::string>& ids, Resource record,
                                        const IdempotencyKey& key, const AuditActor& actor,
                                        Check check = NoCheck) {
    return db_->Write([&](SQLite::Database& db) {
      return RunOnce<Resource>(db, key, [&]() -> absl::StatusOr<Resource> {
        record.set_name(table_.NameOf(ids));
        VELKNEE_RETURN_IF_ERROR(check(db, record));
        VELKNEE_RETURN_IF_ERROR(Insert(db, ids, record, actor));
        return record;
      });
    });
  }

  // Record `ids`; NOT_FOUND when there is none.
  absl::StatusOr<Resource> Get(const std::vector<std::string>& ids) {
    return db_->Read([&](SQLite::Database& db) { return Read(db, ids); });
  }

  // Reads record `ids`, checks `etag` (ABORTED, reason ETAG_MISMATCH, when it is set and stale),
  // lets `change` edit it, stamps update_time and a new etag, and stores it with the audit event
  // of `actor`, all in one transaction. With a `key`, a repeat of the same request returns the
  // first answer without running again (state changes that take a request_id, like signing).
  // NOT_FOUND when there is no such record; the change's error as it returns it.
  absl::StatusOr<Resource> Update(const std::vector<std::string>& ids, const std::string& etag,
                                  Change change, const AuditActor& actor,
                                  const IdempotencyKey& key = {}) {
    return db_->Write([&](SQLite::Database& db) {
      return RunOnce<Resource>(db, key, [&]() -> absl::StatusOr<Resource> {
        VELKNEE_ASSIGN_OR_RETURN(Resource record, Read(db, ids));
        VELKNEE_RETURN_IF_ERROR(CheckEtag(etag, record.etag(), record.name()));
        const std::vector<IndexRow> old_index_rows = IndexRows(record);
        VELKNEE_RETURN_IF_ERROR(change(record, db));
        StampRevision(record, absl::Now());
        VELKNEE_ASSIGN_OR_RETURN(const std::vector<ColumnAndValue> columns, Columns(record));
        table_.Update(db, ids, record.SerializeAsString(), columns);
        ReplaceIndexRows(db, index_.table, old_index_rows, IndexRows(record));
        AppendSuccess(db, actor, record.name());
        return record;
      });
    });
  }

  // Inside a transaction: record `ids`, or NOT_FOUND. DATA_LOSS when its row is unreadable.
  absl::StatusOr<Resource> Read(SQLite::Database& db, const std::vector<std::string>& ids) const {
    VELKNEE_ASSIGN_OR_RETURN(const std::string message, table_.ReadMessage(db, ids));
    return ParseStoredResource<Resource>(message, table_.NameOf(ids));
  }

  // Inside a write transaction: names `record` by `ids`, stamps its create_time, update_time and
  // etag, inserts it and appends the audit event of `actor`. For writes of several records at
  // once (a series of bookings); Create is the usual way in.
  absl::Status Insert(SQLite::Database& db, const std::vector<std::string>& ids, Resource& record,
                      const AuditActor& actor) const {
    const absl::Time now = absl::Now();
    record.set_name(table_.NameOf(ids));
    *record.mutable_create_time() = ToTimestamp(now);
    StampRevision(record, now);
    VELKNEE_ASSIGN_OR_RETURN(const std::vector<ColumnAndValue> columns, Columns(record));
    table_.Insert(db, ids, record.SerializeAsString(), columns);
    ReplaceIndexRows(db, index_.table, {}, IndexRows(record));
    AppendSuccess(db, actor, record.name());
    return absl::OkStatus();
  }

  // Inside a transaction: where a list resumes after record `ids`, the last item of the page
  // before: the values of the list's `sort_columns` in its row, now. Lists bind them as the
  // bound of their next range scan (a bound written as a subquery would keep SQLite from
  // seeking to it). INVALID_ARGUMENT on page_token when the record no longer exists.
  absl::StatusOr<IndexRow> SortKeyAfter(SQLite::Database& db, const std::vector<std::string>& ids,
                                        const std::vector<std::string>& sort_columns) const {
    return ForPageToken(table_.ReadColumns(db, ids, sort_columns));
  }
  // As SortKeyAfter, for lists that derive where they resume from the whole record.
  absl::StatusOr<Resource> ReadAfter(SQLite::Database& db,
                                     const std::vector<std::string>& ids) const {
    return ForPageToken(Read(db, ids));
  }

  // The resource name of record `ids`.
  std::string NameOf(const std::vector<std::string>& ids) const { return table_.NameOf(ids); }

 protected:
  Database& database() const { return *db_; }
  const RecordTable& table() const { return table_; }

 private:
  static absl::Status NoCheck(SQLite::Database&, const Resource&) { return absl::OkStatus(); }

  template <typename T>
  static absl::StatusOr<T> ForPageToken(absl::StatusOr<T> found) {
    if (absl::IsNotFound(found.status())) {
      return InvalidField("page_token", "continues after a record that no longer exists");
    }
    return found;
  }

  absl::StatusOr<std::vector<ColumnAndValue>> Columns(const Resource& record) const {
    if (!columns_) return std::vector<ColumnAndValue>();
    return columns_(record);
  }

  std::vector<IndexRow> IndexRows(const Resource& record) const {
    if (!index_.rows) return {};
    return index_.rows(record);
  }

  Database* const db_;
  const RecordTable table_;
  const DerivedColumns<Resource> columns_;
  const IndexTable<Resource> index_;
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_RECORDS_RECORD_STORE_H_
