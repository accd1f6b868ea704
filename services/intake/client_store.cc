#include "services/intake/client_store.h"

#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/intake/names.h"

namespace velknee::intake {

const Migration kClientsMigration = {"clients",
                                     R"sql(
      CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        given_key TEXT NOT NULL,
        family_key TEXT NOT NULL,
        full_name_key TEXT NOT NULL,
        phone_digits TEXT NOT NULL,
        archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX clients_by_name ON clients (family_key, given_key, id);
      CREATE INDEX clients_by_given ON clients (given_key);
      CREATE INDEX clients_by_full_name ON clients (full_name_key);
    )sql"};

namespace {

// Above every UTF-8 byte, so [prefix, prefix + kAfterAll) is every string with that prefix.
constexpr absl::string_view kAfterAll = "\xff";

std::string NameKey(absl::string_view name) { return absl::AsciiStrToLower(name); }

std::string Digits(absl::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (absl::ascii_isdigit(c)) digits.push_back(c);
  }
  return digits;
}

std::vector<ColumnAndValue> ClientColumns(const v1::Client& client) {
  const std::string given = NameKey(client.given_name());
  const std::string family = NameKey(client.family_name());
  return {
      {"given_key", given},
      {"family_key", family},
      {"full_name_key", absl::StrCat(given, " ", family)},
      {"phone_digits", Digits(client.phone())},
      {"archived", int64_t{client.state() == v1::Client::STATE_ARCHIVED ? 1 : 0}},
  };
}

}  // namespace

ClientStore::ClientStore(Database* db)
    : RecordStore(db, "clients", std::string(kClientPattern), ClientColumns) {}

absl::StatusOr<ResourcePage<v1::Client>> ClientStore::List(const ClientQuery& query, int page_size,
                                                           const std::string& after_id) {
  const bool by_phone = !query.text.empty() && Digits(query.text) == query.text;
  std::string sql = "SELECT id, resource FROM clients WHERE 1";
  if (!query.show_archived) sql += " AND archived = 0";
  if (by_phone) {
    sql += " AND instr(phone_digits, :text) > 0";
  } else if (!query.text.empty()) {
    sql +=
        " AND ((given_key >= :text AND given_key < :text_end)"
        " OR (family_key >= :text AND family_key < :text_end)"
        " OR (full_name_key >= :text AND full_name_key < :text_end))";
  }
  if (!after_id.empty()) {
    sql +=
        " AND (family_key, given_key, id) > "
        "(SELECT family_key, given_key, id FROM clients WHERE id = :after)";
  }
  sql += " ORDER BY family_key, given_key, id LIMIT :limit";

  return database().Read([&](SQLite::Database& db) {
    SQLite::Statement statement(db, sql);
    if (!query.text.empty()) statement.bind(":text", query.text);
    if (!query.text.empty() && !by_phone) {
      statement.bind(":text_end", absl::StrCat(query.text, kAfterAll));
    }
    if (!after_id.empty()) statement.bind(":after", after_id);
    statement.bind(":limit", page_size + 1);
    return ReadResourcePage<v1::Client>(statement, page_size);
  });
}

}  // namespace velknee::intake
