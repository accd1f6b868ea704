#include "services/intake/assessment_store.h"

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/api/etag.h"
#include "common/api/resource_name.h"
#include "common/api/timestamps.h"
#include "common/crypto/random.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/intake/client_store.h"

namespace velknee::intake {

const Migration kAssessmentsMigration = {
    "assessments",
    R"sql(
      CREATE TABLE assessments (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients (id),
        create_unix_micros INTEGER NOT NULL,
        submitted INTEGER NOT NULL CHECK (submitted IN (0, 1)),
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX assessments_by_client ON assessments (client_id, create_unix_micros, id);
      CREATE TRIGGER assessments_locked_once_submitted BEFORE UPDATE ON assessments
      WHEN OLD.submitted = 1
      BEGIN SELECT RAISE(ABORT, 'a submitted assessment is locked'); END;
      CREATE TRIGGER assessments_never_deleted BEFORE DELETE ON assessments
      BEGIN SELECT RAISE(ABORT, 'assessments are never deleted'); END;
    )sql"};

namespace {

constexpr absl::string_view kPattern = "clients/{client}/assessments/{assessment}";

absl::StatusOr<v1::Assessment> ReadAssessment(SQLite::Database& db, const std::string& client_id,
                                              const std::string& id) {
  SQLite::Statement query(db, "SELECT resource FROM assessments WHERE id = ? AND client_id = ?");
  query.bind(1, id);
  query.bind(2, client_id);
  if (!query.executeStep()) {
    return ResourceNotFound(FormatResourceName(kPattern, {client_id, id}));
  }
  return ParseResourceColumn<v1::Assessment>(query.getColumn(0), id);
}

bool IsSubmitted(const v1::Assessment& assessment) {
  return assessment.state() == v1::Assessment::STATE_SUBMITTED;
}

}  // namespace

absl::StatusOr<v1::Assessment> AssessmentStore::Create(const std::string& client_id,
                                                       v1::Assessment assessment,
                                                       const IdempotencyKey& key,
                                                       const AuditEvent& audit) {
  absl::StatusOr<v1::Assessment> result;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) {
    result = RunOnce<v1::Assessment>(db, key, [&]() -> absl::StatusOr<v1::Assessment> {
      VELKNEE_ASSIGN_OR_RETURN(const v1::Client client, ReadClient(db, client_id));
      if (client.state() == v1::Client::STATE_ARCHIVED) {
        return PreconditionFailed(
            "CLIENT_ARCHIVED", "cannot assess",
            {{"STATE", client.name(), absl::StrCat(client.name(), " is archived")}});
      }
      const std::string id = NewResourceId();
      const absl::Time now = absl::Now();
      assessment.set_name(FormatResourceName(kPattern, {client_id, id}));
      *assessment.mutable_create_time() = ToTimestamp(now);
      StampRevision(assessment, now);
      SQLite::Statement insert(db,
                               "INSERT INTO assessments (id, client_id, create_unix_micros, "
                               "submitted, resource) VALUES (?, ?, ?, ?, ?)");
      const std::string bytes = assessment.SerializeAsString();
      insert.bind(1, id);
      insert.bind(2, client_id);
      insert.bind(3, absl::ToUnixMicros(now));
      insert.bind(4, IsSubmitted(assessment) ? 1 : 0);
      insert.bind(5, bytes.data(), static_cast<int>(bytes.size()));
      insert.exec();
      AuditEvent event = audit;
      event.resource = assessment.name();
      AppendAuditEvent(db, event);
      return assessment;
    });
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Assessment> AssessmentStore::Get(const std::string& client_id,
                                                    const std::string& id) {
  absl::StatusOr<v1::Assessment> result;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) {
    result = ReadAssessment(db, client_id, id);
    return result.status();
  }));
  return result;
}

absl::StatusOr<v1::Assessment> AssessmentStore::Update(
    const std::string& client_id, const std::string& id, const std::string& etag,
    absl::FunctionRef<absl::Status(v1::Assessment&)> change, const AuditEvent& audit) {
  v1::Assessment assessment;
  VELKNEE_RETURN_IF_ERROR(db_->Write([&](SQLite::Database& db) -> absl::Status {
    VELKNEE_ASSIGN_OR_RETURN(assessment, ReadAssessment(db, client_id, id));
    VELKNEE_RETURN_IF_ERROR(CheckEtag(etag, assessment.etag(), assessment.name()));
    VELKNEE_RETURN_IF_ERROR(change(assessment));
    StampRevision(assessment, absl::Now());
    SQLite::Statement update(db, "UPDATE assessments SET submitted = ?, resource = ? WHERE id = ?");
    const std::string bytes = assessment.SerializeAsString();
    update.bind(1, IsSubmitted(assessment) ? 1 : 0);
    update.bind(2, bytes.data(), static_cast<int>(bytes.size()));
    update.bind(3, id);
    update.exec();
    AuditEvent event = audit;
    event.resource = assessment.name();
    AppendAuditEvent(db, event);
    return absl::OkStatus();
  }));
  return assessment;
}

absl::StatusOr<ResourcePage<v1::Assessment>> AssessmentStore::List(const std::string& client_id,
                                                                   int page_size,
                                                                   const std::string& after_id) {
  absl::StatusOr<ResourcePage<v1::Assessment>> page;
  VELKNEE_RETURN_IF_ERROR(db_->Read([&](SQLite::Database& db) -> absl::Status {
    VELKNEE_RETURN_IF_ERROR(ReadClient(db, client_id).status());
    std::string sql = "SELECT id, resource FROM assessments WHERE client_id = :client";
    if (!after_id.empty()) {
      sql +=
          " AND (create_unix_micros, id) < "
          "(SELECT create_unix_micros, id FROM assessments WHERE id = :after)";
    }
    sql += " ORDER BY create_unix_micros DESC, id DESC LIMIT :limit";
    SQLite::Statement statement(db, sql);
    statement.bind(":client", client_id);
    if (!after_id.empty()) statement.bind(":after", after_id);
    statement.bind(":limit", page_size + 1);
    page = ReadResourcePage<v1::Assessment>(statement, page_size);
    return page.status();
  }));
  return page;
}

}  // namespace velknee::intake
