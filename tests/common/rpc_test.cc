#include "common/server/rpc.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/audit/audit_queue.h"
#include "common/auth/tokens_file.h"
#include "common/client/channel.h"
#include "common/client/peer.h"
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

// A stand-in IntakeService with two methods: GetClient answers and records the read, and when
// given a peer first asks it for an assessment, as a service reading from another would;
// GetAssessment finds nothing. Both remember what their body saw, and GetAssessment the deadline
// its caller sent.
class FakeIntakeService final : public IntakeService::Service {
 public:
  explicit FakeIntakeService(const RpcRunner* rpc) : rpc_(rpc) {}

  void AskPeerFirst(const Peer* peer) { peer_ = peer; }

  grpc::Status GetClient(grpc::ServerContext* context, const GetClientRequest* request,
                         Client* response) override {
    return rpc_->Run(context, "GetClient", [&](const Call& call) -> absl::Status {
      Remember(call);
      if (peer_ != nullptr) {
        GetAssessmentRequest ask;
        ask.set_name("clients/c1/assessments/a1");
        // NOT_FOUND is the fake's answer; only the deadline it was asked with matters here.
        EXPECT_THAT(peer_->Call(call.deadline(), &IntakeService::Stub::GetAssessment, ask),
                    StatusIs(absl::StatusCode::kNotFound));
      }
      response->set_name(request->name());
      call.RecordRead(request->name());
      return absl::OkStatus();
    });
  }

  grpc::Status GetAssessment(grpc::ServerContext* context, const GetAssessmentRequest* request,
                             Assessment*) override {
    {
      absl::MutexLock lock(&mu_);
      sent_deadline_ = absl::FromChrono(context->deadline());
    }
    return rpc_->Run(context, "GetAssessment", [&](const Call& call) -> absl::Status {
      Remember(call);
      return ResourceNotFound(request->name());
    });
  }

  // Passes Run a name the service does not have, as a handler with a typo would.
  grpc::Status ListClients(grpc::ServerContext* context, const intake::v1::ListClientsRequest*,
                           intake::v1::ListClientsResponse*) override {
    return rpc_->Run(context, "ListClient", [&](const Call& call) -> absl::Status {
      Remember(call);
      return absl::OkStatus();
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
  // The deadline the body of `method` ("GetClient") saw last.
  absl::Time deadline_in(const std::string& method) {
    absl::MutexLock lock(&mu_);
    return deadlines_[absl::StrCat("/velknee.intake.v1.IntakeService/", method)];
  }
  // The deadline GetAssessment's caller sent with the call.
  absl::Time sent_deadline() {
    absl::MutexLock lock(&mu_);
    return sent_deadline_;
  }

 private:
  void Remember(const Call& call) {
    absl::MutexLock lock(&mu_);
    ++bodies_run_;
    last_principal_ = call.principal();
    deadlines_[call.method()] = call.deadline();
  }

  const RpcRunner* const rpc_;
  const Peer* peer_ = nullptr;
  absl::Mutex mu_;
  int bodies_run_ = 0;
  Principal last_principal_;
  std::map<std::string, absl::Time> deadlines_;
  absl::Time sent_deadline_;
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
    ASSERT_OK_AND_ASSIGN(service_token_, AddToken(tokens_path, {"plans", Role::kService, ""}));
    ASSERT_OK_AND_ASSIGN(tokens_, TokenStore::Open(tokens_path));
    DatabaseOptions options;
    options.path = dir_.File("intake.db");
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options, migrations_));
    audit_ = std::make_unique<AuditQueue>(db_.get());
    rpc_ = std::make_unique<RpcRunner>("velknee.intake.v1.IntakeService", tokens_.get(),
                                       audit_.get(), kDefaultDeadline);
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

  // The server's --default_call_timeout in these tests.
  static constexpr absl::Duration kDefaultDeadline = absl::Seconds(30);

  TempDir dir_;
  const std::vector<Migration> migrations_ = {kAuditMigration};
  std::string desk_token_, ana_token_, service_token_;
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

TEST_F(RpcRunnerTest, AMethodNameTheServiceDoesNotHaveIsAnInternalErrorAndRunsNoBody) {
  grpc::ClientContext context;
  PrepareContext(context, desk_token_, absl::Now() + absl::Seconds(10));
  intake::v1::ListClientsResponse response;
  const grpc::Status status =
      stub_->ListClients(&context, intake::v1::ListClientsRequest(), &response);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInternal, HasSubstr("no method ListClient in "
                                                              "velknee.intake.v1.IntakeService")));
  EXPECT_EQ(service_->bodies_run(), 0);
}

