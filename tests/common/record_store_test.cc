#include "common/records/record_store.h"

#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/etag.h"
#include "common/api/idempotency.h"
#include "common/api/resource_name.h"
#include "common/audit/audit_log.h"
#include "common/records/client_record_store.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/assessment.pb.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee {
namespace {

using intake::v1::Assessment;
using intake::v1::Client;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::velknee::test::IsOk;
using ::velknee::test::IsOkAndHolds;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

constexpr char kClientPattern[] = "clients/{client}";
constexpr char kAssessmentPattern[] = "clients/{client}/assessments/{assessment}";

const Migration kRecordTables = {"records", R"sql(
      CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        family_key TEXT NOT NULL,
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE assessments (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        create_unix_micros INTEGER NOT NULL,
        state INTEGER NOT NULL,
        resource BLOB NOT NULL
      ) WITHOUT ROWID;
      CREATE TRIGGER assessments_locked BEFORE UPDATE ON assessments WHEN OLD.state = 2
      BEGIN SELECT RAISE(ABORT, 'a submitted assessment is locked'); END;
    )sql"};

// The family name as a searchable column; a client without one is refused, as a derived column
// that cannot be computed must refuse the write rather than store a blank.
absl::StatusOr<std::vector<ColumnAndValue>> FamilyKey(const Client& client) {
  if (client.family_name().empty()) return InvalidField("client.family_name", "is required");
  return std::vector<ColumnAndValue>{{"family_key", absl::AsciiStrToLower(client.family_name())}};
}

const AuditActor kAna = {"tablet-ana", "therapist",
                         "/velknee.intake.v1.IntakeService/UpdateClient"};

Client Greta() {
  Client client;
  client.set_given_name("Greta");
  client.set_family_name("Gardner");
  client.set_phone("+447700900123");
  return client;
}

absl::Status Unchanged(Client&, SQLite::Database&) { return absl::OkStatus(); }

MATCHER_P(EqualsProto, expected, "") {
  return google::protobuf::util::MessageDifferencer::Equals(arg, expected);
}

int CountRows(Database& db, const std::string& table) {
  const absl::StatusOr<int> count = db.Read([&](SQLite::Database& connection) {
    return absl::StatusOr<int>(
        connection.execAndGet(absl::StrCat("SELECT COUNT(*) FROM ", table)).getInt());
  });
  EXPECT_THAT(count, IsOk());
  return count.value_or(-1);
}

class RecordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.path = dir_.File("records.db");
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options, migrations_));
  }

  // "principal method resource" of every audit row, in order.
  std::vector<std::string> AuditRows() {
    std::vector<std::string> rows;
    EXPECT_THAT(db_->Read([&](SQLite::Database& db) {
      SQLite::Statement query(db, "SELECT principal, method, resource FROM audit_log ORDER BY seq");
      while (query.executeStep()) {
        rows.push_back(absl::StrCat(query.getColumn(0).getString(), " ",
                                    query.getColumn(1).getString(), " ",
                                    query.getColumn(2).getString()));
      }
      return VerifyAuditChain(db);
    }),
                IsOk());
    return rows;
  }

  int Rows(const std::string& table) { return CountRows(*db_, table); }

  std::string AuditRow(const std::string& resource) const {
    return absl::StrCat(kAna.principal, " ", kAna.method, " ", resource);
  }

  TempDir dir_;
  const std::vector<Migration> migrations_ = {kAuditMigration, kIdempotencyMigration,
                                              kRecordTables};
  std::unique_ptr<Database> db_;
};

TEST_F(RecordStoreTest, CreateNamesStampsStoresAndAuditsTheRecord) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  ASSERT_OK_AND_ASSIGN(const Client created, clients.Create({}, Greta(), {}, kAna));

  ASSERT_THAT(ParseResourceId(created.name(), kClientPattern, "name"), IsOk());
  EXPECT_TRUE(created.has_create_time());
  EXPECT_EQ(created.update_time().SerializeAsString(), created.create_time().SerializeAsString());
  EXPECT_EQ(created.etag(), ComputeEtag(created));
  ASSERT_OK_AND_ASSIGN(const Client stored, clients.Get({IdOf(created.name())}));
  EXPECT_EQ(stored.SerializeAsString(), created.SerializeAsString());
  EXPECT_THAT(AuditRows(), ElementsAre(AuditRow(created.name())));
}

