#include "common/api/idempotency.h"

#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "common/validation/field_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/intake/v1/intake_service.pb.h"

namespace velknee {
namespace {

using intake::v1::Client;
using intake::v1::CreateClientRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::IsOkAndHolds;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;
using ::velknee::test::ViolatedFields;

constexpr absl::string_view kMethod = "/velknee.intake.v1.IntakeService/CreateClient";

const Migration kClients = {"clients", "CREATE TABLE clients (name TEXT PRIMARY KEY);"};

CreateClientRequest Request(const std::string& given_name, const std::string& request_id) {
  CreateClientRequest request;
  request.mutable_client()->set_given_name(given_name);
  request.mutable_client()->set_family_name("Horvath");
  request.set_request_id(request_id);
  return request;
}

// A stand-in for CreateClient: a write that makes a new client each time it really runs.
class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenDatabase(); }

  void OpenDatabase() {
    db_.reset();
    DatabaseOptions options;
    options.path = dir_.File("intake.db");
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options, migrations_));
  }

  absl::StatusOr<Client> Create(const std::string& principal, const CreateClientRequest& request,
                                bool fail = false) {
    const IdempotencyKey key =
        MakeIdempotencyKey(principal, kMethod, request.request_id(), request);
    return db_->Write([&](SQLite::Database& connection) {
      return RunOnce<Client>(connection, key, [&]() -> absl::StatusOr<Client> {
        ++writes_;
        Client client = request.client();
        client.set_name("clients/c" + std::to_string(writes_));
        SQLite::Statement insert(connection, "INSERT INTO clients VALUES (?)");
        insert.bind(1, client.name());
        insert.exec();
        if (fail) return absl::UnavailableError("the disk hiccuped");
        return client;
      });
    });
  }

  int StoredClients() {
    const absl::StatusOr<int> count = db_->Read([](SQLite::Database& connection) {
      return absl::StatusOr<int>(connection.execAndGet("SELECT COUNT(*) FROM clients").getInt());
    });
    EXPECT_THAT(count, IsOk());
    return count.value_or(-1);
  }

  TempDir dir_;
  const std::vector<Migration> migrations_ = {kIdempotencyMigration, kClients};
  std::unique_ptr<Database> db_;
  int writes_ = 0;
};

TEST_F(IdempotencyTest, RetryReturnsTheFirstResponseWithoutWritingAgain) {
  const CreateClientRequest request = Request("Eszter", "3f2a9c1e-7b4d-4e1a-9f0c-2d8b6a5e4c3b");
  ASSERT_OK_AND_ASSIGN(Client first, Create("desk-1", request));
  ASSERT_OK_AND_ASSIGN(Client retry, Create("desk-1", request));
  EXPECT_EQ(writes_, 1);
  EXPECT_EQ(StoredClients(), 1);
  EXPECT_EQ(retry.name(), first.name());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
}

TEST_F(IdempotencyTest, RetryAfterRestartStillReturnsTheFirstResponse) {
  const CreateClientRequest request = Request("Eszter", "retry-after-restart");
  ASSERT_OK_AND_ASSIGN(Client first, Create("desk-1", request));
  OpenDatabase();
  ASSERT_OK_AND_ASSIGN(Client retry, Create("desk-1", request));
  EXPECT_EQ(retry.name(), first.name());
  EXPECT_EQ(StoredClients(), 1);
}

