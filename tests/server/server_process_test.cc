// velknee-server as operators run it: a real process on a loopback port.

#include "tests/server/server_process.h"

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/harness/subprocess.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee {
namespace {

using test::CommandResult;
using test::IsOk;
using test::Process;
using test::ReadFile;
using test::RunCommand;
using test::ServerBinary;
using test::ServerProcessTest;
using test::StatusIs;
using ::testing::HasSubstr;

bool Exists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

TEST_F(ServerProcessTest, RefusesPlaintextOnANonLoopbackAddressAndTouchesNoData) {
  const CommandResult result = RunCommand(ServeArgs("0.0.0.0:0"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to serve without TLS on 0.0.0.0:0"));
  EXPECT_FALSE(Exists(dir_.File("data")));
}

TEST_F(ServerProcessTest, RefusesToStartWithoutAValidServiceToken) {
  std::ofstream(dir_.File("service.token")) << desk_token_;  // Not a SERVICE token.
  const CommandResult result = RunCommand(ServeArgs());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("does not hold a SERVICE token"));
}

TEST_F(ServerProcessTest, AServiceWhosePeerIsNeitherHostedNorTargetedIsAStartupError) {
  std::vector<std::string> args = ServeArgs();
  args.push_back("--services=plans");
  const CommandResult result = RunCommand(args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("intake_target: is required: plans calls the intake service"));
}

TEST_F(ServerProcessTest, AnUnknownClinicTimeZoneIsAStartupError) {
  std::vector<std::string> args = ServeArgs();
  args.push_back("--clinic_time_zone=Mars/Olympus_Mons");
  const CommandResult result = RunCommand(args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--clinic_time_zone: unknown time zone \"Mars/Olympus_Mons\""));
}

TEST_F(ServerProcessTest, AnUnknownLogFormatIsAStartupError) {
  std::vector<std::string> args = ServeArgs();
  args.push_back("--log_format=yaml");
  const CommandResult result = RunCommand(args);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("log_format: must be text or json, not \"yaml\""));
  EXPECT_FALSE(Exists(dir_.File("data")));
}

TEST_F(ServerProcessTest, JsonRequestLogHasOneObjectPerCallAndNoClinicalContent) {
  std::vector<std::string> args = ServeArgs();
  args.push_back("--log_format=json");
  Process server(args, dir_.File("server.log"));
  const int port = test::WaitForListening(server);
  ASSERT_NE(port, 0) << ReadFile(dir_.File("server.log"));
  EXPECT_THAT(CreateClient(Loopback(port), desk_token_), IsOk());
  EXPECT_THAT(CreateClient(Loopback(port), "not-a-token"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(server.Stop(SIGTERM, absl::Seconds(20)), 0);
  const std::string log = ReadFile(dir_.File("server.log"));
  EXPECT_THAT(log, ::testing::ContainsRegex(
                       "\\{\"time\":\"[0-9-]+T[0-9:.]+Z\","
                       "\"method\":\"/velknee.intake.v1.IntakeService/CreateClient\","
                       "\"principal\":\"desk-1\",\"code\":\"OK\",\"latency_ms\":[0-9.]+,"
                       "\"peer\":\"ipv4:127.0.0.1:[0-9]+\"\\}\n"));
  EXPECT_THAT(log, HasSubstr("\"principal\":null,\"code\":\"UNAUTHENTICATED\""));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("Runner")));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("not-a-token")));
}

TEST_F(ServerProcessTest, IntakeAloneNeedsNoServiceToken) {
  Process server({ServerBinary(), "--listen=127.0.0.1:0", "--services=intake",
                  "--data_dir=" + dir_.File("data"), "--tokens_file=" + dir_.File("tokens")},
                 dir_.File("server.log"));
  const int port = test::WaitForListening(server);
  ASSERT_NE(port, 0) << ReadFile(dir_.File("server.log"));
  EXPECT_THAT(CreateClient(Loopback(port), desk_token_), IsOk());
}

