#include <fstream>
#include <memory>
#include <string>

#include "common/server/grpc_server.h"
#include "common/tls/credentials.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace velknee {
namespace {

using ::testing::HasSubstr;
using ::velknee::test::IsOk;
using ::velknee::test::StatusIs;
using ::velknee::test::TempDir;

TEST(IsLoopbackAddressTest, LoopbackAddresses) {
  for (const char* address : {"127.0.0.1:50051", "127.0.0.1:0", "127.1.2.3:8080", "localhost:50051",
                              "[::1]:50051", "127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
}

TEST(IsLoopbackAddressTest, EverythingElse) {
  for (const char* address :
       {"0.0.0.0:0", "0.0.0.0:50051", "10.0.0.5:50051", "192.168.1.20:443", "[::]:50051",
        "[2001:db8::1]:443", "clinic.example:443", "128.0.0.1:50051", "[::1:50051",
        "127.example.com:50051", "127.0.0.1.example.com:50051", "localhost.example.com:443",
        ":50051", ""}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

TEST(CheckTransportSecurityTest, PlaintextOnAllInterfacesIsRefused) {
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  EXPECT_THAT(CheckTransportSecurity(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("0.0.0.0:0")));
  options.listen = "clinic-server.example:50051";
  EXPECT_THAT(CheckTransportSecurity(options), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(CheckTransportSecurityTest, AllowInsecureLoopbackOrTlsPass) {
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.allow_insecure = true;
  EXPECT_THAT(CheckTransportSecurity(options), IsOk());

  options.allow_insecure = false;
  options.tls.cert_file = "/etc/velknee/server.crt";
  options.tls.key_file = "/etc/velknee/server.key";
  EXPECT_THAT(CheckTransportSecurity(options), IsOk());

  ServerOptions loopback;
  loopback.listen = "127.0.0.1:0";
  EXPECT_THAT(CheckTransportSecurity(loopback), IsOk());
  loopback.listen = "[::1]:0";
  EXPECT_THAT(CheckTransportSecurity(loopback), IsOk());
}

TEST(GrpcServerStartTest, RefusesPlaintextOnAllInterfaces) {
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  EXPECT_THAT(GrpcServer::Start(options, {}, {}), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(GrpcServerStartTest, MissingTlsFilesDoNotFallBackToPlaintext) {
  TempDir dir;
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.tls.cert_file = dir.File("missing.crt");
  options.tls.key_file = dir.File("missing.key");
  EXPECT_THAT(GrpcServer::Start(options, {}, {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.crt")));
}

TEST(GrpcServerStartTest, LoopbackPortZeroPicksAPort) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcServer> server, GrpcServer::Start(options, {}, {}));
  EXPECT_GT(server->port(), 0);
  server->Shutdown(absl::ZeroDuration());
}

TEST(ServerTlsCredentialsTest, ExplainsMissingOrEmptyFiles) {
  TempDir dir;
  std::ofstream(dir.File("empty.pem")).flush();
  std::ofstream(dir.File("cert.pem")) << "-----BEGIN CERTIFICATE-----\ninvented\n";

  EXPECT_THAT(ServerTlsCredentials({dir.File("cert.pem"), "", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ServerTlsCredentials({dir.File("cert.pem"), dir.File("nope.pem"), ""}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.pem")));
  EXPECT_THAT(ServerTlsCredentials({dir.File("cert.pem"), dir.File("empty.pem"), ""}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty.pem")));
  EXPECT_THAT(ClientTlsCredentials({"", "", dir.File("nope.pem")}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.pem")));
}

}  // namespace
}  // namespace velknee
