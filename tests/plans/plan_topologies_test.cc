// The clinic's named cases in both deployments of DESIGN §2 (plans and intake in one process,
// and as two velknee-server processes on loopback), and what the therapist sees when the
// intake service is down or slow.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/plans/plan_clinic.h"
#include "tests/support/status_matchers.h"

namespace velknee::plans {
namespace {

using test::IsOk;
using test::PlansClinic;
using test::StatusIs;
using test::Topology;
using test::TwoProcessClinic;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Property;
using ::testing::SizeIs;
using v1::TreatmentPlan;
using Violation = google::rpc::PreconditionFailure::Violation;

constexpr absl::string_view kAbsentId = "bbbbbbbbbbbbbbbbbbbbbbbb";

// Calls into the plans service of a clinic, as therapist Ana's tablet does.
class Tablet {
 public:
  explicit Tablet(const PlansClinic& clinic) : clinic_(clinic), stub_(clinic.PlansStub()) {}

  grpc::Status Create(const std::string& parent, const TreatmentPlan& plan, TreatmentPlan* out,
                      absl::Duration timeout = absl::Seconds(10)) {
    v1::CreatePlanRequest request;
    request.set_parent(parent);
    *request.mutable_plan() = plan;
    grpc::ClientContext context;
    clinic_.Prepare(context, Role::kTherapist, timeout);
    return stub_->CreatePlan(&context, request, out);
  }

  grpc::Status Activate(const TreatmentPlan& plan, TreatmentPlan* out) {
    v1::ActivatePlanRequest request;
    request.set_name(plan.name());
    request.set_etag(plan.etag());
    grpc::ClientContext context;
    clinic_.Prepare(context, Role::kTherapist);
    return stub_->ActivatePlan(&context, request, out);
  }

  grpc::Status Get(const std::string& name, TreatmentPlan* out) {
    v1::GetPlanRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    clinic_.Prepare(context, Role::kTherapist);
    return stub_->GetPlan(&context, request, out);
  }

  std::vector<std::string> PlanNames(
      const std::string& client, TreatmentPlan::State state = TreatmentPlan::STATE_UNSPECIFIED) {
    v1::ListPlansRequest request;
    request.set_parent(client);
    request.set_state(state);
    grpc::ClientContext context;
    clinic_.Prepare(context, Role::kTherapist);
    v1::ListPlansResponse response;
    EXPECT_THAT(stub_->ListPlans(&context, request, &response), IsOk());
    std::vector<std::string> names;
    for (const TreatmentPlan& plan : response.plans()) names.push_back(plan.name());
    return names;
  }

 private:
  const PlansClinic& clinic_;
  std::unique_ptr<v1::TreatmentPlanService::Stub> stub_;
};

class PlanTopologyTest : public ::testing::TestWithParam<Topology> {
 protected:
  void SetUp() override {
    clinic_ = PlansClinic::Start(GetParam());
    ASSERT_NE(clinic_, nullptr);
    tablet_ = std::make_unique<Tablet>(*clinic_);
  }

