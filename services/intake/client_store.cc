#include "services/intake/client_store.h"

#include <set>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
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

// ListClients' search, a page in one range scan whatever the query matches: each client has a
// row per search key, every key a client can be found by a prefix of.
//   - "n" + "given family" and "n" + "family given", lowercased: a query matches a client
//     whose given or family name starts with it, or whose full name does in either order;
//   - "p" + every suffix of the phone's digits: a query's digits match anywhere in the number
//     exactly when they are a prefix of one of its suffixes.
// The archived flag leads the key, so the default list never steps over archived clients.
// The backfill writes what ClientSearchRows writes, from the columns the clients table had.
const Migration kClientSearchKeysMigration = {"client search keys",
                                              R"sql(
      CREATE TABLE client_search_keys (
        archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
        key TEXT NOT NULL,
        client_id TEXT NOT NULL REFERENCES clients (id),
        PRIMARY KEY (archived, key, client_id)
      ) WITHOUT ROWID;
      INSERT INTO client_search_keys (archived, key, client_id)
        SELECT archived, 'n' || given_key || ' ' || family_key, id FROM clients
        UNION
        SELECT archived, 'n' || family_key || ' ' || given_key, id FROM clients;
      WITH RECURSIVE suffixes (archived, digits, id) AS (
          SELECT archived, phone_digits, id FROM clients WHERE phone_digits != ''
          UNION ALL
          SELECT archived, substr(digits, 2), id FROM suffixes WHERE length(digits) > 1)
      INSERT INTO client_search_keys (archived, key, client_id)
        SELECT archived, 'p' || digits, id FROM suffixes;
      DROP INDEX clients_by_given;
      DROP INDEX clients_by_full_name;
      ALTER TABLE clients DROP COLUMN full_name_key;
      ALTER TABLE clients DROP COLUMN phone_digits;
      CREATE INDEX clients_active_by_name ON clients (family_key, given_key, id) WHERE archived = 0;
    )sql"};

namespace {

// Above every UTF-8 byte, so [prefix, prefix + kAfterAll) is every string with that prefix.
constexpr absl::string_view kAfterAll = "\xff";

// The namespaces of client_search_keys.
constexpr absl::string_view kNameKeys = "n";
constexpr absl::string_view kPhoneKeys = "p";

std::string NameKey(absl::string_view name) { return absl::AsciiStrToLower(name); }

std::string Digits(absl::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (absl::ascii_isdigit(c)) digits.push_back(c);
  }
  return digits;
}

int64_t Archived(const v1::Client& client) {
  return client.state() == v1::Client::STATE_ARCHIVED ? 1 : 0;
}

std::vector<ColumnAndValue> ClientColumns(const v1::Client& client) {
  return {
      {"given_key", NameKey(client.given_name())},
      {"family_key", NameKey(client.family_name())},
      {"archived", Archived(client)},
  };
}

// The search keys of `client`, ascending and distinct (see kClientSearchKeysMigration).
std::vector<std::string> SearchKeys(const v1::Client& client) {
  const std::string given = NameKey(client.given_name());
  const std::string family = NameKey(client.family_name());
  std::set<std::string> keys = {absl::StrCat(kNameKeys, given, " ", family),
                                absl::StrCat(kNameKeys, family, " ", given)};
  const std::string digits = Digits(client.phone());
  for (size_t i = 0; i < digits.size(); ++i) {
    keys.insert(absl::StrCat(kPhoneKeys, digits.substr(i)));
  }
  return {keys.begin(), keys.end()};
}

std::vector<IndexRow> ClientSearchRows(const v1::Client& client) {
  std::vector<IndexRow> rows;
  for (std::string& key : SearchKeys(client)) {
    rows.push_back({{"archived", Archived(client)},
                    {"key", std::move(key)},
                    {"client_id", IdOf(client.name())}});
  }
  return rows;
}

// The key a search for `prefix` lists `client` at: the first of its keys with that prefix
// (so a client matching twice is listed once); empty when it does not match.
std::string ListedAt(const v1::Client& client, absl::string_view prefix) {
  for (const std::string& key : SearchKeys(client)) {
    if (absl::StartsWith(key, prefix)) return key;
  }
  return "";
}

}  // namespace