TEST_F(RecordStoreTest, UpdateChangesStampsAndAuditsInOneTransaction) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  ASSERT_OK_AND_ASSIGN(const Client created, clients.Create({}, Greta(), {}, kAna));
  const std::string id = IdOf(created.name());

  ASSERT_OK_AND_ASSIGN(const Client updated, clients.Update(
                                                 {id}, created.etag(),
                                                 [](Client& client, SQLite::Database&) {
                                                   client.set_family_name("Gardener");
                                                   return absl::OkStatus();
                                                 },
                                                 kAna));
  EXPECT_EQ(updated.family_name(), "Gardener");
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(updated.etag(), ComputeEtag(updated));
  EXPECT_EQ(updated.create_time().SerializeAsString(), created.create_time().SerializeAsString());
  EXPECT_THAT(clients.Get({id}), IsOkAndHolds(EqualsProto(updated)));
  // The derived column follows the message.
  EXPECT_THAT(db_->Read([&](SQLite::Database& db) -> absl::StatusOr<std::string> {
    return db.execAndGet("SELECT family_key FROM clients").getString();
  }),
              IsOkAndHolds("gardener"));
  EXPECT_THAT(AuditRows(), ElementsAre(AuditRow(created.name()), AuditRow(created.name())));
}

TEST_F(RecordStoreTest, StaleEtagIsAbortedAndNothingIsWritten) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  ASSERT_OK_AND_ASSIGN(const Client created, clients.Create({}, Greta(), {}, kAna));
  const std::string id = IdOf(created.name());
  ASSERT_OK_AND_ASSIGN(const Client current, clients.Update({id}, "", Unchanged, kAna));
  const std::vector<std::string> audit_before = AuditRows();

  bool changed = false;
  const absl::StatusOr<Client> stale = clients.Update(
      {id}, created.etag(),
      [&](Client& client, SQLite::Database&) {
        changed = true;
        client.set_family_name("Someone Else");
        return absl::OkStatus();
      },
      kAna);
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted, HasSubstr(created.name())));
  EXPECT_EQ(ReasonOf(stale.status()), "ETAG_MISMATCH");
  EXPECT_FALSE(changed);
  EXPECT_THAT(clients.Get({id}), IsOkAndHolds(EqualsProto(current)));
  EXPECT_EQ(AuditRows(), audit_before);
}

TEST_F(RecordStoreTest, ChangeErrorRollsBackTheRecordAndItsAuditRow) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  ASSERT_OK_AND_ASSIGN(const Client created, clients.Create({}, Greta(), {}, kAna));
  const std::string id = IdOf(created.name());

  EXPECT_THAT(clients.Update(
                  {id}, created.etag(),
                  [](Client& client, SQLite::Database& db) {
                    client.set_family_name("Half Written");
                    // Even a row the change wrote itself goes with the rollback.
                    db.exec("INSERT INTO clients VALUES ('stray', 'stray', x'')");
                    return absl::FailedPreconditionError("the client is archived");
                  },
                  kAna),
              StatusIs(absl::StatusCode::kFailedPrecondition, "the client is archived"));
  EXPECT_THAT(clients.Get({id}), IsOkAndHolds(EqualsProto(created)));
  EXPECT_EQ(Rows("clients"), 1);
  EXPECT_THAT(AuditRows(), ElementsAre(AuditRow(created.name())));
}

