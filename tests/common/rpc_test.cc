#include "common/server/rpc.h"

#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/audit/audit_queue.h"
#include "common/auth/tokens_file.h"
#include "common/client/channel.h"
#include "common/server/grpc_server.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee {
namespace {

using intake::v1::Assessment;
using intake::v1::Client;
using intake::v1::GetAssessmentRequest;
using intake::v1::GetClientRequest;
using intake::v1::IntakeService;
using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

// A stand-in IntakeService with two methods: GetClient answers and records the read;
// GetAssessment finds nothing. Both remember what their body saw.
class FakeIntakeService final : public IntakeService::Service {
 public:
  explicit FakeIntakeService(const RpcRunner* rpc) : rpc_(rpc) {}

  grpc::Status GetClient(grpc::ServerContext* context, const GetClientRequest* request,
                         Client* response) override {
    return rpc_->Run(context, "GetClient", [&](const Call& call) -> absl::Status {
      Remember(call);
      response->set_name(request->name());
      call.RecordRead(request->name());
      return absl::OkStatus();
    });
  }

  grpc::Status GetAssessment(grpc::ServerContext* context, const GetAssessmentRequest* request,
                             Assessment*) override {
    return rpc_->Run(context, "GetAssessment", [&](const Call& call) -> absl::Status {
      Remember(call);
      return ResourceNotFound(request->name());
    });
  }

  int bodies_run() {
    absl::MutexLock lock(&mu_);
    return bodies_run_;
  }
  Principal last_principal() {
    absl::MutexLock lock(&mu_);
    return last_principal_;
  }
  absl::Time last_deadline() {
    absl::MutexLock lock(&mu_);
    return last_deadline_;
  }

 private:
  void Remember(const Call& call) {
    absl::MutexLock lock(&mu_);
    ++bodies_run_;
    last_principal_ = call.principal();
    last_deadline_ = call.deadline();
  }

  const RpcRunner* const rpc_;
  absl::Mutex mu_;
  int bodies_run_ = 0;
  Principal last_principal_;
  absl::Time last_deadline_;
};

struct AuditRow {
  std::string principal, role, method, resource;
  int code;
};

class RpcRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string tokens_path = dir_.File("tokens.tsv");
    ASSERT_OK_AND_ASSIGN(desk_token_, AddToken(tokens_path, {"desk-1", Role::kFrontDesk, ""}));
    ASSERT_OK_AND_ASSIGN(ana_token_,
                         AddToken(tokens_path, {"tablet-ana", Role::kTherapist, "therapists/ana"}));
    ASSERT_OK_AND_ASSIGN(tokens_, TokenStore::Open(tokens_path));
    DatabaseOptions options;
    options.path = dir_.File("intake.db");
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options, migrations_));
    audit_ = std::make_unique<AuditQueue>(db_.get());
    rpc_ = std::make_unique<RpcRunner>("velknee.intake.v1.IntakeService", tokens_.get(),
                                       audit_.get(), absl::Seconds(30));
    service_ = std::make_unique<FakeIntakeService>(rpc_.get());
    ServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    ASSERT_OK_AND_ASSIGN(server_, GrpcServer::Start(server_options, {service_.get()},
                                                    {"velknee.intake.v1.IntakeService"}));
    stub_ = IntakeService::NewStub(server_->InProcessChannel());
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ZeroDuration());
  }

  grpc::Status GetClient(const std::string& authorization, const std::string& name,
                         Client* client = nullptr) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    GetClientRequest request;
    request.set_name(name);
    Client response;
    grpc::Status status = stub_->GetClient(&context, request, &response);
    if (client != nullptr) *client = response;
    return status;
  }

  grpc::Status GetAssessment(const std::string& token, const std::string& name) {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Now() + absl::Seconds(10));
    GetAssessmentRequest request;
    request.set_name(name);
    Assessment response;
    return stub_->GetAssessment(&context, request, &response);
  }

  std::vector<AuditRow> AuditRows() {
    audit_->Flush();
    std::vector<AuditRow> rows;
    EXPECT_THAT(db_->Read([&](SQLite::Database& connection) {
      SQLite::Statement query(
          connection, "SELECT principal, role, method, resource, code FROM audit_log ORDER BY seq");
      while (query.executeStep()) {
        rows.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                        query.getColumn(2).getString(), query.getColumn(3).getString(),
                        query.getColumn(4).getInt()});
      }
      return absl::OkStatus();
    }),
                IsOk());
    return rows;
  }

  TempDir dir_;
  const std::vector<Migration> migrations_ = {kAuditMigration};
  std::string desk_token_, ana_token_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<AuditQueue> audit_;
  std::unique_ptr<RpcRunner> rpc_;
  std::unique_ptr<FakeIntakeService> service_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<IntakeService::Stub> stub_;
};

