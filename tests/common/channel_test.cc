#include "common/client/channel.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/peer.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/loopback_port.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::ReasonOf;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;
using ::velknee::test::ViolatedFields;

TEST(PeerTest, UnconnectedPeerIsUnavailableNamingIt) {
  Peer peer("intake service", "vkt_invented");
  EXPECT_THAT(peer.channel(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("intake service")));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<grpc::Channel> channel,
                       MakeChannel({"127.0.0.1:1", {}, false}));
  peer.Connect(channel);
  EXPECT_THAT(peer.channel(), IsOk());
}

TEST(PeerTest, UnavailableAndDeadlineNameThePeer) {
  Peer peer("treatment plan service", "vkt_invented");
  EXPECT_THAT(peer.Result(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("treatment plan service")));
  EXPECT_THAT(peer.Result(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "")),
              StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("treatment plan service")));
  EXPECT_THAT(peer.Result(grpc::Status::OK), IsOk());
}

TEST(PeerTest, OtherAnswersKeepCodeAndDetails) {
  Peer peer("intake service", "vkt_invented");
  const absl::Status answer =
      peer.Result(ToGrpcStatus(InvalidField("name", "must look like clients/{client}")));
  EXPECT_THAT(answer, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  EXPECT_THAT(ViolatedFields(answer), ::testing::ElementsAre("name"));
  EXPECT_EQ(ReasonOf(peer.Result(ToGrpcStatus(ResourceNotFound("clients/c1")))),
            "RESOURCE_NOT_FOUND");
}

TEST(PeerTest, RefusedServiceCredentialsAreADeploymentFaultNamingThePeer) {
  Peer peer("intake service", "vkt_invented");
  for (const grpc::StatusCode code :
       {grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::PERMISSION_DENIED}) {
    const absl::Status answer = peer.Result(grpc::Status(code, "role service may not call X"));
    EXPECT_THAT(answer, StatusIs(absl::StatusCode::kInternal, HasSubstr("intake service")));
    EXPECT_THAT(answer, StatusIs(absl::StatusCode::kInternal, HasSubstr("--service_token_file")));
    EXPECT_EQ(ReasonOf(answer), "PEER_REFUSED_CREDENTIALS");
  }
}

TEST(PeerTest, EveryCallIsTimedWhateverItsOutcome) {
  static constexpr double kBounds[] = {60};
  Histogram call_seconds(kBounds);
  Peer peer("intake service", "vkt_invented", &call_seconds);
  ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<grpc::Channel> channel,
      MakeChannel({absl::StrCat("127.0.0.1:", test::UnusedLoopbackPort()), {}, false}));
  peer.Connect(channel);
  intake::v1::GetClientRequest request;
  request.set_name("clients/c1");
  for (int i = 0; i < 2; ++i) {
    EXPECT_THAT(peer.Call(absl::Now() + absl::Seconds(5),
                          &intake::v1::IntakeService::Stub::GetClient, request),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr("intake service")));
  }
  const Histogram::Snapshot timed = call_seconds.Take();
  EXPECT_EQ(timed.cumulative.back(), 2u);
  EXPECT_GT(timed.sum, 0);
}

TEST(MakeChannelTest, UnreadableTlsFilesAreReported) {
  TempDir dir;
  ChannelOptions options;
  options.target = "clinic-server.example:50051";
  options.tls.ca_file = dir.File("missing-ca.pem");
  EXPECT_THAT(MakeChannel(options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing-ca.pem")));
}

TEST(MakeChannelTest, LoopbackAndRemoteTargetsGetAChannel) {
  EXPECT_THAT(MakeChannel({"127.0.0.1:50051", {}, false}), IsOk());
  EXPECT_THAT(MakeChannel({"clinic-server.example:50051", {}, false}), IsOk());
  EXPECT_THAT(MakeChannel({"clinic-server.example:50051", {}, true}), IsOk());
}

}  // namespace
}  // namespace velknee