  std::unique_ptr<PlansClinic> clinic_;
  std::unique_ptr<Tablet> tablet_;
};

TEST_P(PlanTopologyTest, TheGardenersPlanIsWrittenAndActivated) {
  const test::ClientWithAssessment greta =
      test::NewScreenedClient(*clinic_, "Greta", "Gardner", {});
  ASSERT_EQ(greta.assessment.screening().disposition(), common::v1::DISPOSITION_CLEAR);

  TreatmentPlan draft;
  ASSERT_THAT(tablet_->Create(greta.client, test::GardenerPlan(greta.assessment.name()), &draft),
              IsOk());
  EXPECT_EQ(draft.state(), TreatmentPlan::STATE_DRAFT);
  EXPECT_EQ(draft.therapist(), "therapists/ana");
  EXPECT_EQ(draft.screening().disposition(), common::v1::DISPOSITION_CLEAR);
  EXPECT_THAT(draft.screening().restrictions(), IsEmpty());

  TreatmentPlan active;
  ASSERT_THAT(tablet_->Activate(draft, &active), IsOk());
  EXPECT_EQ(active.state(), TreatmentPlan::STATE_ACTIVE);

  TreatmentPlan stored;
  ASSERT_THAT(tablet_->Get(draft.name(), &stored), IsOk());
  EXPECT_EQ(stored.SerializeAsString(), active.SerializeAsString());
  ASSERT_THAT(stored.techniques(), SizeIs(3));
  EXPECT_EQ(stored.techniques(0).technique(), common::v1::TECHNIQUE_TRIGGER_POINT);
  EXPECT_EQ(stored.techniques(0).regions(0).region(), common::v1::BODY_REGION_QUADRICEPS);
  EXPECT_EQ(stored.techniques(1).technique(), common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
  EXPECT_EQ(stored.techniques(1).regions(0).region(), common::v1::BODY_REGION_IT_BAND);
  EXPECT_EQ(stored.techniques(2).technique(), common::v1::TECHNIQUE_DEEP_TISSUE);
  EXPECT_EQ(stored.techniques(2).regions(0).region(), common::v1::BODY_REGION_HIP_FLEXORS);
  EXPECT_EQ(stored.cadence().interval_days(), 7);
  EXPECT_EQ(stored.cadence().planned_sessions(), 6);
  ASSERT_THAT(stored.home_care(), SizeIs(2));
  EXPECT_EQ(stored.home_care(0).name(), "Standing quadriceps stretch");
  EXPECT_EQ(stored.home_care(1).name(), "Kneeling hip-flexor stretch");

  EXPECT_THAT(tablet_->PlanNames(greta.client, TreatmentPlan::STATE_ACTIVE),
              ElementsAre(draft.name()));
  EXPECT_THAT(clinic_->AuditRows("CreatePlan"), ElementsAre(draft.name() + " 0"));
  EXPECT_THAT(clinic_->AuditRows("ActivatePlan"), ElementsAre(draft.name() + " 0"));
}

TEST_P(PlanTopologyTest, TheOfficeWorkersDeepTissuePlanIsRefusedAndTheGentlePlanActivates) {
  const test::ClientWithAssessment otto = test::NewScreenedClient(
      *clinic_, "Otto", "Office", {test::Flag(common::v1::CONDITION_ANTICOAGULANT_USE)});
  ASSERT_EQ(otto.assessment.screening().disposition(),
            common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);

  TreatmentPlan refused;
  const grpc::Status status = tablet_->Create(
      otto.client, test::OfficeWorkerDeepTissuePlan(otto.assessment.name()), &refused);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               AllOf(HasSubstr("ANTICOAGULANT_USE"),
                                     HasSubstr("deep tissue on hamstrings (right)"),
                                     HasSubstr("No deep tissue anywhere: client takes blood "
                                               "thinners (bruising risk)"))));
  EXPECT_EQ(test::ErrorReason(status), "RESTRICTION_BREACHED");
  // Deep tissue at firm pressure breaks both of the blood-thinner rules.
  EXPECT_THAT(
      test::PreconditionViolations(status),
      ElementsAre(
          AllOf(Property(&Violation::subject, "techniques[0]"),
                Property(&Violation::description, AllOf(HasSubstr("No deep tissue anywhere"),
                                                        HasSubstr("ANTICOAGULANT_USE")))),
          AllOf(Property(&Violation::subject, "techniques[0]"),
                Property(&Violation::description, AllOf(HasSubstr("Pressure at most moderate"),
                                                        HasSubstr("ANTICOAGULANT_USE"))))));
  EXPECT_THAT(tablet_->PlanNames(otto.client), IsEmpty());

