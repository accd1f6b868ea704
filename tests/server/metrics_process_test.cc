// velknee-server's Prometheus endpoint (--metrics_listen), scraped over HTTP from a real
// process after real calls, and checked by Prometheus' own promtool.

#include <signal.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/harness/subprocess.h"
#include "tests/server/server_process.h"
#include "tests/support/raw_connection.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"
#include "velknee/notes/v1/session_note_service.grpc.pb.h"

namespace velknee {
namespace {

using test::CommandResult;
using test::Process;
using test::ReadFile;
using test::RunCommand;
using test::ServerProcessTest;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::string_view kIntake = "velknee.intake.v1.IntakeService";

// The value of the sample `series` (name{labels} exactly as scraped) in `text`, or nullopt.
std::optional<double> Sample(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    double value = 0;
    if (absl::ConsumePrefix(&line, series + " ") && absl::SimpleAtod(line, &value)) return value;
  }
  return std::nullopt;
}

// grpc_server_handled_total of `method` of `service` that ended with `code` (nullopt when
// the series is missing).
std::optional<double> Handled(const std::string& text, absl::string_view service,
                              absl::string_view method, absl::string_view code) {
  return Sample(
      text, absl::StrCat("grpc_server_handled_total{grpc_type=\"unary\",grpc_service=\"", service,
                         "\",grpc_method=\"", method, "\",grpc_code=\"", code, "\"}"));
}

class MetricsProcessTest : public ServerProcessTest {
 protected:
  void SetUp() override {
    ServerProcessTest::SetUp();
    therapist_token_ =
        AddToken({"--role=therapist", "--principal=ana", "--therapist=therapists/ana"});
  }

  std::vector<std::string> ServeArgs(const std::string& metrics_listen) {
    std::vector<std::string> args = ServerProcessTest::ServeArgs();
    args.push_back("--metrics_listen=" + metrics_listen);
    return args;
  }

  // Starts the server with metrics on a free port of `host` and `extra` flags; false when it
  // did not start.
  bool StartServer(const std::string& host = "127.0.0.1",
                   const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = ServeArgs(host + ":0");
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<Process>(args, dir_.File("server.log"));
    grpc_port_ = test::WaitForListening(*server_);
    if (grpc_port_ == 0) return false;
    const std::optional<std::string> line = server_->ReadLine(absl::Seconds(10));
    if (!line || !absl::StartsWith(*line, absl::StrCat("metrics on ", host, ":"))) return false;
    return absl::SimpleAtoi(line->substr(line->rfind(':') + 1), &metrics_port_);
  }

  grpc::Status GetClient(const std::string& token, const std::string& name) {
    auto stub = intake::v1::IntakeService::NewStub(Loopback(grpc_port_));
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Now() + absl::Seconds(10));
    intake::v1::GetClientRequest request;
    request.set_name(name);
    intake::v1::Client client;
    return stub->GetClient(&context, request, &client);
  }

  // GET `path` of the metrics port: the status and the body.
  std::pair<int, std::string> Get(const std::string& path) {
    httplib::Client client("127.0.0.1", metrics_port_);
    httplib::Result result = client.Get(path);
    if (!result) return {-1, httplib::to_string(result.error())};
    return {result->status, result->body};
  }

  std::string Scrape() {
    auto [status, body] = Get("/metrics");
    EXPECT_EQ(status, 200) << body;
    return body;
  }

  std::string therapist_token_;
  std::unique_ptr<Process> server_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
};

