#include "services/intake/client_store.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/etag.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/crypto/random.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/storage/resource_rows.h"

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

constexpr absl::string_view kPattern = "clients/{client}";
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

void WriteRow(SQLite::Database& db, const std::string& id, const v1::Client& client, bool insert) {
  SQLite::Statement statement(
      db, insert ? "INSERT INTO clients (given_key, family_key, full_name_key, phone_digits, "
                   "archived, resource, id) VALUES (?, ?, ?, ?, ?, ?, ?)"
                 : "UPDATE clients SET given_key = ?, family_key = ?, full_name_key = ?, "
                   "phone_digits = ?, archived = ?, resource = ? WHERE id = ?");
  const std::string given = NameKey(client.given_name());
  const std::string family = NameKey(client.family_name());
  const std::string bytes = client.SerializeAsString();
  statement.bind(1, given);
  statement.bind(2, family);
  statement.bind(3, absl::StrCat(given, " ", family));
  statement.bind(4, Digits(client.phone()));
  statement.bind(5, client.state() == v1::Client::STATE_ARCHIVED ? 1 : 0);
  statement.bind(6, bytes.data(), static_cast<int>(bytes.size()));
  statement.bind(7, id);
  statement.exec();
}

}  // namespace

absl::StatusOr<v1::Client> ReadClient(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, "SELECT resource FROM clients WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return ResourceNotFound(FormatResourceName(kPattern, {id}));
  return ParseResourceColumn<v1::Client>(query.getColumn(0), id);
}

absl::StatusOr<v1::Client> ClientStore::Create(v1::Client client, const IdempotencyKey& key,
                                               const AuditEvent& audit) {
  absl::StatusOr<v1::Client> result;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
    result = RunOnce<v1::Client>(db, key, [&]() -> absl::StatusOr<v1::Client> {
      const std::string id = NewResourceId();
      const absl::Time now = absl::Now();
      client.set_name(FormatResourceName(kPattern, {id}));
      client.set_state(v1::Client::STATE_ACTIVE);
      *client.mutable_create_time() = ToTimestamp(now);
      StampRevision(client, now);
      WriteRow(db, id, client, /*insert=*/true);
      AuditEvent event = audit;
      event.resource = client.name();
      AppendAuditEvent(db, event);
      return client;
    });
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Client> ClientStore::Get(const std::string& id) {
  absl::StatusOr<v1::Client> result;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    result = ReadClient(db, id);
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Client> ClientStore::Update(const std::string& id, const std::string& etag,
                                               absl::FunctionRef<absl::Status(v1::Client&)> change,
                                               const AuditEvent& audit) {
  v1::Client client;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(client, ReadClient(db, id));
    VELKNEE_RETURN_IF_ERROR(CheckEtag(etag, client.etag(), client.name()));
    VELKNEE_RETURN_IF_ERROR(change(client));
    StampRevision(client, absl::Now());
    WriteRow(db, id, client, /*insert=*/false);
    AuditEvent event = audit;
    event.resource = client.name();
    AppendAuditEvent(db, event);
    return absl::OkStatus();
  }));
  return client;
}

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

  absl::StatusOr<ResourcePage<v1::Client>> page;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) -> absl::Status {
    SQLite::Statement statement(db, sql);
    if (!query.text.empty()) statement.bind(":text", query.text);
    if (!query.text.empty() && !by_phone) {
      statement.bind(":text_end", absl::StrCat(query.text, kAfterAll));
    }
    if (!after_id.empty()) statement.bind(":after", after_id);
    statement.bind(":limit", page_size + 1);
    page = ReadResourcePage<v1::Client>(statement, page_size);
    return page.status();
  }));
  return page;
}

}  // namespace velknee::intake