  TreatmentPlan draft;
  ASSERT_THAT(
      tablet_->Create(otto.client, test::OfficeWorkerGentlePlan(otto.assessment.name()), &draft),
      IsOk());
  EXPECT_EQ(draft.screening().SerializeAsString(), otto.assessment.screening().SerializeAsString());
  TreatmentPlan active;
  ASSERT_THAT(tablet_->Activate(draft, &active), IsOk());
  EXPECT_EQ(active.state(), TreatmentPlan::STATE_ACTIVE);
  EXPECT_EQ(active.cadence().interval_days(), 14);
  EXPECT_EQ(active.cadence().planned_sessions(), 4);
  EXPECT_EQ(active.techniques(0).pressure(), common::v1::PRESSURE_LIGHT);
  EXPECT_EQ(active.techniques(1).pressure(), common::v1::PRESSURE_MODERATE);
  EXPECT_THAT(tablet_->PlanNames(otto.client), ElementsAre(draft.name()));
}

TEST_P(PlanTopologyTest, IntakesRefusalsReachTheTherapistIntact) {
  test::IntakeRecords intake(*clinic_);
  const std::string client = intake.NewClient("Ivy", "Intake");
  const std::string absent = absl::StrCat(client, "/assessments/", kAbsentId);
  TreatmentPlan out;
  const grpc::Status not_found = tablet_->Create(client, test::GardenerPlan(absent), &out);
  EXPECT_THAT(not_found, StatusIs(absl::StatusCode::kNotFound, HasSubstr(absent)));
  EXPECT_EQ(test::ErrorReason(not_found), "RESOURCE_NOT_FOUND");

  const intake::v1::Assessment draft = intake.NewAssessment(client, {}, /*submit=*/false);
  const grpc::Status not_submitted =
      tablet_->Create(client, test::GardenerPlan(draft.name()), &out);
  EXPECT_THAT(not_submitted, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(test::ErrorReason(not_submitted), "ASSESSMENT_NOT_SUBMITTED");

  const intake::v1::Assessment referred =
      intake.NewAssessment(client, {test::Flag(common::v1::CONDITION_FEVER_OR_INFECTION)});
  const grpc::Status refer_out = tablet_->Create(client, test::GardenerPlan(referred.name()), &out);
  EXPECT_THAT(refer_out,
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("fever or infection")));
  EXPECT_EQ(test::ErrorReason(refer_out), "ASSESSMENT_REFERRED_OUT");

  EXPECT_THAT(tablet_->PlanNames(client), IsEmpty());
  EXPECT_THAT(clinic_->AuditRows("CreatePlan"), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Topologies, PlanTopologyTest,
                         ::testing::Values(Topology::kOneProcess, Topology::kTwoProcesses),
                         [](const ::testing::TestParamInfo<Topology>& info) {
                           return test::TopologyName(info.param);
                         });

// ---------------------------------------------------------------------------------------------
// The intake service down or slow, with real processes.

TEST(IntakeUnreachableTest, WithIntakeStoppedCreatePlanIsUnavailableNamingItAndWritesNothing) {
  TwoProcessClinic clinic;
  ASSERT_TRUE(clinic.started()) << clinic.Logs();
  Tablet tablet(clinic);
  const test::ClientWithAssessment greta = test::NewScreenedClient(clinic, "Greta", "Gardner", {});
  TreatmentPlan first;
  ASSERT_THAT(tablet.Create(greta.client, test::GardenerPlan(greta.assessment.name()), &first),
              IsOk());

  ASSERT_EQ(clinic.StopIntake(), 0) << clinic.Logs();

  TreatmentPlan second;
  const absl::Time start = absl::Now();
  const grpc::Status status = tablet.Create(
      greta.client, test::GardenerPlan(greta.assessment.name()), &second, absl::Seconds(5));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("intake service")));
  EXPECT_EQ(test::ErrorReason(status), "PEER_UNAVAILABLE");
  EXPECT_EQ(second.name(), "");

  // The plans service still answers, and holds only the plan written while intake was up.
  EXPECT_THAT(tablet.PlanNames(greta.client), ElementsAre(first.name()));
  EXPECT_THAT(clinic.AuditRows("CreatePlan"), ElementsAre(first.name() + " 0"));
}

TEST(IntakeUnreachableTest, AnIntakeTargetNobodyListensOnFailsWithinTheDeadlineNamingIt) {
  const int port = test::UnusedLoopbackPort();
  ASSERT_NE(port, 0);
  TwoProcessClinic clinic(absl::StrCat("127.0.0.1:", port));
  ASSERT_TRUE(clinic.started()) << clinic.Logs();
  Tablet tablet(clinic);
  const std::string client = absl::StrCat("clients/", kAbsentId);
  const std::string assessment = absl::StrCat(client, "/assessments/", kAbsentId);

  TreatmentPlan out;
  const absl::Time start = absl::Now();
  const grpc::Status status =
      tablet.Create(client, test::GardenerPlan(assessment), &out, absl::Seconds(2));
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_THAT(status,
              AnyOf(StatusIs(absl::StatusCode::kUnavailable, HasSubstr("intake service")),
                    StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("intake service"))));
  EXPECT_THAT(tablet.PlanNames(client), IsEmpty());
  EXPECT_THAT(clinic.AuditRows("CreatePlan"), IsEmpty());
}

// A socket that accepts connections (the kernel completes the handshake) but never speaks:
// an intake service that hangs.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::listen(fd_, 16) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~SilentListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(IntakeUnreachableTest, AnIntakeThatNeverAnswersFailsWithinTheDeadlineNamingIt) {
  SilentListener hung;
  ASSERT_NE(hung.port(), 0);
  TwoProcessClinic clinic(absl::StrCat("127.0.0.1:", hung.port()));
  ASSERT_TRUE(clinic.started()) << clinic.Logs();
  Tablet tablet(clinic);
  const std::string client = absl::StrCat("clients/", kAbsentId);
  const std::string assessment = absl::StrCat(client, "/assessments/", kAbsentId);

  TreatmentPlan out;
  const absl::Time start = absl::Now();
  const grpc::Status status =
      tablet.Create(client, test::GardenerPlan(assessment), &out, absl::Seconds(2));
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  // The therapist learns which service was slow, not just that time ran out.
  EXPECT_THAT(status,
              AnyOf(StatusIs(absl::StatusCode::kUnavailable, HasSubstr("intake service")),
                    StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("intake service"))));
  EXPECT_THAT(clinic.AuditRows("CreatePlan"), IsEmpty());
}

}  // namespace
}  // namespace velknee::plans