TEST_F(MetricsProcessTest, CountsEveryCallByMethodAndCodeIncludingRefusedOnes) {
  ASSERT_TRUE(StartServer()) << ReadFile(dir_.File("server.log"));
  const std::string before = Scrape();
  const double commits_before =
      Sample(before, "velknee_db_commit_seconds_count{service=\"intake\"}").value_or(-1);
  ASSERT_GE(commits_before, 0) << before;
  // Every code of every method is there from the start, also gRPC's own health service.
  for (const char* code :
       {"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound",
        "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted",
        "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"}) {
    EXPECT_EQ(Handled(before, kIntake, "GetClient", code), 0) << code;
    EXPECT_EQ(Handled(before, "grpc.health.v1.Health", "Check", code), 0) << code;
  }

  intake::v1::Client created;
  ASSERT_TRUE(CreateClient(Loopback(grpc_port_), desk_token_, &created).ok());  // A write.
  const std::string& client = created.name();
  ASSERT_TRUE(GetClient(desk_token_, client).ok());
  ASSERT_TRUE(GetClient(desk_token_, client).ok());
  EXPECT_EQ(GetClient("vkt_not_a_token", client).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetClient("", client).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  {  // The front desk may not read assessments: refused before the handler looks.
    auto stub = intake::v1::IntakeService::NewStub(Loopback(grpc_port_));
    grpc::ClientContext context;
    PrepareContext(context, desk_token_, absl::Now() + absl::Seconds(10));
    intake::v1::GetAssessmentRequest request;
    request.set_name(client + "/assessments/none");
    intake::v1::Assessment assessment;
    EXPECT_EQ(stub->GetAssessment(&context, request, &assessment).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {  // Progress asks the plans service (in this process, through its gRPC contract).
    auto stub = notes::v1::SessionNoteService::NewStub(Loopback(grpc_port_));
    grpc::ClientContext context;
    PrepareContext(context, therapist_token_, absl::Now() + absl::Seconds(10));
    notes::v1::GetPlanProgressRequest request;
    request.set_plan(client + "/plans/none");
    notes::v1::PlanProgress progress;
    EXPECT_EQ(stub->GetPlanProgress(&context, request, &progress).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  const std::string after = Scrape();
  EXPECT_EQ(Handled(after, kIntake, "CreateClient", "OK"), 1) << after;
  EXPECT_EQ(Handled(after, kIntake, "GetClient", "OK"), 2);
  EXPECT_EQ(Handled(after, kIntake, "GetClient", "Unauthenticated"), 2);
  EXPECT_EQ(Handled(after, kIntake, "GetAssessment", "PermissionDenied"), 1);
  EXPECT_EQ(Handled(after, "velknee.notes.v1.SessionNoteService", "GetPlanProgress", "NotFound"),
            1);
  // The peer call is a call of the plans service too, made with the SERVICE token.
  EXPECT_EQ(Handled(after, "velknee.plans.v1.TreatmentPlanService", "GetPlan", "NotFound"), 1);
  const std::string get_client = absl::StrCat("{grpc_type=\"unary\",grpc_service=\"", kIntake,
                                              "\",grpc_method=\"GetClient\"}");
  EXPECT_EQ(Sample(after, "grpc_server_started_total" + get_client), 4);
  EXPECT_EQ(Sample(after, "grpc_server_handling_seconds_count" + get_client), 4);
  // One request message each; only the two answered calls sent a response.
  EXPECT_EQ(Sample(after, "grpc_server_msg_received_total" + get_client), 4);
  EXPECT_EQ(Sample(after, "grpc_server_msg_sent_total" + get_client), 2);
  EXPECT_GT(Sample(after, "grpc_server_handling_seconds_sum" + get_client).value_or(0), 0);

  EXPECT_GT(Sample(after, "velknee_db_commit_seconds_count{service=\"intake\"}").value_or(0),
            commits_before);
  EXPECT_GE(Sample(after, "velknee_db_commit_batch_size_sum{service=\"intake\"}").value_or(0), 1);
  EXPECT_EQ(Sample(after, "velknee_peer_call_seconds_count{peer=\"plans\"}"), 1);
  EXPECT_TRUE(Sample(after, "velknee_audit_queue_depth{service=\"intake\"}").has_value());
  EXPECT_GT(Sample(after, "process_resident_memory_bytes").value_or(0), 0);
  EXPECT_GT(Sample(after, "process_open_fds").value_or(0), 0);
  // Nothing of the client's (names, phone, resource name), and no token, ever appears.
  for (const std::string& clinical :
       {std::string("Rory"), std::string("Runner"), std::string("441614960000"), client,
        created.name().substr(8)}) {
    EXPECT_THAT(after, ::testing::Not(HasSubstr(clinical))) << clinical;
  }
  EXPECT_THAT(after, ::testing::Not(HasSubstr(desk_token_)));

  // Prometheus' own checker reads the real scrape and finds nothing to report.
  const CommandResult promtool =
      RunCommand({"promtool", "check", "metrics"}, {}, after, absl::Seconds(30));
  EXPECT_EQ(promtool.exit_code, 0) << "promtool (Debian package prometheus) reports:\n"
                                   << promtool.out << promtool.err;
  EXPECT_THAT(promtool.out + promtool.err, IsEmpty());
}

TEST_F(MetricsProcessTest, OnlyTheMetricsPathIsServed) {
  ASSERT_TRUE(StartServer()) << ReadFile(dir_.File("server.log"));
  for (const char* path : {"/", "/metric", "/metrics/", "/debug", "/favicon.ico"}) {
    EXPECT_EQ(Get(path).first, 404) << path;
  }
  EXPECT_EQ(Get("/metrics").first, 200);
}

TEST_F(MetricsProcessTest, MetricsMayListenBeyondLoopbackWithoutAllowInsecure) {
  // Like the health port: no clinical data and no token, so plaintext on any address.
  ASSERT_TRUE(StartServer("0.0.0.0")) << ReadFile(dir_.File("server.log"));
  EXPECT_EQ(Get("/metrics").first, 200);
}

TEST_F(MetricsProcessTest, SigtermWithAStalledScraperExitsInTimeAndKeepsTheAuditEvents) {
  ASSERT_TRUE(StartServer("127.0.0.1", {"--drain_timeout=1s"}))
      << ReadFile(dir_.File("server.log"));
  intake::v1::Client created;
  ASSERT_TRUE(CreateClient(Loopback(grpc_port_), desk_token_, &created).ok());
  ASSERT_TRUE(GetClient(desk_token_, created.name()).ok());  // Audited through the queue.
  test::RawConnection scraper(metrics_port_);
  ASSERT_TRUE(scraper.connected());
  ASSERT_TRUE(scraper.Send("GET /metrics HTTP/1.1\r\nHost: loc"));  // And nothing more.
  // The drain (1 s) plus 2 s.
  EXPECT_EQ(server_->Stop(SIGTERM, absl::Seconds(3)), 0) << ReadFile(dir_.File("server.log"));
  const CommandResult verify =
      RunCommand({test::ServerBinary(), "audit", "verify", "--data_dir=" + dir_.File("data")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("intake.db: intact (2 events)"));
}

TEST_F(MetricsProcessTest, AMetricsAddressThatIsNotHostAndPortIsRefusedBeforeAnyWork) {
  const CommandResult refused = RunCommand(ServeArgs("localhost"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("--metrics_listen: \"localhost\" is not host:port"));
  EXPECT_EQ(ReadFile(dir_.File("data/intake.db")), "");
}

TEST_F(MetricsProcessTest, AMetricsPortInUseIsAStartupError) {
  ASSERT_TRUE(StartServer()) << ReadFile(dir_.File("server.log"));
  std::vector<std::string> args = ServeArgs(absl::StrCat("127.0.0.1:", metrics_port_));
  args.push_back("--data_dir=" + dir_.File("data2"));  // The last --data_dir counts.
  const CommandResult refused = RunCommand(args);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr(absl::StrCat("--metrics_listen: cannot listen on 127.0.0.1:",
                                                  metrics_port_)));
}

}  // namespace
}  // namespace velknee