TEST_F(RecordStoreTest, DerivedColumnErrorIsReturnedAndNothingIsWritten) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  Client nameless = Greta();
  nameless.clear_family_name();
  EXPECT_THAT(clients.Create({}, nameless, {}, kAna),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("client.family_name")));
  EXPECT_EQ(Rows("clients"), 0);
  EXPECT_THAT(AuditRows(), IsEmpty());

  ASSERT_OK_AND_ASSIGN(const Client created, clients.Create({}, Greta(), {}, kAna));
  EXPECT_THAT(clients.Update(
                  {IdOf(created.name())}, "",
                  [](Client& client, SQLite::Database&) {
                    client.clear_family_name();
                    return absl::OkStatus();
                  },
                  kAna),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("client.family_name")));
  EXPECT_THAT(clients.Get({IdOf(created.name())}), IsOkAndHolds(EqualsProto(created)));
  EXPECT_THAT(AuditRows(), ElementsAre(AuditRow(created.name())));
}

TEST_F(RecordStoreTest, AuditRowIsPartOfTheWriteTransaction) {
  // Without an audit table the audit event cannot be appended, and so the record is not kept.
  TempDir dir;
  DatabaseOptions options;
  options.path = dir.File("no-audit.db");
  const std::vector<Migration> no_audit = {kIdempotencyMigration, kRecordTables};
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, Database::Open(options, no_audit));
  RecordStore<Client> clients(db.get(), "clients", kClientPattern, FamilyKey);

  EXPECT_THAT(clients.Create({}, Greta(), {}, kAna),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("audit_log")));
  EXPECT_EQ(CountRows(*db, "clients"), 0);
}

TEST_F(RecordStoreTest, MissingRecordIsNotFoundByName) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  EXPECT_THAT(clients.Get({"nobody"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("clients/nobody")));
  EXPECT_THAT(clients.Update({"nobody"}, "", Unchanged, kAna),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("clients/nobody")));
  EXPECT_THAT(AuditRows(), IsEmpty());
}

TEST_F(RecordStoreTest, RetriedCreateAnswersTheFirstTimeAndWritesOnce) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  const IdempotencyKey key = {"tablet-ana", kAna.method, "req-1", "fingerprint"};
  ASSERT_OK_AND_ASSIGN(const Client first, clients.Create({}, Greta(), key, kAna));
  EXPECT_THAT(clients.FindEarlierResponse(key),
              IsOkAndHolds(::testing::Optional(::testing::Property(&Client::name, first.name()))));
  ASSERT_OK_AND_ASSIGN(const Client retry, clients.Create({}, Greta(), key, kAna));
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(Rows("clients"), 1);
  EXPECT_THAT(AuditRows(), ElementsAre(AuditRow(first.name())));
}

TEST_F(RecordStoreTest, RetriedUpdateWithAKeyDoesNotChangeAgain) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  ASSERT_OK_AND_ASSIGN(const Client created, clients.Create({}, Greta(), {}, kAna));
  const IdempotencyKey key = {"tablet-ana", kAna.method, "sign-1", "fingerprint"};
  int runs = 0;
  const auto rename = [&](Client& client, SQLite::Database&) {
    ++runs;
    client.set_given_name(absl::StrCat("Greta ", runs));
    return absl::OkStatus();
  };
  ASSERT_OK_AND_ASSIGN(const Client first,
                       clients.Update({IdOf(created.name())}, created.etag(), rename, kAna, key));
  ASSERT_OK_AND_ASSIGN(const Client retry,
                       clients.Update({IdOf(created.name())}, created.etag(), rename, kAna, key));
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(AuditRows(), ElementsAre(AuditRow(created.name()), AuditRow(created.name())));
}

TEST_F(RecordStoreTest, ChosenIdThatIsTakenIsAlreadyExists) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  ASSERT_THAT(clients.CreateWithId({"greta"}, Greta(), {}, kAna), IsOk());
  EXPECT_THAT(clients.CreateWithId({"greta"}, Greta(), {}, kAna),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(Rows("clients"), 1);
  EXPECT_THAT(AuditRows(), ElementsAre(AuditRow("clients/greta")));
}

