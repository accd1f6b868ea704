// The in-process server: health reporting per service and graceful shutdown.

#include "common/server/grpc_server.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/auth/tokens_file.h"
#include "common/client/channel.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/harness/clinic_server.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee {
namespace {

using test::IsOk;
using test::StatusIs;

// grpc.health.v1.Health/Check, encoded by hand: Debian ships no health.proto. The request is
// {string service = 1}; the response {ServingStatus status = 1} with SERVING = 1.
constexpr int kServing = 1;
constexpr int kNotServing = 2;

// Calls `method` with the serialized `request` (one message, so also a stream's only message)
// and a 5 s deadline; the serialized answer goes to `response`.
grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                     const std::string& request, std::string* response) {
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::ByteBuffer response_buffer;
  absl::Notification done;
  grpc::Status status;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  response->clear();
  std::vector<grpc::Slice> slices;
  if (status.ok() && response_buffer.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) response->append(s.begin(), s.end());
  }
  return status;
}

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         int* serving_status) {
  std::string request = {'\x0a', static_cast<char>(service.size())};
  request += service;
  std::string response;
  const grpc::Status status = CallRaw(channel, "/grpc.health.v1.Health/Check", request, &response);
  *serving_status = 0;
  if (response.size() == 2 && response[0] == '\x08') *serving_status = response[1];
  return status;
}

TEST(HealthTest, ReportsEachHostedServiceServing) {
  test::ClinicServer server("intake,plans,notes,scheduling");
  int status = 0;
  ASSERT_THAT(CheckHealth(server.channel(), "", &status), IsOk());
  EXPECT_EQ(status, kServing);
  for (const char* service :
       {"velknee.intake.v1.IntakeService", "velknee.plans.v1.TreatmentPlanService",
        "velknee.notes.v1.SessionNoteService", "velknee.scheduling.v1.SchedulingService"}) {
    ASSERT_THAT(CheckHealth(server.channel(), service, &status), IsOk()) << service;
    EXPECT_EQ(status, kServing) << service;
  }
  EXPECT_THAT(CheckHealth(server.channel(), "velknee.billing.v1.BillingService", &status),
              StatusIs(absl::StatusCode::kNotFound));
}

