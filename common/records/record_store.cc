#include "common/records/record_store.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"

namespace velknee {
namespace {

// The key column of each variable of `pattern`: `<variable>_id` for the parents, `id` last.
std::vector<std::string> KeyColumns(absl::string_view pattern) {
  std::vector<std::string> columns;
  for (const std::string& variable : PatternVariables(pattern)) {
    columns.push_back(absl::StrCat(variable, "_id"));
  }
  columns.back() = "id";
  return columns;
}

// Binds the key `ids` from position `first` on; returns the next free position.
int BindIds(SQLite::Statement& statement, int first, const std::vector<std::string>& ids) {
  int position = first;
  for (const std::string& id : ids) statement.bind(position++, id);
  return position;
}

// The rows of `rows` that `others` does not have.
std::vector<const IndexRow*> RowsNotIn(const std::vector<IndexRow>& rows,
                                       const std::vector<IndexRow>& others) {
  std::vector<const IndexRow*> missing;
  for (const IndexRow& row : rows) {
    if (std::find(others.begin(), others.end(), row) == others.end()) missing.push_back(&row);
  }
  return missing;
}

std::vector<std::string> ColumnNames(const IndexRow& row) {
  std::vector<std::string> names;
  for (const ColumnAndValue& column : row) names.push_back(column.column);
  return names;
}

// "INSERT INTO table (c1, c2) VALUES (?, ?)".
std::string InsertSql(absl::string_view table, const std::vector<std::string>& columns) {
  const std::vector<absl::string_view> placeholders(columns.size(), "?");
  return absl::StrCat("INSERT INTO ", table, " (", absl::StrJoin(columns, ", "), ") VALUES (",
                      absl::StrJoin(placeholders, ", "), ")");
}

// Runs `sql` once per row of `rows`, binding each row's values in column order.
void ExecPerRow(SQLite::Database& db, const std::string& sql,
                const std::vector<const IndexRow*>& rows) {
  SQLite::Statement statement(db, sql);
  for (const IndexRow* row : rows) {
    statement.reset();
    BindValues(statement, 1, *row);
    statement.exec();
  }
}

}  // namespace

int BindValues(SQLite::Statement& statement, int first, const std::vector<ColumnAndValue>& values) {
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

void ReplaceIndexRows(SQLite::Database& db, const std::string& table,
                      const std::vector<IndexRow>& old_rows,
                      const std::vector<IndexRow>& new_rows) {
  // Most updates derive the same rows as before (a client's email changes, not their name).
  const std::vector<const IndexRow*> gone = RowsNotIn(old_rows, new_rows);
  const std::vector<const IndexRow*> added = RowsNotIn(new_rows, old_rows);
  if (!gone.empty()) {
    ExecPerRow(db,
               absl::StrCat("DELETE FROM ", table, " WHERE ",
                            absl::StrJoin(ColumnNames(*gone.front()), " = ? AND "), " = ?"),
               gone);
  }
  if (!added.empty()) {
    ExecPerRow(db, InsertSql(table, ColumnNames(*added.front())), added);
  }
}

RecordTable::RecordTable(std::string table, std::string pattern)
    : table_(std::move(table)), pattern_(std::move(pattern)), key_columns_(KeyColumns(pattern_)) {}

std::string RecordTable::NameOf(const std::vector<std::string>& ids) const {
  return FormatResourceName(pattern_, ids);
}

std::string RecordTable::KeyCondition() const {
  return absl::StrCat(" WHERE ", absl::StrJoin(key_columns_, " = ? AND "), " = ?");
}

absl::StatusOr<std::string> RecordTable::ReadMessage(SQLite::Database& db,
                                                     const std::vector<std::string>& ids) const {
  SQLite::Statement query(db, absl::StrCat("SELECT resource FROM ", table_, KeyCondition()));
  BindIds(query, 1, ids);
  if (!query.executeStep()) return ResourceNotFound(NameOf(ids));
  return query.getColumn(0).getString();
}

absl::StatusOr<IndexRow> RecordTable::ReadColumns(SQLite::Database& db,
                                                  const std::vector<std::string>& ids,
                                                  const std::vector<std::string>& columns) const {
  SQLite::Statement query(
      db, absl::StrCat("SELECT ", absl::StrJoin(columns, ", "), " FROM ", table_, KeyCondition()));
  BindIds(query, 1, ids);
  if (!query.executeStep()) return ResourceNotFound(NameOf(ids));
  IndexRow row;
  for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
    const SQLite::Column value = query.getColumn(i);
    if (value.isInteger()) {
      row.push_back({columns[i], value.getInt64()});
    } else if (value.isNull()) {
      row.push_back({columns[i], std::monostate()});
    } else {
      row.push_back({columns[i], value.getString()});
    }
  }
  return row;
}

void RecordTable::Insert(SQLite::Database& db, const std::vector<std::string>& ids,
                         const std::string& message,
                         const std::vector<ColumnAndValue>& columns) const {
  std::vector<std::string> names = key_columns_;
  names.push_back("resource");
  for (const ColumnAndValue& column : columns) names.push_back(column.column);
  SQLite::Statement insert(db, InsertSql(table_, names));
  const int next = BindIds(insert, 1, ids);
  insert.bind(next, message.data(), static_cast<int>(message.size()));
  BindValues(insert, next + 1, columns);
  insert.exec();
}

void RecordTable::Update(SQLite::Database& db, const std::vector<std::string>& ids,
                         const std::string& message,
                         const std::vector<ColumnAndValue>& columns) const {
  std::string assignments = "resource = ?";
  for (const ColumnAndValue& column : columns)
    absl::StrAppend(&assignments, ", ", column.column, " = ?");
  SQLite::Statement update(db,
                           absl::StrCat("UPDATE ", table_, " SET ", assignments, KeyCondition()));
  update.bind(1, message.data(), static_cast<int>(message.size()));
  const int next = BindValues(update, 2, columns);
  BindIds(update, next, ids);
  update.exec();
}

}  // namespace velknee
