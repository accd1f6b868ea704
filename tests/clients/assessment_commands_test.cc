#include "clients/cli/assessment_commands.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clients/cli/connection.h"
#include "clients/cli/error_line.h"
#include "clients/cli/update_mask.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/clients/command_line.h"
#include "tests/clients/loopback_server.h"
#include "tests/support/temp_dir.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

ABSL_DECLARE_FLAG(velknee::cli::TextFlag, client);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, from_file);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, update_mask);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, etag);
ABSL_DECLARE_FLAG(velknee::cli::TextFlag, time_zone);
ABSL_DECLARE_FLAG(bool, submit);

namespace velknee::cli {
namespace {

using intake::v1::Assessment;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

// Records what the commands send. CreateAssessment fails
// `unavailable_answers` times first, as on flaky clinic Wi-Fi; Submit answers
// with the anticoagulant screening; GetAssessment with a draft created at
// noon UTC on 1 July 2026 (13:00 in London, on summer time).
class FakeIntake final : public intake::v1::IntakeService::Service {
 public:
  grpc::Status GetAssessment(grpc::ServerContext*, const intake::v1::GetAssessmentRequest* request,
                             Assessment* response) override {
    response->set_name(request->name());
    response->set_state(Assessment::STATE_DRAFT);
    response->mutable_create_time()->set_seconds(absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilSecond(2026, 7, 1, 12, 0, 0), absl::UTCTimeZone())));
    return grpc::Status::OK;
  }

  grpc::Status GetClient(grpc::ServerContext*, const intake::v1::GetClientRequest* request,
                         intake::v1::Client* response) override {
    response->set_name(request->name());
    response->set_given_name("Oskar");
    response->set_family_name("Lindqvist");
    response->set_state(intake::v1::Client::STATE_ACTIVE);
    return grpc::Status::OK;
  }

  grpc::Status CreateAssessment(grpc::ServerContext*,
                                const intake::v1::CreateAssessmentRequest* request,
                                Assessment* response) override {
    absl::MutexLock lock(&mu_);
    creates_.push_back(*request);
    if (unavailable_answers_ > 0) {
      --unavailable_answers_;
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "network blip");
    }
    *response = request->assessment();
    response->set_name(absl::StrCat(request->parent(), "/assessments/a1"));
    response->set_state(Assessment::STATE_DRAFT);
    response->set_etag("etag-1");
    return grpc::Status::OK;
  }

  grpc::Status UpdateAssessment(grpc::ServerContext*,
                                const intake::v1::UpdateAssessmentRequest* request,
                                Assessment* response) override {
    absl::MutexLock lock(&mu_);
    updates_.push_back(*request);
    *response = request->assessment();
    return grpc::Status::OK;
  }

  grpc::Status SubmitAssessment(grpc::ServerContext*,
                                const intake::v1::SubmitAssessmentRequest* request,
                                Assessment* response) override {
    absl::MutexLock lock(&mu_);
    submits_.push_back(*request);
    response->set_name(request->name());
    response->set_state(Assessment::STATE_SUBMITTED);
    common::v1::Screening& screening = *response->mutable_screening();
    screening.set_disposition(common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
    common::v1::Restriction* deep = screening.add_restrictions();
    deep->set_condition(common::v1::CONDITION_ANTICOAGULANT_USE);
    deep->set_technique(common::v1::TECHNIQUE_DEEP_TISSUE);
    deep->set_rationale(
        "No deep tissue anywhere: client takes blood thinners (bruising "
        "risk)");
    common::v1::Restriction* cap = screening.add_restrictions();
    cap->set_condition(common::v1::CONDITION_ANTICOAGULANT_USE);
    cap->set_max_pressure(common::v1::PRESSURE_MODERATE);  // no rationale
    return grpc::Status::OK;
  }

  void set_unavailable_answers(int n) {
    absl::MutexLock lock(&mu_);
    unavailable_answers_ = n;
  }
  std::vector<intake::v1::CreateAssessmentRequest> creates() {
    absl::MutexLock lock(&mu_);
    return creates_;
  }
  std::vector<intake::v1::UpdateAssessmentRequest> updates() {
    absl::MutexLock lock(&mu_);
    return updates_;
  }
  std::vector<intake::v1::SubmitAssessmentRequest> submits() {
    absl::MutexLock lock(&mu_);
    return submits_;
  }

 private:
  absl::Mutex mu_;
  int unavailable_answers_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<intake::v1::CreateAssessmentRequest> creates_ ABSL_GUARDED_BY(mu_);
  std::vector<intake::v1::UpdateAssessmentRequest> updates_ ABSL_GUARDED_BY(mu_);
  std::vector<intake::v1::SubmitAssessmentRequest> submits_ ABSL_GUARDED_BY(mu_);
};