TEST_F(RpcRunnerTest, AllowedCallRunsWithTheCallersPrincipalAndIsAudited) {
  Client client;
  ASSERT_THAT(GetClient("Bearer " + desk_token_, "clients/c1", &client), IsOk());
  EXPECT_EQ(client.name(), "clients/c1");
  EXPECT_EQ(service_->bodies_run(), 1);
  EXPECT_EQ(service_->last_principal().id, "desk-1");
  EXPECT_EQ(service_->last_principal().role, Role::kFrontDesk);

  const std::vector<AuditRow> rows = AuditRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].principal, "desk-1");
  EXPECT_EQ(rows[0].role, "front_desk");
  EXPECT_EQ(rows[0].method, "/velknee.intake.v1.IntakeService/GetClient");
  EXPECT_EQ(rows[0].resource, "clients/c1");
  EXPECT_EQ(rows[0].code, 0);
}

TEST_F(RpcRunnerTest, MissingOrMalformedAuthorizationIsUnauthenticated) {
  for (const std::string& authorization :
       {std::string(""), "Basic " + desk_token_, desk_token_, "bearer " + desk_token_,
        std::string("Bearer "), std::string("Bearer vkt_made-up")}) {
    const grpc::Status status = GetClient(authorization, "clients/c1");
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated)) << authorization;
    EXPECT_THAT(ReasonOf(FromGrpcStatus(status)), ::testing::StartsWith("TOKEN_"));
  }
  EXPECT_EQ(service_->bodies_run(), 0);
  const std::vector<AuditRow> rows = AuditRows();
  ASSERT_EQ(rows.size(), 6u);
  for (const AuditRow& row : rows) {
    EXPECT_EQ(row.principal, "");
    EXPECT_EQ(row.code, static_cast<int>(absl::StatusCode::kUnauthenticated));
    EXPECT_EQ(row.method, "/velknee.intake.v1.IntakeService/GetClient");
  }
}

TEST_F(RpcRunnerTest, DeniedRoleLearnsNothingAndIsAudited) {
  // The assessment does not exist, but front desk must not be able to tell.
  const grpc::Status status = GetAssessment(desk_token_, "clients/c1/assessments/a1");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("front_desk")));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(status)), "ROLE_NOT_ALLOWED");
  EXPECT_EQ(service_->bodies_run(), 0);

  const std::vector<AuditRow> rows = AuditRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].principal, "desk-1");
  EXPECT_EQ(rows[0].role, "front_desk");
  EXPECT_EQ(rows[0].method, "/velknee.intake.v1.IntakeService/GetAssessment");
  EXPECT_EQ(rows[0].code, static_cast<int>(absl::StatusCode::kPermissionDenied));
}

TEST_F(RpcRunnerTest, BodyErrorReachesTheCallerWithDetails) {
  const grpc::Status status = GetAssessment(ana_token_, "clients/c1/assessments/a1");
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("clients/c1/assessments/a1")));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(status)), "RESOURCE_NOT_FOUND");
  EXPECT_EQ(service_->bodies_run(), 1);
  EXPECT_EQ(service_->last_principal().therapist, "therapists/ana");
}

TEST_F(RpcRunnerTest, BodySeesTheCallersDeadlineCappedByTheDefault) {
  const absl::Time before = absl::Now();
  ASSERT_THAT(GetAssessment(ana_token_, "clients/c1/assessments/a1"),
              StatusIs(absl::StatusCode::kNotFound));
  // PrepareContext set 10 s; the server default (30 s) is later, so the caller's wins.
  EXPECT_GT(service_->last_deadline(), before + absl::Seconds(5));
  EXPECT_LE(service_->last_deadline(), absl::Now() + absl::Seconds(10) + absl::Milliseconds(50));

  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Hours(1)));
  context.AddMetadata("authorization", "Bearer " + ana_token_);
  GetAssessmentRequest request;
  request.set_name("clients/c1/assessments/a1");
  Assessment response;
  ASSERT_THAT(stub_->GetAssessment(&context, request, &response),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_LE(service_->last_deadline(), absl::Now() + absl::Seconds(30));
}

}  // namespace
}  // namespace velknee