TEST_F(RecordStoreTest, CheckRefusesACreateBeforeAnythingIsWritten) {
  RecordStore<Client> clients(db_.get(), "clients", kClientPattern, FamilyKey);
  std::string checked_name;
  EXPECT_THAT(clients.Create({}, Greta(), {}, kAna,
                             [&](SQLite::Database&, const Client& client) {
                               checked_name = client.name();
                               return absl::FailedPreconditionError("the slot is taken");
                             }),
              StatusIs(absl::StatusCode::kFailedPrecondition, "the slot is taken"));
  // The check saw the name the record would have had.
  EXPECT_THAT(ParseResourceId(checked_name, kClientPattern, "name"), IsOk());
  EXPECT_EQ(Rows("clients"), 0);
  EXPECT_THAT(AuditRows(), IsEmpty());
}

class ClientRecordStoreTest : public RecordStoreTest {
 protected:
  ClientRecordStore<Assessment> Store() {
    return ClientRecordStore<Assessment>(db_.get(), "assessments", kAssessmentPattern);
  }

  Assessment Draft(const std::string& complaint) {
    Assessment assessment;
    assessment.set_state(Assessment::STATE_DRAFT);
    assessment.set_chief_complaint(complaint);
    return assessment;
  }
};

TEST_F(ClientRecordStoreTest, RecordIsFoundOnlyUnderItsOwnClient) {
  ClientRecordStore<Assessment> assessments = Store();
  ASSERT_OK_AND_ASSIGN(const Assessment created,
                       assessments.Create({"c1"}, Draft("knee pain"), {}, kAna));
  ASSERT_OK_AND_ASSIGN(const std::vector<std::string> ids,
                       ParseResourceName(created.name(), kAssessmentPattern, "name"));
  EXPECT_EQ(ids[0], "c1");
  EXPECT_THAT(assessments.Get(ids), IsOk());
  const std::string elsewhere = absl::StrCat("clients/c2/assessments/", ids[1]);
  EXPECT_THAT(assessments.Get({"c2", ids[1]}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(elsewhere)));
  EXPECT_THAT(assessments.Update(
                  {"c2", ids[1]}, "",
                  [](Assessment&, SQLite::Database&) { return absl::OkStatus(); }, kAna),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(elsewhere)));
}

TEST_F(ClientRecordStoreTest, ListIsNewestFirstFilteredAndPaged) {
  ClientRecordStore<Assessment> assessments = Store();
  std::vector<std::string> names;
  for (const char* complaint : {"first", "second", "third"}) {
    ASSERT_OK_AND_ASSIGN(const Assessment created,
                         assessments.Create({"c1"}, Draft(complaint), {}, kAna));
    names.push_back(created.name());
  }
  ASSERT_THAT(assessments.Create({"c2"}, Draft("another client"), {}, kAna), IsOk());
  ASSERT_OK_AND_ASSIGN(const Assessment submitted,
                       assessments.Update(
                           ParseResourceName(names[1], kAssessmentPattern, "name").value(), "",
                           [](Assessment& assessment, SQLite::Database&) {
                             assessment.set_state(Assessment::STATE_SUBMITTED);
                             return absl::OkStatus();
                           },
                           kAna));

  ASSERT_OK_AND_ASSIGN(const ResourcePage<Assessment> first, assessments.List("c1", {}, 2, ""));
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].name(), names[2]);
  EXPECT_EQ(first.items[1].name(), names[1]);
  ASSERT_OK_AND_ASSIGN(const ResourcePage<Assessment> second,
                       assessments.List("c1", {}, 2, first.next_after_id));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].name(), names[0]);
  EXPECT_EQ(second.next_after_id, "");

  // The state column follows the record, so a filter on it sees the submitted one.
  ASSERT_OK_AND_ASSIGN(
      const ResourcePage<Assessment> submitted_only,
      assessments.List("c1", {{"state", int64_t{Assessment::STATE_SUBMITTED}}}, 10, ""));
  ASSERT_EQ(submitted_only.items.size(), 1u);
  EXPECT_EQ(submitted_only.items[0].name(), submitted.name());

  // The kind's own triggers still guard its rows.
  EXPECT_THAT(assessments.Update(
                  ParseResourceName(names[1], kAssessmentPattern, "name").value(), "",
                  [](Assessment&, SQLite::Database&) { return absl::OkStatus(); }, kAna),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("locked")));
}

}  // namespace
}  // namespace velknee