constexpr char kOfficeWorkerJson[] = R"json({
  "chiefComplaint": "Ache behind the right knee after long days at the desk",
  "pain": {"regions": [{"region": "BODY_REGION_KNEE_POSTERIOR",
                        "side": "SIDE_RIGHT"}],
           "current": 5},
  "medications": ["warfarin 5 mg daily"],
  "healthScreenCompleted": true,
  "conditions": [{"condition": "CONDITION_ANTICOAGULANT_USE"}],
  "consent": {"informedConsent": true, "signerName": "Oskar Lindqvist"}
})json";

class AssessmentCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<LoopbackServer>(service_, "vkt_test_token");
    ASSERT_TRUE(server_->started());
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path) << text;
    return path;
  }

  int Run(std::vector<std::string> args, const std::string& answers = "") {
    out_.str("");
    err_.str("");
    std::istringstream in(answers);
    args.insert(args.begin(), "intake");
    return RunTabletLine(args, out_, err_, in);
  }

  absl::FlagSaver flag_saver_;
  test::TempDir dir_;
  FakeIntake service_;
  std::unique_ptr<LoopbackServer> server_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(AssessmentCommandsTest, NewRetriesUnavailableWithTheSameRequestId) {
  service_.set_unavailable_answers(2);
  ASSERT_EQ(Run({"new", "--client=clients/c1",
                 "--from-file=" + WriteFile("form.json", kOfficeWorkerJson)}),
            kExitOk)
      << err_.str();

  const auto creates = service_.creates();
  ASSERT_THAT(creates, SizeIs(3));
  EXPECT_FALSE(creates[0].request_id().empty());
  EXPECT_EQ(creates[1].request_id(), creates[0].request_id());
  EXPECT_EQ(creates[2].request_id(), creates[0].request_id());
  EXPECT_EQ(creates[0].parent(), "clients/c1");
  EXPECT_EQ(creates[0].assessment().pain().current(), 5);
  EXPECT_THAT(out_.str(), HasSubstr("clients/c1/assessments/a1"));
  EXPECT_THAT(out_.str(), HasSubstr("intake submit clients/c1/assessments/a1"));
}

TEST_F(AssessmentCommandsTest, NewWithSubmitPrintsTheScreeningInPlainWords) {
  ASSERT_EQ(Run({"new", "--client=c1", "--from_file=" + WriteFile("form.json", kOfficeWorkerJson),
                 "--submit"}),
            kExitOk)
      << err_.str();

  ASSERT_THAT(service_.submits(), SizeIs(1));
  EXPECT_EQ(service_.submits()[0].name(), "clients/c1/assessments/a1");
  EXPECT_EQ(service_.submits()[0].etag(), "etag-1");
  EXPECT_THAT(out_.str(), HasSubstr("Screening: TREAT WITH PRECAUTIONS\n"
                                    "  - No deep tissue anywhere: client takes blood "
                                    "thinners (bruising risk)\n"
                                    "  - Pressure at most moderate: takes blood thinners "
                                    "(anticoagulants)\n"));
}

TEST_F(AssessmentCommandsTest, UnknownFieldInFromFileIsNamedAndNothingSent) {
  EXPECT_EQ(Run({"new", "--client=clients/c1",
                 "--from_file=" + WriteFile("form.json", R"({"chiefComplain": "knee"})")}),
            kExitUsage);

  EXPECT_THAT(err_.str(), HasSubstr("chiefComplain"));
  EXPECT_THAT(err_.str(), HasSubstr("form.json"));
  EXPECT_THAT(service_.creates(), IsEmpty());
}

TEST_F(AssessmentCommandsTest, FormEndingEarlyCreatesNothing) {
  EXPECT_EQ(Run({"new", "--client=clients/c1"}, "Sore knee\n1\nleft\n"), kExitUsage);

  EXPECT_THAT(err_.str(), HasSubstr("the answers ended at \"Pain now"));
  EXPECT_THAT(err_.str(), HasSubstr("nothing was created"));
  EXPECT_EQ(err_.str().find('\n'), err_.str().size() - 1) << "one line";
  EXPECT_THAT(service_.creates(), IsEmpty());
  EXPECT_THAT(out_.str(), HasSubstr("Client: Oskar Lindqvist (clients/c1)"));
}