TEST_F(RpcRunnerTest, BodyErrorReachesTheCallerWithDetails) {
  const grpc::Status status = GetAssessment(ana_token_, "clients/c1/assessments/a1");
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("clients/c1/assessments/a1")));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(status)), "RESOURCE_NOT_FOUND");
  EXPECT_EQ(service_->bodies_run(), 1);
  EXPECT_EQ(service_->last_principal().therapist, "therapists/ana");
}

// Call::deadline() as rpc.h and docs/api.md state it: the caller's deadline, never later than
// the server's default from the call's arrival, which is also the deadline of a call that sent
// none.
TEST_F(RpcRunnerTest, BodySeesTheCallersDeadlineWhenItIsSooner) {
  const absl::Time sent = absl::Now() + absl::Seconds(10);
  grpc::ClientContext context;
  PrepareContext(context, ana_token_, sent);
  GetAssessmentRequest request;
  request.set_name("clients/c1/assessments/a1");
  Assessment response;
  ASSERT_THAT(stub_->GetAssessment(&context, request, &response),
              StatusIs(absl::StatusCode::kNotFound));
  // gRPC carries the deadline as a timeout, so it arrives within a few milliseconds of `sent`.
  EXPECT_LT(absl::AbsDuration(service_->deadline_in("GetAssessment") - sent),
            absl::Milliseconds(100));
}

TEST_F(RpcRunnerTest, CallWithoutADeadlineGetsTheServersDefault) {
  const absl::Time before = absl::Now();
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + ana_token_);
  GetAssessmentRequest request;
  request.set_name("clients/c1/assessments/a1");
  Assessment response;
  ASSERT_THAT(stub_->GetAssessment(&context, request, &response),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_GE(service_->deadline_in("GetAssessment"), before + kDefaultDeadline);
  EXPECT_LE(service_->deadline_in("GetAssessment"), absl::Now() + kDefaultDeadline);
}

TEST_F(RpcRunnerTest, LongerCallerDeadlineIsCappedForTheBodyAndItsPeerCalls) {
  Peer peer("intake service", service_token_);
  peer.Connect(server_->InProcessChannel());
  service_->AskPeerFirst(&peer);

  const absl::Time before = absl::Now();
  grpc::ClientContext context;
  PrepareContext(context, desk_token_, before + absl::Hours(1));
  GetClientRequest request;
  request.set_name("clients/c1");
  Client response;
  ASSERT_THAT(stub_->GetClient(&context, request, &response), IsOk());
  const absl::Time after = absl::Now();

  // The handler and the peer it asks must give up within the server's bound, not in an hour.
  EXPECT_GE(service_->deadline_in("GetClient"), before + kDefaultDeadline);
  EXPECT_LE(service_->deadline_in("GetClient"), after + kDefaultDeadline);
  // The peer is asked to answer a little sooner (Peer::PrepareContext), never later.
  EXPECT_GE(service_->sent_deadline(), before + kDefaultDeadline - 2 * Peer::kAnswerMargin);
  EXPECT_LE(service_->sent_deadline(), after + kDefaultDeadline);
}

}  // namespace
}  // namespace velknee
