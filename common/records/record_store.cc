#include "common/records/record_store.h"

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

void RecordTable::Insert(SQLite::Database& db, const std::vector<std::string>& ids,
                         const std::string& message,
                         const std::vector<ColumnAndValue>& columns) const {
  std::vector<std::string> names = key_columns_;
  names.push_back("resource");
  for (const ColumnAndValue& column : columns) names.push_back(column.column);
  std::vector<absl::string_view> placeholders(names.size(), "?");
  SQLite::Statement insert(
      db, absl::StrCat("INSERT INTO ", table_, " (", absl::StrJoin(names, ", "), ") VALUES (",
                       absl::StrJoin(placeholders, ", "), ")"));
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