TEST_F(ServerProcessTest, ServesOnAChosenPortAndStopsCleanlyOnSigterm) {
  Process server(ServeArgs(), dir_.File("server.log"));
  const int port = test::WaitForListening(server);
  ASSERT_NE(port, 0) << ReadFile(dir_.File("server.log"));
  EXPECT_THAT(CreateClient(Loopback(port), desk_token_), IsOk());
  EXPECT_TRUE(Exists(dir_.File("data/intake.db")));

  EXPECT_EQ(server.Stop(SIGTERM, absl::Seconds(20)), 0);
  const std::string log = ReadFile(dir_.File("server.log"));
  EXPECT_THAT(log, HasSubstr("SIGTERM received"));
  EXPECT_THAT(log, HasSubstr("velknee-server: stopped"));
  // The request log names the caller and the outcome, never the client's details.
  EXPECT_THAT(
      log, HasSubstr("rpc=/velknee.intake.v1.IntakeService/CreateClient principal=desk-1 code=OK"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("Runner")));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(desk_token_)));
}

TEST_F(ServerProcessTest, AddedAndRevokedTokensTakeEffectWithoutARestart) {
  Process server(ServeArgs(), dir_.File("server.log"));
  const int port = test::WaitForListening(server);
  ASSERT_NE(port, 0) << ReadFile(dir_.File("server.log"));
  auto channel = Loopback(port);

  const std::string late = AddToken({"--role=front_desk", "--principal=desk-2"});
  // Reload happens within a second; poll a little past that rather than sleep a fixed time.
  auto eventually = [&](absl::StatusCode want) {
    const absl::Time give_up = absl::Now() + absl::Seconds(3);
    grpc::Status status;
    do {
      status = CreateClient(channel, late);
      if (static_cast<int>(status.error_code()) == static_cast<int>(want)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (absl::Now() < give_up);
    return status;
  };
  const absl::Time added = absl::Now();
  EXPECT_THAT(eventually(absl::StatusCode::kOk), IsOk());
  EXPECT_LT(absl::Now() - added, absl::Seconds(1.5));

  const CommandResult revoke =
      RunCommand({ServerBinary(), "tokens", "revoke", "--tokens_file=" + dir_.File("tokens"),
                  "--principal=desk-2"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  const absl::Time revoked = absl::Now();
  EXPECT_THAT(eventually(absl::StatusCode::kUnauthenticated),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_LT(absl::Now() - revoked, absl::Seconds(1.5));
  EXPECT_THAT(CreateClient(channel, desk_token_), IsOk());
}

TEST_F(ServerProcessTest, TokensListShowsPrincipalsButNeverTokens) {
  const CommandResult list =
      RunCommand({ServerBinary(), "tokens", "list", "--tokens_file=" + dir_.File("tokens")});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("desk-1"));
  EXPECT_THAT(list.out, HasSubstr("front_desk"));
  EXPECT_THAT(list.out, ::testing::Not(HasSubstr(desk_token_)));
  EXPECT_THAT(ReadFile(dir_.File("tokens")), ::testing::Not(HasSubstr(desk_token_)));
}

TEST_F(ServerProcessTest, AuditVerifyFindsARowEditedByHand) {
  {
    Process server(ServeArgs(), dir_.File("server.log"));
    const int port = test::WaitForListening(server);
    ASSERT_NE(port, 0) << ReadFile(dir_.File("server.log"));
    for (int i = 0; i < 3; ++i) ASSERT_THAT(CreateClient(Loopback(port), desk_token_), IsOk());
    ASSERT_EQ(server.Stop(SIGTERM, absl::Seconds(20)), 0);
  }
  const std::vector<std::string> verify = {ServerBinary(), "audit", "verify",
                                           "--data_dir=" + dir_.File("data")};
  CommandResult intact = RunCommand(verify);
  EXPECT_EQ(intact.exit_code, 0) << intact.out << intact.err;
  EXPECT_THAT(intact.out, HasSubstr("intake.db: intact (3 events)"));

  {
    SQLite::Database db(dir_.File("data/intake.db"), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER audit_log_no_update");
    db.exec("UPDATE audit_log SET principal = 'someone-else' WHERE seq = 2");
  }
  const CommandResult tampered = RunCommand(verify);
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_THAT(tampered.out, HasSubstr("intake.db: FAILED: audit row 2 was changed"));
}

}  // namespace
}  // namespace velknee