ClientStore::ClientStore(Database* db)
    : RecordStore(db, "clients", std::string(kClientPattern), ClientColumns,
                  {"client_search_keys", ClientSearchRows}) {}

absl::StatusOr<ResourcePage<v1::Client>> ClientStore::List(const ClientQuery& query, int page_size,
                                                           const std::string& after_id) {
  return database().Read([&](SQLite::Database& db) {
    return query.text.empty() ? ListByName(db, query.show_archived, page_size, after_id)
                              : Search(db, query, page_size, after_id);
  });
}

absl::StatusOr<ResourcePage<v1::Client>> ClientStore::ListByName(SQLite::Database& db,
                                                                 bool show_archived, int page_size,
                                                                 const std::string& after_id) {
  // Without archived clients, the scan is of the partial index clients_active_by_name, which
  // has none to step over.
  std::string sql = show_archived ? "SELECT id, resource FROM clients WHERE 1"
                                  : "SELECT id, resource FROM clients WHERE archived = 0";
  IndexRow after;
  if (!after_id.empty()) {
    VELKNEE_ASSIGN_OR_RETURN(after,
                             SortKeyAfter(db, {after_id}, {"family_key", "given_key", "id"}));
    sql += " AND (family_key, given_key, id) > (?, ?, ?)";
  }
  sql += " ORDER BY family_key, given_key, id LIMIT ?";
  SQLite::Statement statement(db, sql);
  statement.bind(BindValues(statement, 1, after), page_size + 1);
  return ReadResourcePage<v1::Client>(statement, page_size);
}

absl::StatusOr<ResourcePage<v1::Client>> ClientStore::Search(SQLite::Database& db,
                                                             const ClientQuery& query,
                                                             int page_size,
                                                             const std::string& after_id) {
  const bool by_phone = Digits(query.text) == query.text;
  const std::string prefix = absl::StrCat(by_phone ? kPhoneKeys : kNameKeys, query.text);
  // Every id sorts after "", so (prefix, "") starts the first page at the first key.
  IndexRow start = {{"key", prefix}, {"client_id", ""}};
  if (!after_id.empty()) {
    VELKNEE_ASSIGN_OR_RETURN(const v1::Client after, ReadAfter(db, {after_id}));
    std::string key = ListedAt(after, prefix);
    if (key.empty()) {
      return WithReason(absl::AbortedError("page_token: the client the previous page ended with "
                                           "has changed and no longer matches the query; search "
                                           "again without a token"),
                        "PAGE_TOKEN_STALE");
    }
    start = {{"key", std::move(key)}, {"client_id", after_id}};
  }
  // One range scan per archived state the list shows; SQLite merges two of them in key order
  // without sorting. No LIMIT: the rows of a client's further matching keys are skipped.
  const std::string scan =
      "SELECT k.client_id, c.resource, k.key FROM client_search_keys k "
      "JOIN clients c ON c.id = k.client_id "
      "WHERE k.archived = ? AND (k.key, k.client_id) > (?, ?) AND k.key < ?";
  const ColumnAndValue end = {"key", absl::StrCat(prefix, kAfterAll)};
  std::vector<ColumnAndValue> values = {{"archived", int64_t{0}}};
  values.insert(values.end(), start.begin(), start.end());
  values.push_back(end);
  std::string sql = scan;
  if (query.show_archived) {
    absl::StrAppend(&sql, " UNION ALL ", scan);
    values.push_back({"archived", int64_t{1}});
    values.insert(values.end(), start.begin(), start.end());
    values.push_back(end);
  }
  sql += " ORDER BY 3, 1";
  SQLite::Statement statement(db, sql);
  BindValues(statement, 1, values);
  return ReadResourcePage<v1::Client>(statement, page_size, [&](const v1::Client& client) {
    return ListedAt(client, prefix) == statement.getColumn(2).getString();
  });
}

}  // namespace velknee::intake