TEST_F(AssessmentCommandsTest, JsonKeepsTheFormOffStandardOutput) {
  EXPECT_EQ(Run({"new", "--client=clients/c1", "--json"}, "Sore knee\n"), kExitUsage);

  EXPECT_THAT(out_.str(), IsEmpty());
  EXPECT_THAT(err_.str(), HasSubstr("Chief complaint"));
}

TEST_F(AssessmentCommandsTest, EditFromFileChangesTheFieldsItSets) {
  // What `show --json` printed, trimmed by a script: output-only fields and
  // the name stay out of the mask; the etag comes along.
  const std::string patch = WriteFile("patch.json", R"({
      "name": "clients/other/assessments/zz",
      "state": "STATE_DRAFT",
      "pain": {"current": 4},
      "goals": ["climb stairs without pain"],
      "consent": {"signerName": "Oskar Lindqvist", "signTime": "2024-06-01T10:00:00Z"},
      "etag": "etag-7"})");

  ASSERT_EQ(Run({"edit", "clients/c1/assessments/a1", "--from_file=" + patch}), kExitOk)
      << err_.str();

  ASSERT_THAT(service_.updates(), SizeIs(1));
  const intake::v1::UpdateAssessmentRequest request = service_.updates()[0];
  EXPECT_EQ(request.assessment().name(), "clients/c1/assessments/a1");
  EXPECT_EQ(request.assessment().etag(), "etag-7");
  EXPECT_THAT(request.update_mask().paths(),
              ElementsAre("pain.current", "goals", "consent.signer_name"));
}

TEST_F(AssessmentCommandsTest, EditWithExplicitMaskAndEtagFlag) {
  ASSERT_EQ(
      Run({"edit", "clients/c1/assessments/a1", "--from_file=" + WriteFile("patch.json", "{}"),
           "--update-mask", "lefs_score, medical_clearance", "--etag=etag-9"}),
      kExitOk)
      << err_.str();

  const intake::v1::UpdateAssessmentRequest request = service_.updates()[0];
  EXPECT_THAT(request.update_mask().paths(), ElementsAre("lefs_score", "medical_clearance"));
  EXPECT_EQ(request.assessment().etag(), "etag-9");
}

TEST_F(AssessmentCommandsTest, UsageErrorsExitTwoWithoutCallingTheServer) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: missing intake command\n");
  EXPECT_EQ(Run({"new"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: intake new needs --client=clients/ID\n");
  EXPECT_EQ(Run({"show"}), kExitUsage);
  EXPECT_EQ(Run({"sign", "x"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: unknown intake command \"sign\"\n");
  EXPECT_EQ(Run({"edit", "clients/c1/assessments/a1", "--update_mask=goals"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --update_mask goes with --from_file\n");
  EXPECT_EQ(Run({"show", "clients/c1/assessments/a1", "--etag=e"}), kExitUsage);
  EXPECT_EQ(err_.str(), "error: --etag does not apply to intake show\n");
  EXPECT_THAT(service_.creates(), IsEmpty());
  EXPECT_THAT(service_.updates(), IsEmpty());
}

TEST_F(AssessmentCommandsTest, ShowPrintsTimesInTheTimeZoneGiven) {
  ASSERT_EQ(Run({"show", "clients/c1/assessments/a1", "--time_zone=Europe/London"}), kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), ContainsRegex("Created: +2026-07-01 13:00 BST\n"));

  ASSERT_EQ(Run({"show", "clients/c1/assessments/a1", "--time_zone=UTC"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), ContainsRegex("Created: +2026-07-01 12:00 UTC\n"));
}

TEST_F(AssessmentCommandsTest, UnknownTimeZoneIsAUsageError) {
  EXPECT_EQ(Run({"show", "clients/c1/assessments/a1", "--time_zone=Mars/Olympus_Mons"}),
            kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("error: --time_zone: unknown time zone \"Mars/Olympus_Mons\""));
  EXPECT_EQ(err_.str().find('\n'), err_.str().size() - 1) << "one line";
  EXPECT_THAT(out_.str(), IsEmpty());
}

TEST(UpdateMaskTest, ParsesCommaSeparatedPaths) {
  absl::StatusOr<google::protobuf::FieldMask> mask = ParseUpdateMask(" pain.current ,goals,");
  ASSERT_TRUE(mask.ok());
  EXPECT_THAT(mask->paths(), ElementsAre("pain.current", "goals"));
  EXPECT_FALSE(ParseUpdateMask(" , ").ok());
}

}  // namespace
}  // namespace velknee::cli