TEST_F(IdempotencyTest, SameIdWithADifferentRequestIsInvalidArgument) {
  ASSERT_THAT(Create("desk-1", Request("Eszter", "req-1")), IsOk());
  const absl::StatusOr<Client> reused = Create("desk-1", Request("Erzsebet", "req-1"));
  EXPECT_THAT(reused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_THAT(ViolatedFields(reused.status()), ElementsAre("request_id"));
  EXPECT_EQ(ReasonOf(reused.status()), "REQUEST_ID_REUSED");
  EXPECT_EQ(writes_, 1);
  EXPECT_EQ(StoredClients(), 1);
}

TEST_F(IdempotencyTest, DifferentPrincipalsDoNotCollide) {
  const CreateClientRequest request = Request("Eszter", "req-1");
  ASSERT_OK_AND_ASSIGN(Client from_desk, Create("desk-1", request));
  ASSERT_OK_AND_ASSIGN(Client from_tablet, Create("tablet-ana", request));
  EXPECT_EQ(writes_, 2);
  EXPECT_NE(from_desk.name(), from_tablet.name());
  EXPECT_EQ(StoredClients(), 2);
}

TEST_F(IdempotencyTest, DifferentMethodsDoNotCollide) {
  const CreateClientRequest request = Request("Eszter", "req-1");
  const IdempotencyKey create = MakeIdempotencyKey("desk-1", kMethod, "req-1", request);
  const IdempotencyKey other = MakeIdempotencyKey(
      "desk-1", "/velknee.scheduling.v1.SchedulingService/BookAppointment", "req-1", request);
  ASSERT_THAT(db_->Write([&](SQLite::Database& connection) {
    RecordIdempotentResponse(connection, create, "first");
    return absl::OkStatus();
  }),
              IsOk());
  ASSERT_THAT(db_->Write([&](SQLite::Database& connection) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> found = FindIdempotentResponse(connection, other);
    EXPECT_THAT(found, IsOk());
    if (found.ok()) {
      EXPECT_FALSE(found->has_value());
    }
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_F(IdempotencyTest, FailedWriteRecordsNothingSoARetryRuns) {
  const CreateClientRequest request = Request("Eszter", "req-1");
  EXPECT_THAT(Create("desk-1", request, /*fail=*/true), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(StoredClients(), 0);
  ASSERT_OK_AND_ASSIGN(Client retry, Create("desk-1", request));
  EXPECT_EQ(writes_, 2);
  EXPECT_EQ(StoredClients(), 1);
  // And from now on the id is taken.
  ASSERT_OK_AND_ASSIGN(Client again, Create("desk-1", request));
  EXPECT_EQ(again.name(), retry.name());
  EXPECT_EQ(writes_, 2);
}

TEST_F(IdempotencyTest, EmptyRequestIdAlwaysRuns) {
  const CreateClientRequest request = Request("Eszter", "");
  ASSERT_THAT(Create("desk-1", request), IsOk());
  ASSERT_THAT(Create("desk-1", request), IsOk());
  EXPECT_EQ(writes_, 2);
  EXPECT_EQ(StoredClients(), 2);
}

// request_id's rule is declared in the proto (at most 128 characters, TEXT_FORMAT_REQUEST_ID).
absl::Status ValidateRequestId(const std::string& request_id) {
  CreateClientRequest request;
  request.set_request_id(request_id);
  return ValidateRequestFields(request);
}

TEST(RequestIdRuleTest, AcceptsEmptyUuidsAndUpTo128Characters) {
  EXPECT_THAT(ValidateRequestId(""), IsOk());
  EXPECT_THAT(ValidateRequestId("3f2a9c1e-7b4d-4e1a-9f0c-2d8b6a5e4c3b"), IsOk());
  EXPECT_THAT(ValidateRequestId("Tablet_7-retry"), IsOk());
  EXPECT_THAT(ValidateRequestId(std::string(128, 'x')), IsOk());
}

TEST(RequestIdRuleTest, RejectsLongOrOddCharacters) {
  for (const std::string& bad : {std::string(129, 'x'), std::string("req 1"), std::string("req/1"),
                                 std::string("req\n1"), std::string("r\xc3\xa9q")}) {
    const absl::Status status = ValidateRequestId(bad);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")))
        << bad;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("request_id"));
  }
}

TEST(AnsweredEarlierTest, AnEarlierResponseAnswersTheCall) {
  Client earlier;
  earlier.set_name("clients/first");
  Client response;
  EXPECT_THAT(AnsweredEarlier(absl::StatusOr<std::optional<Client>>(earlier), response),
              IsOkAndHolds(true));
  EXPECT_EQ(response.name(), "clients/first");
}

TEST(AnsweredEarlierTest, NoEarlierResponseLeavesTheCallToRun) {
  Client response;
  response.set_name("untouched");
  EXPECT_THAT(AnsweredEarlier(absl::StatusOr<std::optional<Client>>(std::nullopt), response),
              IsOkAndHolds(false));
  EXPECT_EQ(response.name(), "untouched");
}

TEST(AnsweredEarlierTest, ALookupErrorIsReturned) {
  Client response;
  EXPECT_THAT(AnsweredEarlier(absl::StatusOr<std::optional<Client>>(
                                  absl::InvalidArgumentError("request_id: reused")),
                              response),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
}

}  // namespace
}  // namespace velknee