// One grpc.reflection.v1alpha request {list_services: ""} (field 7), sent as a stream's only
// message; OK when the server answered it.
grpc::Status ReflectionStatus(const std::shared_ptr<grpc::Channel>& channel) {
  std::string response;
  return CallRaw(channel, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                 std::string{'\x3a', '\x00'}, &response);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> LoopbackChannel(int port) {
  ChannelOptions options;
  options.target = "127.0.0.1:" + std::to_string(port);
  return MakeChannel(options);
}

// A GetClient that holds until the test releases it, to have a call in flight at shutdown.
class SlowIntake final : public intake::v1::IntakeService::Service {
 public:
  grpc::Status GetClient(grpc::ServerContext*, const intake::v1::GetClientRequest* request,
                         intake::v1::Client* response) override {
    entered_.Notify();
    release_.WaitForNotification();
    response->set_name(request->name());
    return grpc::Status::OK;
  }
  absl::Notification entered_;
  absl::Notification release_;
};

TEST(HealthPortTest, AnswersHealthChecksOnlyWithoutAToken) {
  SlowIntake intake;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.health_listen = "127.0.0.1:0";
  auto server = GrpcServer::Start(options, {&intake}, {"velknee.intake.v1.IntakeService"});
  ASSERT_THAT(server, IsOk());
  ASSERT_NE((*server)->health_port(), 0);
  ASSERT_NE((*server)->health_port(), (*server)->port());
  auto health_channel = LoopbackChannel((*server)->health_port());
  ASSERT_THAT(health_channel, IsOk());

  int status = 0;
  ASSERT_THAT(CheckHealth(*health_channel, "velknee.intake.v1.IntakeService", &status), IsOk());
  EXPECT_EQ(status, kServing);

  // The service itself is not reachable through the health port.
  auto stub = intake::v1::IntakeService::NewStub(*health_channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  intake::v1::GetClientRequest request;
  request.set_name("clients/abc");
  intake::v1::Client client;
  EXPECT_THAT(stub->GetClient(&context, request, &client),
              StatusIs(absl::StatusCode::kUnimplemented));
  EXPECT_FALSE(intake.entered_.HasBeenNotified());

  // Nor is server reflection, which the main port serves.
  EXPECT_THAT(ReflectionStatus(*health_channel), StatusIs(absl::StatusCode::kUnimplemented));
  auto main_channel = LoopbackChannel((*server)->port());
  ASSERT_THAT(main_channel, IsOk());
  EXPECT_THAT(ReflectionStatus(*main_channel), IsOk());
}

TEST(GrpcServerTest, APortInUseIsRefusedNotShared) {
  ServerOptions first;
  first.listen = "127.0.0.1:0";
  auto taken = GrpcServer::Start(first, {}, {});
  ASSERT_THAT(taken, IsOk());
  const std::string in_use = "127.0.0.1:" + std::to_string((*taken)->port());

  ServerOptions same_port;
  same_port.listen = in_use;
  EXPECT_THAT(GrpcServer::Start(same_port, {}, {}),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::HasSubstr(in_use)));

  ServerOptions same_health_port;
  same_health_port.listen = "127.0.0.1:0";
  same_health_port.health_listen = in_use;
  EXPECT_THAT(GrpcServer::Start(same_health_port, {}, {}),
              StatusIs(absl::StatusCode::kUnavailable, ::testing::HasSubstr("--health_listen")));
}

TEST(GracefulShutdownTest, InFlightCallFinishesAndNewCallsAreRefused) {
  SlowIntake slow;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.health_listen = "127.0.0.1:0";
  auto server = GrpcServer::Start(options, {&slow}, {"velknee.intake.v1.IntakeService"});
  ASSERT_THAT(server, IsOk());
  auto channel = LoopbackChannel((*server)->port());
  ASSERT_THAT(channel, IsOk());
  auto health_channel = LoopbackChannel((*server)->health_port());
  ASSERT_THAT(health_channel, IsOk());
  auto stub = intake::v1::IntakeService::NewStub(*channel);

  grpc::Status in_flight;
  intake::v1::Client answer;
  absl::Notification answered;
  std::thread caller([&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    intake::v1::GetClientRequest request;
    request.set_name("clients/abc");
    in_flight = stub->GetClient(&context, request, &answer);
    answered.Notify();
  });
  slow.entered_.WaitForNotification();

  absl::Notification stopped;
  std::thread stopper([&] {
    (*server)->Shutdown(absl::Seconds(10));
    stopped.Notify();
  });
  // Health stops reporting SERVING as soon as shutdown starts (NOT_SERVING, or the port refuses
  // the check), on the main port and on the health-only port, so load balancers and probes stop
  // sending calls while the in-flight one finishes.
  for (const auto* probed : {&*channel, &*health_channel}) {
    // The health-only port stays up through the drain and must say NOT_SERVING; the main port
    // may refuse the check instead.
    const bool must_answer = probed == &*health_channel;
    int health = 0;
    const absl::Time give_up = absl::Now() + absl::Seconds(5);
    while (absl::Now() < give_up) {
      const grpc::Status status = CheckHealth(*probed, "velknee.intake.v1.IntakeService", &health);
      if ((!must_answer && !status.ok()) || (status.ok() && health == kNotServing)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_LT(absl::Now(), give_up) << "health still SERVING during shutdown";
  }
  // The handler is still holding the call: the caller has no answer yet and the drain waits for
  // it. A shutdown that cut the call short would have answered it (CANCELLED or UNAVAILABLE) and
  // returned by now; the wait only bounds how long a broken server gets to show that.
  EXPECT_FALSE(answered.WaitForNotificationWithTimeout(absl::Milliseconds(200)))
      << "the call was answered before its handler returned: " << in_flight.error_message();
  EXPECT_FALSE(stopped.HasBeenNotified()) << "Shutdown returned while a call was in flight";
  slow.release_.Notify();
  caller.join();
  stopper.join();
  EXPECT_THAT(in_flight, IsOk());
  EXPECT_EQ(answer.name(), "clients/abc");

  grpc::ClientContext late;
  late.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  intake::v1::GetClientRequest request;
  EXPECT_THAT(stub->GetClient(&late, request, &answer), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace velknee
