// TreatmentPlanService through real stubs, with intake and plans in one process (plans reads
// the assessments through IntakeService's contract on the in-process channel).

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/harness/audit_rows.h"
#include "tests/harness/role_matrix.h"
#include "tests/plans/plan_clinic.h"
#include "tests/support/proto_builders.h"
#include "tests/support/status_matchers.h"

namespace velknee::plans {
namespace {

using test::Every;
using test::Exercise;
using test::Flag;
using test::IsOk;
using test::PainGoal;
using test::Planned;
using test::PlansClinic;
using test::StatusIs;
using test::Where;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::Property;
using ::testing::SizeIs;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;
using v1::Cadence;
using v1::PlannedTechnique;
using v1::TreatmentPlan;
using Violation = google::rpc::PreconditionFailure::Violation;

using namespace common::v1;  // NOLINT: TECHNIQUE_DEEP_TISSUE, BODY_REGION_CALF, … as the clinic
                             // speaks

constexpr absl::string_view kAbsentId = "bbbbbbbbbbbbbbbbbbbbbbbb";

// A violation whose subject is `subject` and whose description contains every one of `parts`.
::testing::Matcher<const Violation&> Breach(const std::string& subject,
                                            const std::vector<std::string>& parts) {
  std::vector<::testing::Matcher<const std::string&>> matchers;
  for (const std::string& part : parts) matchers.push_back(HasSubstr(part));
  return AllOf(Property(&Violation::subject, subject),
               Property(&Violation::description, ::testing::AllOfArray(matchers)));
}

::testing::Matcher<const Violation&> Subject(const std::string& subject) {
  return Property(&Violation::subject, subject);
}

class PlanServiceTest : public ::testing::Test {
 protected:
  PlanServiceTest()
      : clinic_(PlansClinic::Start(test::Topology::kOneProcess)), stub_(clinic_->PlansStub()) {}

  grpc::Status Create(const std::string& parent, const TreatmentPlan& plan, TreatmentPlan* out,
                      Role role = Role::kTherapist, const std::string& request_id = "") {
    v1::CreatePlanRequest request;
    request.set_parent(parent);
    *request.mutable_plan() = plan;
    request.set_request_id(request_id);
    grpc::ClientContext context;
    clinic_->Prepare(context, role);
    return stub_->CreatePlan(&context, request, out);
  }

  // Creates `plan` for the client of its assessment; fails the test when refused.
  TreatmentPlan MustCreate(const TreatmentPlan& plan) {
    TreatmentPlan created;
    const std::string parent = plan.assessment().substr(0, plan.assessment().find("/assessments"));
    EXPECT_THAT(Create(parent, plan, &created), IsOk());
    return created;
  }

  grpc::Status Get(const std::string& name, TreatmentPlan* out, Role role = Role::kTherapist) {
    v1::GetPlanRequest request;
    request.set_name(name);
    grpc::ClientContext context;
    clinic_->Prepare(context, role);
    return stub_->GetPlan(&context, request, out);
  }

  TreatmentPlan MustGet(const std::string& name) {
    TreatmentPlan plan;
    EXPECT_THAT(Get(name, &plan), IsOk());
    return plan;
  }

  grpc::Status Update(const TreatmentPlan& patch, const std::vector<std::string>& paths,
                      TreatmentPlan* out, Role role = Role::kTherapist) {
    v1::UpdatePlanRequest request;
    *request.mutable_plan() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    grpc::ClientContext context;
    clinic_->Prepare(context, role);
    return stub_->UpdatePlan(&context, request, out);
  }

  grpc::Status Activate(const std::string& name, TreatmentPlan* out, const std::string& etag = "",
                        Role role = Role::kTherapist) {
    v1::ActivatePlanRequest request;
    request.set_name(name);
    request.set_etag(etag);
    grpc::ClientContext context;
    clinic_->Prepare(context, role);
    return stub_->ActivatePlan(&context, request, out);
  }

  TreatmentPlan MustActivate(const std::string& name) {
    TreatmentPlan plan;
    EXPECT_THAT(Activate(name, &plan), IsOk());
    return plan;
  }

  grpc::Status Complete(const std::string& name, const std::string& reason, TreatmentPlan* out,
                        const std::string& etag = "", Role role = Role::kTherapist) {
    v1::CompletePlanRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_etag(etag);
    grpc::ClientContext context;
    clinic_->Prepare(context, role);
    return stub_->CompletePlan(&context, request, out);
  }

  grpc::Status Discontinue(const std::string& name, const std::string& reason, TreatmentPlan* out,
                           const std::string& etag = "", Role role = Role::kTherapist) {
    v1::DiscontinuePlanRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_etag(etag);
    grpc::ClientContext context;
    clinic_->Prepare(context, role);
    return stub_->DiscontinuePlan(&context, request, out);
  }

  grpc::Status List(const v1::ListPlansRequest& request, v1::ListPlansResponse* out,
                    Role role = Role::kTherapist) {
    grpc::ClientContext context;
    clinic_->Prepare(context, role);
    return stub_->ListPlans(&context, request, out);
  }

  // The names of `client`'s plans in `state` (all states when UNSPECIFIED), newest first.
  std::vector<std::string> PlanNames(
      const std::string& client, TreatmentPlan::State state = TreatmentPlan::STATE_UNSPECIFIED) {
    v1::ListPlansRequest request;
    request.set_parent(client);
    request.set_state(state);
    v1::ListPlansResponse response;
    EXPECT_THAT(List(request, &response), IsOk());
    std::vector<std::string> names;
    for (const TreatmentPlan& plan : response.plans()) names.push_back(plan.name());
    return names;
  }

  // The client's plans and the plans.db audit trail hold no plan and no write.
  void ExpectNothingWritten(const std::string& client) {
    EXPECT_THAT(PlanNames(client), IsEmpty());
    EXPECT_THAT(clinic_->AuditRows("CreatePlan"), IsEmpty());
  }

  test::ClientWithAssessment Client(const std::string& given, const std::string& family,
                                    const std::vector<intake::v1::ConditionFlag>& conditions = {}) {
    return test::NewScreenedClient(*clinic_, given, family, conditions);
  }

  // A gardener with no conditions, whose plans are written freely.
  test::ClientWithAssessment Gardener() { return Client("Greta", "Gardner"); }

  // The office worker: takes blood thinners.
  test::ClientWithAssessment OfficeWorker() {
    return Client("Otto", "Office", {Flag(CONDITION_ANTICOAGULANT_USE)});
  }

  // A DRAFT plan with only its assessment: nothing to activate.
  static TreatmentPlan BarePlan(const std::string& assessment) {
    TreatmentPlan plan;
    plan.set_assessment(assessment);
    return plan;
  }

  // A plan with one technique breaking nothing, for tests about something else.
  static TreatmentPlan PlanWith(const std::string& assessment,
                                std::vector<PlannedTechnique> techniques,
                                int session_minutes = 60) {
    TreatmentPlan plan = BarePlan(assessment);
    *plan.add_goals() = PainGoal("Climb stairs with pain at most 3", 3);
    for (const PlannedTechnique& technique : techniques) *plan.add_techniques() = technique;
    *plan.mutable_cadence() = Every(7, 6, session_minutes);
    return plan;
  }

  std::unique_ptr<PlansClinic> clinic_;
  std::unique_ptr<v1::TreatmentPlanService::Stub> stub_;
};

// ---------------------------------------------------------------------------------------------
// CreatePlan and the assessment it is written from.

TEST_F(PlanServiceTest, CreateMakesADraftByTheCallingTherapistWithTheAssessmentsScreening) {
  const test::ClientWithAssessment otto = OfficeWorker();
  ASSERT_EQ(otto.assessment.screening().disposition(), DISPOSITION_TREAT_WITH_PRECAUTIONS);
  ASSERT_THAT(otto.assessment.screening().restrictions(), SizeIs(2));

  TreatmentPlan plan = test::OfficeWorkerGentlePlan(otto.assessment.name());
  // What a caller sends in output-only fields is ignored.
  plan.set_state(TreatmentPlan::STATE_ACTIVE);
  plan.set_therapist("therapists/mallory");
  plan.mutable_screening()->set_disposition(DISPOSITION_CLEAR);
  plan.set_end_reason("made up");
  TreatmentPlan created;
  ASSERT_THAT(Create(otto.client, plan, &created), IsOk());

  EXPECT_THAT(created.name(), MatchesRegex(otto.client + "/plans/[a-z2-7]{24}"));
  EXPECT_EQ(created.assessment(), otto.assessment.name());
  EXPECT_EQ(created.state(), TreatmentPlan::STATE_DRAFT);
  EXPECT_EQ(created.therapist(), "therapists/ana");
  EXPECT_EQ(created.screening().SerializeAsString(),
            otto.assessment.screening().SerializeAsString());
  EXPECT_EQ(created.end_reason(), "");
  EXPECT_FALSE(created.etag().empty());
  EXPECT_GT(created.create_time().seconds(), 0);
  EXPECT_THAT(created.techniques(), SizeIs(2));
  EXPECT_EQ(created.cadence().interval_days(), 14);

  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), created.SerializeAsString());
  EXPECT_THAT(PlanNames(otto.client), ElementsAre(created.name()));
}

TEST_F(PlanServiceTest, ARetryWithTheSameRequestIdReturnsTheFirstPlan) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan plan = test::GardenerPlan(greta.assessment.name());
  const std::string request_id = "6c0b2f1e-3a5d-4e7f-8b9c-0d1e2f3a4b5c";
  TreatmentPlan first, retry;
  ASSERT_THAT(Create(greta.client, plan, &first, Role::kTherapist, request_id), IsOk());
  ASSERT_THAT(Create(greta.client, plan, &retry, Role::kTherapist, request_id), IsOk());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(PlanNames(greta.client), ElementsAre(first.name()));
  EXPECT_THAT(clinic_->AuditRows("CreatePlan"), ElementsAre(first.name() + " 0"));

  // The same id with a different plan is a mistake, not a retry.
  TreatmentPlan other = plan;
  other.mutable_cadence()->set_planned_sessions(9);
  TreatmentPlan ignored;
  EXPECT_THAT(Create(greta.client, other, &ignored, Role::kTherapist, request_id),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_THAT(PlanNames(greta.client), ElementsAre(first.name()));
  EXPECT_THAT(clinic_->AuditRows("CreatePlan"), ElementsAre(first.name() + " 0"));
}

TEST_F(PlanServiceTest, AnAbsentAssessmentIsNotFoundNamingItAndNothingIsWritten) {
  const test::ClientWithAssessment greta = Gardener();
  const std::string absent = absl::StrCat(greta.client, "/assessments/", kAbsentId);
  TreatmentPlan created;
  const grpc::Status status = Create(greta.client, test::GardenerPlan(absent), &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr(absent)));
  EXPECT_EQ(test::ErrorReason(status), "RESOURCE_NOT_FOUND");
  ExpectNothingWritten(greta.client);
}

TEST_F(PlanServiceTest, AnotherClientsAssessmentIsRefusedAndNothingIsWritten) {
  const test::ClientWithAssessment greta = Gardener();
  const test::ClientWithAssessment otto = OfficeWorker();
  TreatmentPlan created;
  const grpc::Status status =
      Create(greta.client, test::GardenerPlan(otto.assessment.name()), &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               AllOf(HasSubstr(otto.assessment.name()),
                                     HasSubstr("belongs to another client"))));
  EXPECT_EQ(test::ErrorReason(status), "ASSESSMENT_OF_ANOTHER_CLIENT");
  ExpectNothingWritten(greta.client);
  EXPECT_THAT(PlanNames(otto.client), IsEmpty());
}

TEST_F(PlanServiceTest, ADraftAssessmentIsRefusedAndNothingIsWritten) {
  test::IntakeRecords intake(*clinic_);
  const std::string client = intake.NewClient("Dora", "Draft");
  const intake::v1::Assessment draft = intake.NewAssessment(client, {}, /*submit=*/false);
  ASSERT_EQ(draft.state(), intake::v1::Assessment::STATE_DRAFT);

  TreatmentPlan created;
  const grpc::Status status = Create(client, test::GardenerPlan(draft.name()), &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               AllOf(HasSubstr(draft.name()), HasSubstr("still a draft"))));
  EXPECT_EQ(test::ErrorReason(status), "ASSESSMENT_NOT_SUBMITTED");
  ExpectNothingWritten(client);
}

TEST_F(PlanServiceTest, AReferredOutAssessmentIsRefusedNamingTheConditionsInWords) {
  const test::ClientWithAssessment dan = Client(
      "Dan", "Thrombo", {Flag(CONDITION_DVT_HISTORY), Flag(CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS)});
  ASSERT_EQ(dan.assessment.screening().disposition(), DISPOSITION_REFER_OUT);

  TreatmentPlan created;
  const grpc::Status status =
      Create(dan.client, test::OfficeWorkerGentlePlan(dan.assessment.name()), &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               AllOf(HasSubstr("REFER_OUT"),
                                     HasSubstr("history of deep vein thrombosis (DVT)"),
                                     HasSubstr("night pain or unexplained weight loss"),
                                     HasSubstr("refer the client to a physician"))));
  EXPECT_EQ(test::ErrorReason(status), "ASSESSMENT_REFERRED_OUT");
  ExpectNothingWritten(dan.client);
}

TEST_F(PlanServiceTest, AfterAMedicalClearanceDvtStillForbidsDeepTissueOnTheLegs) {
  test::IntakeRecords intake(*clinic_);
  const std::string client = intake.NewClient("Dan", "Cleared");
  const intake::v1::Assessment cleared =
      intake.NewAssessment(client, {Flag(CONDITION_DVT_HISTORY)}, true, /*medical_clearance=*/true);
  ASSERT_EQ(cleared.screening().disposition(), DISPOSITION_TREAT_WITH_PRECAUTIONS);

  TreatmentPlan created;
  const grpc::Status status = Create(
      client,
      PlanWith(cleared.name(), {Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_CALF, SIDE_LEFT)},
                                        PRESSURE_MODERATE, 20)}),
      &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(test::PreconditionViolations(status),
              ElementsAre(Breach("techniques[0]", {"DVT_HISTORY", "deep vein thrombosis"})));
  EXPECT_THAT(Create(client,
                     PlanWith(cleared.name(), {Planned(TECHNIQUE_MYOFASCIAL_RELEASE,
                                                       {Where(BODY_REGION_CALF, SIDE_LEFT)},
                                                       PRESSURE_MODERATE, 20)}),
                     &created),
              IsOk());
}

TEST_F(PlanServiceTest, AfterAMedicalClearanceRecentTraumaStillForbidsDeepTissueOnTheLegs) {
  test::IntakeRecords intake(*clinic_);
  const std::string client = intake.NewClient("Tom", "Tumble");
  const intake::v1::Assessment cleared = intake.NewAssessment(
      client,
      {Flag(CONDITION_RECENT_TRAUMA_OR_FRACTURE, {Where(BODY_REGION_LOWER_BACK, SIDE_LEFT)})}, true,
      /*medical_clearance=*/true);
  ASSERT_EQ(cleared.screening().disposition(), DISPOSITION_TREAT_WITH_PRECAUTIONS);

  // Every lower-limb region, on either side whichever side the flag names, and the injured
  // region itself, stays off limits for deep tissue.
  const std::pair<BodyRegion, Side> off_limits[] = {
      {BODY_REGION_CALF, SIDE_LEFT},       {BODY_REGION_CALF, SIDE_RIGHT},
      {BODY_REGION_QUADRICEPS, SIDE_LEFT}, {BODY_REGION_QUADRICEPS, SIDE_RIGHT},
      {BODY_REGION_FOOT_ANKLE, SIDE_LEFT}, {BODY_REGION_FOOT_ANKLE, SIDE_RIGHT},
      {BODY_REGION_LOWER_BACK, SIDE_LEFT}};
  for (const auto& [region, side] : off_limits) {
    SCOPED_TRACE(absl::StrCat(BodyRegion_Name(region), " ", Side_Name(side)));
    TreatmentPlan created;
    const grpc::Status status = Create(
        client,
        PlanWith(cleared.name(),
                 {Planned(TECHNIQUE_DEEP_TISSUE, {Where(region, side)}, PRESSURE_MODERATE, 20)}),
        &created);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(test::PreconditionViolations(status),
                ElementsAre(Breach("techniques[0]", {"RECENT_TRAUMA_OR_FRACTURE", "trauma"})));
  }
  ExpectNothingWritten(client);

  // Deep tissue elsewhere, and gentler work on the legs, are fine.
  TreatmentPlan created;
  EXPECT_THAT(
      Create(client,
             PlanWith(cleared.name(),
                      {Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_GLUTES, SIDE_BILATERAL)},
                               PRESSURE_MODERATE, 20),
                       Planned(TECHNIQUE_MYOFASCIAL_RELEASE,
                               {Where(BODY_REGION_CALF, SIDE_BILATERAL)}, PRESSURE_MODERATE, 20)}),
             &created),
      IsOk());
}

// ---------------------------------------------------------------------------------------------
// Techniques against the screening's restrictions.

// Acute inflammation, an open wound and recent surgery forbid any technique on the flagged
// regions (the side included), when a plan is written and when it is changed.
TEST_F(PlanServiceTest, NoTechniqueGoesOnARegionFlaggedForInflammationAWoundOrSurgery) {
  for (const Condition condition :
       {CONDITION_ACUTE_INFLAMMATION, CONDITION_OPEN_WOUND_OR_SKIN_CONDITION,
        CONDITION_RECENT_SURGERY}) {
    const std::string code = Condition_Name(condition).substr(std::string("CONDITION_").size());
    SCOPED_TRACE(code);
    intake::v1::ConditionFlag flag = Flag(condition, {Where(BODY_REGION_CALF, SIDE_LEFT)});
    // Recent surgery counts only when dated; ten days ago is recent.
    *flag.mutable_since() = test::DateOf(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 10);
    const test::ClientWithAssessment flo = Client("Flo", "Flagged", {flag});
    for (const PlannedTechnique& on_the_calf :
         {Planned(TECHNIQUE_MYOFASCIAL_RELEASE, {Where(BODY_REGION_CALF, SIDE_LEFT)},
                  PRESSURE_LIGHT, 15),
          Planned(TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_CALF, SIDE_BILATERAL)},
                  PRESSURE_LIGHT, 15)}) {
      TreatmentPlan created;
      const grpc::Status status =
          Create(flo.client, PlanWith(flo.assessment.name(), {on_the_calf}), &created);
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
      EXPECT_EQ(test::ErrorReason(status), "RESTRICTION_BREACHED");
      EXPECT_THAT(test::PreconditionViolations(status),
                  ElementsAre(Breach("techniques[0]", {code})));
    }
    EXPECT_THAT(PlanNames(flo.client), IsEmpty());

    // The other calf is fine; moving the work onto the flagged one is refused and changes nothing.
    const TreatmentPlan plan =
        MustCreate(PlanWith(flo.assessment.name(),
                            {Planned(TECHNIQUE_MYOFASCIAL_RELEASE,
                                     {Where(BODY_REGION_CALF, SIDE_RIGHT)}, PRESSURE_LIGHT, 15)}));
    TreatmentPlan patch;
    patch.set_name(plan.name());
    *patch.add_techniques() = Planned(TECHNIQUE_MYOFASCIAL_RELEASE,
                                      {Where(BODY_REGION_CALF, SIDE_LEFT)}, PRESSURE_LIGHT, 15);
    TreatmentPlan updated;
    const grpc::Status update = Update(patch, {"techniques"}, &updated);
    EXPECT_THAT(update, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(test::PreconditionViolations(update), ElementsAre(Breach("techniques[0]", {code})));
    EXPECT_EQ(MustGet(plan.name()).SerializeAsString(), plan.SerializeAsString());
  }
}

TEST_F(PlanServiceTest, EachBreachIsOneViolationNamingTheTechniqueTheConditionAndTheRule) {
  const test::ClientWithAssessment otto = OfficeWorker();
  const TreatmentPlan plan =
      PlanWith(otto.assessment.name(),
               {Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT)},
                        PRESSURE_MODERATE, 15),
                Planned(TECHNIQUE_MYOFASCIAL_RELEASE, {Where(BODY_REGION_CALF, SIDE_RIGHT)},
                        PRESSURE_LIGHT, 15),
                Planned(TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_QUADRICEPS, SIDE_BILATERAL)},
                        PRESSURE_FIRM, 15)});
  TreatmentPlan created;
  const grpc::Status status = Create(otto.client, plan, &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("breaks the client's screening restrictions")));
  EXPECT_EQ(test::ErrorReason(status), "RESTRICTION_BREACHED");
  EXPECT_THAT(
      test::PreconditionViolations(status),
      ElementsAre(Breach("techniques[0]",
                         {"deep tissue on hamstrings (right) at moderate pressure",
                          "No deep tissue anywhere: client takes blood thinners (bruising risk)",
                          "ANTICOAGULANT_USE"}),
                  Breach("techniques[2]",
                         {"trigger point on quadriceps (bilateral) at firm pressure",
                          "Pressure at most moderate: client takes blood thinners (bruising risk)",
                          "ANTICOAGULANT_USE"})));
  ExpectNothingWritten(otto.client);
}

TEST_F(PlanServiceTest, EachBreachIsARestrictionBreachDetailNamingTheWorkAndTheRestriction) {
  const test::ClientWithAssessment vera =
      Client("Vera", "Veins",
             {Flag(CONDITION_ANTICOAGULANT_USE),
              Flag(CONDITION_VARICOSE_VEINS, {Where(BODY_REGION_CALF, SIDE_LEFT)})});
  const PlannedTechnique deep =
      Planned(TECHNIQUE_DEEP_TISSUE,
              {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT), Where(BODY_REGION_CALF, SIDE_BILATERAL)},
              PRESSURE_FIRM, 20);
  TreatmentPlan created;
  const grpc::Status status =
      Create(vera.client,
             PlanWith(vera.assessment.name(),
                      {Planned(TECHNIQUE_MYOFASCIAL_RELEASE, {Where(BODY_REGION_CALF, SIDE_RIGHT)},
                               PRESSURE_LIGHT, 20),
                       deep}),
             &created);
  EXPECT_EQ(test::ErrorReason(status), "RESTRICTION_BREACHED");

  // Deep tissue at firm pressure on the left calf breaks every restriction of the screening (no
  // deep tissue anywhere, pressure at most moderate, no deep tissue over the varicose veins):
  // one detail each, in the screening's order, carrying the work as sent and the restriction
  // exactly as the screening holds it.
  const auto& restrictions = vera.assessment.screening().restrictions();
  ASSERT_EQ(restrictions.size(), 3);
  const std::vector<RestrictionBreach> breaches = test::RestrictionBreaches(status);
  ASSERT_EQ(breaches.size(), 3u);
  std::vector<Condition> conditions;
  for (int i = 0; i < 3; ++i) {
    const RestrictionBreach& breach = breaches[i];
    EXPECT_EQ(breach.field(), "techniques[1]");
    EXPECT_EQ(breach.technique_index(), 1);
    EXPECT_EQ(breach.technique(), TECHNIQUE_DEEP_TISSUE);
    EXPECT_EQ(breach.pressure(), PRESSURE_FIRM);
    ASSERT_EQ(breach.regions_size(), 2);
    EXPECT_EQ(breach.regions(0).SerializeAsString(), deep.regions(0).SerializeAsString());
    EXPECT_EQ(breach.regions(1).SerializeAsString(), deep.regions(1).SerializeAsString());
    EXPECT_EQ(breach.restriction().SerializeAsString(), restrictions[i].SerializeAsString());
    conditions.push_back(breach.restriction().condition());
  }
  EXPECT_THAT(conditions,
              UnorderedElementsAre(CONDITION_ANTICOAGULANT_USE, CONDITION_ANTICOAGULANT_USE,
                                   CONDITION_VARICOSE_VEINS));
  // The generic text says the same, one violation per detail.
  EXPECT_THAT(
      test::PreconditionViolations(status),
      ElementsAre(Subject("techniques[1]"), Subject("techniques[1]"), Subject("techniques[1]")));
  ExpectNothingWritten(vera.client);
}

TEST_F(PlanServiceTest, ATechniqueBreakingTwoRulesGivesOneViolationPerRule) {
  const test::ClientWithAssessment otto = OfficeWorker();
  TreatmentPlan created;
  const grpc::Status status =
      Create(otto.client,
             PlanWith(otto.assessment.name(),
                      {Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT)},
                               PRESSURE_DEEP, 30)}),
             &created);
  EXPECT_THAT(
      test::PreconditionViolations(status),
      ElementsAre(Breach("techniques[0]", {"No deep tissue anywhere", "ANTICOAGULANT_USE"}),
                  Breach("techniques[0]", {"Pressure at most moderate", "ANTICOAGULANT_USE"})));
}

TEST_F(PlanServiceTest, ABilateralRestrictionCoversTheLeftAndTheRightSide) {
  const test::ClientWithAssessment vera = Client(
      "Vera", "Veins", {Flag(CONDITION_VARICOSE_VEINS, {Where(BODY_REGION_CALF, SIDE_BILATERAL)})});
  for (const Side side : {SIDE_LEFT, SIDE_RIGHT, SIDE_BILATERAL}) {
    SCOPED_TRACE(Side_Name(side));
    TreatmentPlan created;
    const grpc::Status status = Create(
        vera.client,
        PlanWith(
            vera.assessment.name(),
            {Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_CALF, side)}, PRESSURE_FIRM, 20)}),
        &created);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(test::PreconditionViolations(status),
                ElementsAre(Breach("techniques[0]",
                                   {"No deep tissue over the varicose veins", "VARICOSE_VEINS"})));
  }
  ExpectNothingWritten(vera.client);

  // Another body region, or another technique on the calves, is fine.
  TreatmentPlan created;
  EXPECT_THAT(
      Create(vera.client,
             PlanWith(vera.assessment.name(),
                      {Planned(TECHNIQUE_DEEP_TISSUE,
                               {Where(BODY_REGION_HAMSTRINGS, SIDE_BILATERAL)}, PRESSURE_FIRM, 20),
                       Planned(TECHNIQUE_MYOFASCIAL_RELEASE,
                               {Where(BODY_REGION_CALF, SIDE_BILATERAL)}, PRESSURE_FIRM, 20)}),
             &created),
      IsOk());
}

TEST_F(PlanServiceTest, AOneSidedRestrictionCoversBilateralWorkButNotTheOtherSide) {
  const test::ClientWithAssessment vera = Client(
      "Vera", "Leftvein", {Flag(CONDITION_VARICOSE_VEINS, {Where(BODY_REGION_CALF, SIDE_LEFT)})});
  for (const Side side : {SIDE_LEFT, SIDE_BILATERAL}) {
    SCOPED_TRACE(Side_Name(side));
    TreatmentPlan created;
    const grpc::Status status = Create(
        vera.client,
        PlanWith(
            vera.assessment.name(),
            {Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_CALF, side)}, PRESSURE_FIRM, 20)}),
        &created);
    EXPECT_THAT(test::PreconditionViolations(status),
                ElementsAre(Breach("techniques[0]", {"VARICOSE_VEINS"})));
  }
  TreatmentPlan created;
  EXPECT_THAT(Create(vera.client,
                     PlanWith(vera.assessment.name(),
                              {Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_CALF, SIDE_RIGHT)},
                                       PRESSURE_FIRM, 20)}),
                     &created),
              IsOk());
}

TEST_F(PlanServiceTest, APressureCapAllowsUpToTheCapAndRefusesAbove) {
  const test::ClientWithAssessment nina =
      Client("Nina", "Nerve", {Flag(CONDITION_PERIPHERAL_NEUROPATHY)});
  TreatmentPlan created;
  EXPECT_THAT(
      Create(nina.client,
             PlanWith(nina.assessment.name(),
                      {Planned(TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_QUADRICEPS, SIDE_LEFT)},
                               PRESSURE_MODERATE, 20),
                       Planned(TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_HAMSTRINGS, SIDE_LEFT)},
                               PRESSURE_LIGHT, 20)}),
             &created),
      IsOk());
  for (const Pressure pressure : {PRESSURE_FIRM, PRESSURE_DEEP}) {
    SCOPED_TRACE(Pressure_Name(pressure));
    const grpc::Status status =
        Create(nina.client,
               PlanWith(nina.assessment.name(),
                        {Planned(TECHNIQUE_TRIGGER_POINT,
                                 {Where(BODY_REGION_QUADRICEPS, SIDE_LEFT)}, pressure, 20)}),
               &created);
    EXPECT_THAT(
        test::PreconditionViolations(status),
        ElementsAre(Breach("techniques[0]", {"Pressure at most moderate: peripheral neuropathy",
                                             "PERIPHERAL_NEUROPATHY"})));
  }
  EXPECT_THAT(PlanNames(nina.client), SizeIs(1));
}

TEST_F(PlanServiceTest, UpdateRechecksTheRestrictionsAndLeavesThePlanUnchanged) {
  const test::ClientWithAssessment otto = OfficeWorker();
  const TreatmentPlan created = MustCreate(test::OfficeWorkerGentlePlan(otto.assessment.name()));
  const TreatmentPlan active = MustActivate(created.name());

  TreatmentPlan patch;
  patch.set_name(active.name());
  patch.set_etag(active.etag());
  *patch.mutable_techniques() = active.techniques();
  *patch.add_techniques() = Planned(
      TECHNIQUE_DEEP_TISSUE, {Where(BODY_REGION_HAMSTRINGS, SIDE_RIGHT)}, PRESSURE_MODERATE, 10);
  TreatmentPlan updated;
  const grpc::Status status = Update(patch, {"techniques"}, &updated);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(test::ErrorReason(status), "RESTRICTION_BREACHED");
  EXPECT_THAT(
      test::PreconditionViolations(status),
      ElementsAre(Breach("techniques[2]", {"No deep tissue anywhere", "ANTICOAGULANT_USE"})));
  EXPECT_EQ(MustGet(active.name()).SerializeAsString(), active.SerializeAsString());
  EXPECT_THAT(clinic_->AuditRows("UpdatePlan"), IsEmpty());

  // A change within the restrictions goes through.
  patch.mutable_techniques(2)->set_technique(TECHNIQUE_MYOFASCIAL_RELEASE);
  ASSERT_THAT(Update(patch, {"techniques"}, &updated), IsOk());
  EXPECT_THAT(updated.techniques(), SizeIs(3));
  EXPECT_NE(updated.etag(), active.etag());
}

// ---------------------------------------------------------------------------------------------
// Field validation: one violation per bad field, with its exact path.

TEST_F(PlanServiceTest, CadenceOutOfRangeNamesEachField) {
  const test::ClientWithAssessment greta = Gardener();
  for (const auto& [cadence, low] : std::vector<std::pair<Cadence, bool>>{
           {Every(0, 0, 14), true}, {Every(61, 53, 181), false}}) {
    SCOPED_TRACE(cadence.ShortDebugString());
    TreatmentPlan plan = BarePlan(greta.assessment.name());
    *plan.mutable_cadence() = cadence;
    TreatmentPlan created;
    const grpc::Status status = Create(greta.client, plan, &created);
    EXPECT_THAT(
        status,
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AllOf(HasSubstr("plan.cadence.interval_days: must be between 1 and 60"),
                       HasSubstr("plan.cadence.planned_sessions: must be between 1 and 52"),
                       HasSubstr("plan.cadence.session_minutes: must be between 15 and 180"))));
    EXPECT_THAT(test::ViolatedFields(status),
                ElementsAre("plan.cadence.interval_days", "plan.cadence.planned_sessions",
                            "plan.cadence.session_minutes"));
  }
  ExpectNothingWritten(greta.client);

  // The bounds themselves are allowed.
  for (const Cadence& cadence : {Every(1, 1, 15), Every(60, 52, 180)}) {
    TreatmentPlan plan = BarePlan(greta.assessment.name());
    *plan.mutable_cadence() = cadence;
    TreatmentPlan created;
    EXPECT_THAT(Create(greta.client, plan, &created), IsOk()) << cadence.ShortDebugString();
  }
}

TEST_F(PlanServiceTest, TechniqueMinutesMustBeOneTo180) {
  const test::ClientWithAssessment greta = Gardener();
  TreatmentPlan plan = BarePlan(greta.assessment.name());  // No cadence: no total to compare.
  *plan.add_techniques() = Planned(TECHNIQUE_TRIGGER_POINT,
                                   {Where(BODY_REGION_QUADRICEPS, SIDE_LEFT)}, PRESSURE_FIRM, 0);
  *plan.add_techniques() = Planned(TECHNIQUE_TRIGGER_POINT,
                                   {Where(BODY_REGION_QUADRICEPS, SIDE_RIGHT)}, PRESSURE_FIRM, 181);
  *plan.add_techniques() =
      Planned(TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_CALF, SIDE_RIGHT)}, PRESSURE_FIRM, 180);
  TreatmentPlan created;
  const grpc::Status status = Create(greta.client, plan, &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("plan.techniques[0].minutes: must be between 1 and 180")));
  EXPECT_THAT(test::ViolatedFields(status),
              ElementsAre("plan.techniques[0].minutes", "plan.techniques[1].minutes"));
  ExpectNothingWritten(greta.client);
}

TEST_F(PlanServiceTest, TechniqueMinutesMustFitInTheSession) {
  const test::ClientWithAssessment greta = Gardener();
  const PlannedTechnique thirty = Planned(
      TECHNIQUE_TRIGGER_POINT, {Where(BODY_REGION_QUADRICEPS, SIDE_LEFT)}, PRESSURE_FIRM, 30);
  PlannedTechnique forty = thirty;
  forty.set_minutes(40);
  TreatmentPlan created;
  const grpc::Status status =
      Create(greta.client, PlanWith(greta.assessment.name(), {thirty, forty}, 60), &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("plan.techniques: minutes add up to 70, more than "
                                         "cadence.session_minutes (60)")));
  EXPECT_THAT(test::ViolatedFields(status), ElementsAre("plan.techniques"));
  ExpectNothingWritten(greta.client);

  EXPECT_THAT(
      Create(greta.client, PlanWith(greta.assessment.name(), {thirty, thirty}, 60), &created),
      IsOk());
}

TEST_F(PlanServiceTest, GoalsNeedADescriptionAndATargetPainOfZeroToTen) {
  const test::ClientWithAssessment greta = Gardener();
  TreatmentPlan plan = BarePlan(greta.assessment.name());
  *plan.add_goals() = PainGoal("   ", 2);
  *plan.add_goals() = PainGoal("Garden for an hour", 11);
  *plan.add_goals() = PainGoal("Walk the dog", -1);
  *plan.add_goals() = PainGoal("Kneel without pain", 0);
  TreatmentPlan created;
  const grpc::Status status = Create(greta.client, plan, &created);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("plan.goals[1].target_pain")));
  EXPECT_THAT(test::ViolatedFields(status),
              ElementsAre("plan.goals[0].description", "plan.goals[1].target_pain",
                          "plan.goals[2].target_pain"));
  ExpectNothingWritten(greta.client);
}

TEST_F(PlanServiceTest, HomeExercisesNeedANameAndSaneNumbers) {
  const test::ClientWithAssessment greta = Gardener();
  TreatmentPlan plan = BarePlan(greta.assessment.name());
  *plan.add_home_care() = Exercise("", 3, 30, 7);
  *plan.add_home_care() = Exercise("Quadriceps stretch", -1, 30, 7);
  *plan.add_home_care() = Exercise("Hip-flexor stretch", 3, 30, 7);
  TreatmentPlan created;
  const grpc::Status status = Create(greta.client, plan, &created);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(test::ViolatedFields(status),
              ElementsAre("plan.home_care[0].name", "plan.home_care[1].sets"));
  ExpectNothingWritten(greta.client);
}

TEST_F(PlanServiceTest, UpdateValidatesTheFieldsItChanges) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan created = MustCreate(test::GardenerPlan(greta.assessment.name()));
  TreatmentPlan patch;
  patch.set_name(created.name());
  patch.mutable_cadence()->set_interval_days(61);
  TreatmentPlan updated;
  const grpc::Status status = Update(patch, {"cadence.interval_days"}, &updated);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(test::ViolatedFields(status), ElementsAre("plan.cadence.interval_days"));
  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), created.SerializeAsString());

  patch.mutable_cadence()->set_interval_days(10);
  ASSERT_THAT(Update(patch, {"cadence.interval_days"}, &updated), IsOk());
  EXPECT_EQ(updated.cadence().interval_days(), 10);
  EXPECT_EQ(updated.cadence().planned_sessions(), 6);  // Untouched by the mask.
}

TEST_F(PlanServiceTest, UpdateRefusesOutputOnlyPathsAndAnEmptyMaskAndChangesNothing) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan created = MustCreate(test::GardenerPlan(greta.assessment.name()));
  TreatmentPlan patch;
  patch.set_name(created.name());
  patch.mutable_cadence()->set_planned_sessions(9);
  patch.set_state(TreatmentPlan::STATE_ACTIVE);
  patch.set_therapist("therapists/mallory");
  patch.set_end_reason("made up");
  TreatmentPlan updated;
  const grpc::Status output_only =
      Update(patch, {"cadence.planned_sessions", "state", "therapist", "screening", "end_reason"},
             &updated);
  EXPECT_THAT(output_only, StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("update_mask.paths[1]: state is output only")));
  EXPECT_THAT(test::ViolatedFields(output_only),
              ElementsAre("update_mask.paths[1]", "update_mask.paths[2]", "update_mask.paths[3]",
                          "update_mask.paths[4]"));

  const grpc::Status empty = Update(patch, {}, &updated);
  EXPECT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));
  EXPECT_THAT(test::ViolatedFields(empty), ElementsAre("update_mask"));

  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), created.SerializeAsString());
  EXPECT_THAT(clinic_->AuditRows("UpdatePlan"), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// Lifecycle.

TEST_F(PlanServiceTest, ActivationListsEverythingThePlanLacks) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan bare = MustCreate(BarePlan(greta.assessment.name()));
  TreatmentPlan activated;
  const grpc::Status status = Activate(bare.name(), &activated);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               AllOf(HasSubstr("needs at least one goal"),
                                     HasSubstr("needs at least one technique"),
                                     HasSubstr("needs a cadence"))));
  EXPECT_EQ(test::ErrorReason(status), "PLAN_INCOMPLETE");
  EXPECT_THAT(
      test::PreconditionViolations(status),
      ElementsAre(Subject("plan.goals"), Subject("plan.techniques"), Subject("plan.cadence")));

  TreatmentPlan with_goal = BarePlan(greta.assessment.name());
  *with_goal.add_goals() = PainGoal("Kneel in the garden", 2);
  const TreatmentPlan partial = MustCreate(with_goal);
  const grpc::Status lacking = Activate(partial.name(), &activated);
  EXPECT_THAT(test::PreconditionViolations(lacking),
              ElementsAre(Subject("plan.techniques"), Subject("plan.cadence")));

  EXPECT_EQ(MustGet(bare.name()).state(), TreatmentPlan::STATE_DRAFT);
  EXPECT_EQ(MustGet(partial.name()).state(), TreatmentPlan::STATE_DRAFT);
  EXPECT_THAT(clinic_->AuditRows("ActivatePlan"), IsEmpty());
}

TEST_F(PlanServiceTest, AClientHasAtMostOneActivePlan) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan first = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const TreatmentPlan second = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const TreatmentPlan active = MustActivate(first.name());
  EXPECT_EQ(active.state(), TreatmentPlan::STATE_ACTIVE);
  EXPECT_GT(active.activate_time().seconds(), 0);

  TreatmentPlan activated;
  const grpc::Status status = Activate(second.name(), &activated);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(first.name()), HasSubstr("already has an active plan"))));
  EXPECT_EQ(test::ErrorReason(status), "ACTIVE_PLAN_EXISTS");
  EXPECT_THAT(test::PreconditionViolations(status), ElementsAre(Subject(first.name())));
  EXPECT_EQ(MustGet(second.name()).state(), TreatmentPlan::STATE_DRAFT);

  // Another client's plan is not in the way.
  const test::ClientWithAssessment otto = OfficeWorker();
  MustActivate(MustCreate(test::OfficeWorkerGentlePlan(otto.assessment.name())).name());

  // Once the first plan is discontinued, the second can take its place.
  TreatmentPlan ended;
  ASSERT_THAT(Discontinue(first.name(), "switched to a gentler plan", &ended), IsOk());
  EXPECT_EQ(MustActivate(second.name()).state(), TreatmentPlan::STATE_ACTIVE);
}

TEST_F(PlanServiceTest, AnActivePlanCompletes) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan active =
      MustActivate(MustCreate(test::GardenerPlan(greta.assessment.name())).name());
  TreatmentPlan completed;
  ASSERT_THAT(Complete(active.name(), "all goals met", &completed, active.etag()), IsOk());
  EXPECT_EQ(completed.state(), TreatmentPlan::STATE_COMPLETED);
  EXPECT_EQ(completed.end_reason(), "all goals met");
  EXPECT_GT(completed.end_time().seconds(), 0);
  EXPECT_EQ(MustGet(active.name()).SerializeAsString(), completed.SerializeAsString());
}

TEST_F(PlanServiceTest, DiscontinuingADraftOrAnActivePlanNeedsAReason) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan draft = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const TreatmentPlan active =
      MustActivate(MustCreate(test::GardenerPlan(greta.assessment.name())).name());
  for (const TreatmentPlan* plan : {&draft, &active}) {
    SCOPED_TRACE(TreatmentPlan::State_Name(plan->state()));
    TreatmentPlan ended;
    const grpc::Status status = Discontinue(plan->name(), "", &ended);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
    EXPECT_THAT(test::ViolatedFields(status), ElementsAre("reason"));
    EXPECT_EQ(MustGet(plan->name()).state(), plan->state());

    ASSERT_THAT(Discontinue(plan->name(), "client moved away", &ended), IsOk());
    EXPECT_EQ(ended.state(), TreatmentPlan::STATE_DISCONTINUED);
    EXPECT_EQ(ended.end_reason(), "client moved away");
    EXPECT_GT(ended.end_time().seconds(), 0);
  }
}

TEST_F(PlanServiceTest, EndedPlansAreFinal) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan active =
      MustActivate(MustCreate(test::GardenerPlan(greta.assessment.name())).name());
  TreatmentPlan completed;
  ASSERT_THAT(Complete(active.name(), "", &completed), IsOk());
  TreatmentPlan discontinued;
  ASSERT_THAT(Discontinue(MustCreate(test::GardenerPlan(greta.assessment.name())).name(),
                          "client moved away", &discontinued),
              IsOk());

  for (const TreatmentPlan* ended : {&completed, &discontinued}) {
    SCOPED_TRACE(TreatmentPlan::State_Name(ended->state()));
    TreatmentPlan out;
    EXPECT_THAT(Activate(ended->name(), &out), StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(Complete(ended->name(), "", &out), StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(Discontinue(ended->name(), "again", &out),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is already")));
    TreatmentPlan patch;
    patch.set_name(ended->name());
    *patch.add_goals() = PainGoal("A new goal", 1);
    const grpc::Status update = Update(patch, {"goals"}, &out);
    EXPECT_THAT(update,
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("can no longer change")));
    EXPECT_EQ(test::ErrorReason(update), "PLAN_ENDED");
    EXPECT_EQ(MustGet(ended->name()).SerializeAsString(), ended->SerializeAsString());
  }
}

TEST_F(PlanServiceTest, ADraftCannotCompleteAndAnActivePlanCannotActivateAgain) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan draft = MustCreate(test::GardenerPlan(greta.assessment.name()));
  TreatmentPlan out;
  const grpc::Status complete = Complete(draft.name(), "", &out);
  EXPECT_THAT(complete, StatusIs(absl::StatusCode::kFailedPrecondition,
                                 HasSubstr("only an active plan can complete")));
  EXPECT_EQ(test::ErrorReason(complete), "PLAN_NOT_ACTIVE");
  EXPECT_EQ(MustGet(draft.name()).state(), TreatmentPlan::STATE_DRAFT);

  const TreatmentPlan active = MustActivate(draft.name());
  const grpc::Status again = Activate(active.name(), &out);
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition,
                              HasSubstr("only a draft can be activated")));
  EXPECT_EQ(test::ErrorReason(again), "PLAN_NOT_DRAFT");
  EXPECT_EQ(MustGet(active.name()).SerializeAsString(), active.SerializeAsString());
}

TEST_F(PlanServiceTest, AStaleEtagIsAbortedAndChangesNothing) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan original = MustCreate(test::GardenerPlan(greta.assessment.name()));
  TreatmentPlan patch;
  patch.set_name(original.name());
  patch.set_etag(original.etag());
  *patch.add_goals() = PainGoal("Climb the garden steps with pain at most 1", 1);
  TreatmentPlan current;
  ASSERT_THAT(Update(patch, {"goals"}, &current), IsOk());
  ASSERT_NE(current.etag(), original.etag());

  const std::string stale = original.etag();
  TreatmentPlan out;
  EXPECT_THAT(Update(patch, {"goals"}, &out),  // patch still carries the old etag
              StatusIs(absl::StatusCode::kAborted, HasSubstr("changed by someone else")));
  EXPECT_THAT(Activate(current.name(), &out, stale), StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(Discontinue(current.name(), "client moved away", &out, stale),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(MustGet(current.name()).SerializeAsString(), current.SerializeAsString());

  TreatmentPlan active;
  ASSERT_THAT(Activate(current.name(), &active, current.etag()), IsOk());
  const grpc::Status complete = Complete(active.name(), "", &out, current.etag());
  EXPECT_THAT(complete, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(test::ErrorReason(complete), "ETAG_MISMATCH");
  EXPECT_EQ(MustGet(active.name()).state(), TreatmentPlan::STATE_ACTIVE);
}

TEST_F(PlanServiceTest, ListFiltersByStateAndPagesNewestFirst) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan first = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const TreatmentPlan second = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const TreatmentPlan third = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const test::ClientWithAssessment otto = OfficeWorker();
  MustCreate(test::OfficeWorkerGentlePlan(otto.assessment.name()));
  MustActivate(first.name());
  TreatmentPlan ended;
  ASSERT_THAT(Discontinue(second.name(), "replaced", &ended), IsOk());

  EXPECT_THAT(PlanNames(greta.client), ElementsAre(third.name(), second.name(), first.name()));
  EXPECT_THAT(PlanNames(greta.client, TreatmentPlan::STATE_DRAFT), ElementsAre(third.name()));
  EXPECT_THAT(PlanNames(greta.client, TreatmentPlan::STATE_ACTIVE), ElementsAre(first.name()));
  EXPECT_THAT(PlanNames(greta.client, TreatmentPlan::STATE_DISCONTINUED),
              ElementsAre(second.name()));
  EXPECT_THAT(PlanNames(greta.client, TreatmentPlan::STATE_COMPLETED), IsEmpty());

  v1::ListPlansRequest request;
  request.set_parent(greta.client);
  request.set_page_size(2);
  v1::ListPlansResponse page;
  ASSERT_THAT(List(request, &page), IsOk());
  ASSERT_THAT(page.plans(), SizeIs(2));
  EXPECT_EQ(page.plans(0).name(), third.name());
  EXPECT_EQ(page.plans(1).name(), second.name());
  ASSERT_FALSE(page.next_page_token().empty());

  v1::ListPlansRequest next = request;
  next.set_page_token(page.next_page_token());
  v1::ListPlansResponse last;
  ASSERT_THAT(List(next, &last), IsOk());
  ASSERT_THAT(last.plans(), SizeIs(1));
  EXPECT_EQ(last.plans(0).name(), first.name());
  EXPECT_TRUE(last.next_page_token().empty());

  // The token belongs to its query.
  v1::ListPlansRequest other_state = next;
  other_state.set_state(TreatmentPlan::STATE_DRAFT);
  v1::ListPlansResponse refused;
  EXPECT_THAT(List(other_state, &refused), StatusIs(absl::StatusCode::kInvalidArgument));
  v1::ListPlansRequest other_client = next;
  other_client.set_parent(otto.client);
  EXPECT_THAT(List(other_client, &refused), StatusIs(absl::StatusCode::kInvalidArgument));
  v1::ListPlansRequest negative = request;
  negative.set_page_size(-1);
  const grpc::Status status = List(negative, &refused);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(test::ViolatedFields(status), ElementsAre("page_size"));
}

TEST_F(PlanServiceTest, EveryChangeIsAuditedWithThePlanItChanged) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan kept = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const TreatmentPlan dropped = MustCreate(test::GardenerPlan(greta.assessment.name()));
  TreatmentPlan patch;
  patch.set_name(kept.name());
  patch.mutable_cadence()->set_planned_sessions(8);
  TreatmentPlan out;
  ASSERT_THAT(Update(patch, {"cadence.planned_sessions"}, &out), IsOk());
  MustActivate(kept.name());
  ASSERT_THAT(Complete(kept.name(), "all goals met", &out), IsOk());
  ASSERT_THAT(Discontinue(dropped.name(), "client moved away", &out), IsOk());
  MustGet(kept.name());
  // Refused changes write no audit row of their own kind.
  EXPECT_THAT(Activate(dropped.name(), &out), StatusIs(absl::StatusCode::kFailedPrecondition));

  const std::string ok = " 0";
  EXPECT_THAT(clinic_->AuditRows("CreatePlan"), ElementsAre(kept.name() + ok, dropped.name() + ok));
  EXPECT_THAT(clinic_->AuditRows("UpdatePlan"), ElementsAre(kept.name() + ok));
  EXPECT_THAT(clinic_->AuditRows("ActivatePlan"), ElementsAre(kept.name() + ok));
  EXPECT_THAT(clinic_->AuditRows("CompletePlan"), ElementsAre(kept.name() + ok));
  EXPECT_THAT(clinic_->AuditRows("DiscontinuePlan"), ElementsAre(dropped.name() + ok));
  EXPECT_THAT(clinic_->AuditRows("GetPlan"), ElementsAre(kept.name() + ok));
}

// ---------------------------------------------------------------------------------------------
// Access: every method × every role.

struct MethodCall {
  std::string method;
  // Calls the method as `role` on plan `plan` (or its assessment, for CreatePlan).
  std::function<grpc::Status(Role role, const std::string& client, const std::string& assessment,
                             const std::string& plan)>
      call;
};

TEST_F(PlanServiceTest, EveryMethodForEveryRoleIsDeniedBeforeTheResourceIsLookedUp) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan existing = MustCreate(test::GardenerPlan(greta.assessment.name()));
  const std::string absent_plan = absl::StrCat(greta.client, "/plans/", kAbsentId);
  const std::string absent_assessment = absl::StrCat(greta.client, "/assessments/", kAbsentId);

  const std::vector<MethodCall> methods = {
      {"CreatePlan",
       [&](Role role, const std::string& client, const std::string& assessment,
           const std::string&) {
         TreatmentPlan out;
         return Create(client, test::GardenerPlan(assessment), &out, role);
       }},
      {"GetPlan",
       [&](Role role, const std::string&, const std::string&, const std::string& plan) {
         TreatmentPlan out;
         return Get(plan, &out, role);
       }},
      {"UpdatePlan",
       [&](Role role, const std::string&, const std::string&, const std::string& plan) {
         TreatmentPlan patch, out;
         patch.set_name(plan);
         patch.mutable_cadence()->set_planned_sessions(9);
         return Update(patch, {"cadence.planned_sessions"}, &out, role);
       }},
      {"ActivatePlan",
       [&](Role role, const std::string&, const std::string&, const std::string& plan) {
         TreatmentPlan out;
         return Activate(plan, &out, "", role);
       }},
      {"CompletePlan",
       [&](Role role, const std::string&, const std::string&, const std::string& plan) {
         TreatmentPlan out;
         return Complete(plan, "", &out, "", role);
       }},
      {"DiscontinuePlan",
       [&](Role role, const std::string&, const std::string&, const std::string& plan) {
         TreatmentPlan out;
         return Discontinue(plan, "client moved away", &out, "", role);
       }},
      {"ListPlans",
       [&](Role role, const std::string& client, const std::string&, const std::string&) {
         v1::ListPlansRequest request;
         request.set_parent(client);
         v1::ListPlansResponse out;
         return List(request, &out, role);
       }},
  };
  auto allowed = [](const std::string& method, Role role) {
    return role == Role::kTherapist || (role == Role::kService && method == "GetPlan");
  };

  for (const MethodCall& method : methods) {
    for (const Role role : test::kAllRoles) {
      SCOPED_TRACE(absl::StrCat(method.method, " as ", RoleName(role)));
      const grpc::Status on_absent =
          method.call(role, greta.client, absent_assessment, absent_plan);
      if (allowed(method.method, role)) {
        // Allowed: the call gets as far as the (absent) resource.
        if (method.method == "ListPlans") {
          EXPECT_THAT(on_absent, IsOk());
        } else {
          EXPECT_THAT(on_absent, StatusIs(absl::StatusCode::kNotFound));
        }
        continue;
      }
      EXPECT_THAT(on_absent, StatusIs(absl::StatusCode::kPermissionDenied));
      // A denied caller cannot tell an existing plan from an absent one.
      const grpc::Status on_existing =
          method.call(role, greta.client, greta.assessment.name(), existing.name());
      EXPECT_THAT(on_existing,
                  StatusIs(absl::StatusCode::kPermissionDenied, on_absent.error_message()));
    }
  }

  // The SERVICE role reads the plan the therapist wrote.
  TreatmentPlan read;
  ASSERT_THAT(Get(existing.name(), &read, Role::kService), IsOk());
  EXPECT_EQ(read.SerializeAsString(), existing.SerializeAsString());
  // No denied call changed or added anything.
  EXPECT_EQ(MustGet(existing.name()).SerializeAsString(), existing.SerializeAsString());
  EXPECT_THAT(PlanNames(greta.client), ElementsAre(existing.name()));
  // Every denial is audited (code 7, PERMISSION_DENIED, no resource): three roles, twice each.
  EXPECT_THAT(clinic_->AuditRows("CreatePlan"),
              ElementsAre(existing.name() + " 0", " 7", " 7", " 7", " 7", " 7", " 7"));
  EXPECT_THAT(clinic_->AuditRows("ActivatePlan"), ElementsAre(" 7", " 7", " 7", " 7", " 7", " 7"));
  EXPECT_THAT(clinic_->AuditRows("GetPlan"), Contains(" 7").Times(4));
}

// Every plan method × every role, plus callers without a valid token, on an in-process clinic.
// Allowed roles get past authorization (to NOT_FOUND, or an empty list: the requests name nothing
// that exists); the others get PERMISSION_DENIED, and every refusal leaves its audit row.
TEST(PlanAccessTest, EveryMethodAndRoleFollowsTheAccessTable) {
  test::ClinicServer server("intake,plans");
  const auto stub = v1::TreatmentPlanService::NewStub(server.channel());
  const std::string client = "clients/aaaaaaaaaaaaaaaaaaaaaaaa";
  const std::string plan = absl::StrCat(client, "/plans/", kAbsentId);
  TreatmentPlan out;
  v1::ListPlansResponse list_out;
  const std::set<Role> therapist = {Role::kTherapist};
  const std::vector<test::AccessRow> rows = {
      {"CreatePlan", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::CreatePlanRequest r;
         r.set_parent(client);
         *r.mutable_plan() = test::GardenerPlan(absl::StrCat(client, "/assessments/", kAbsentId));
         return stub->CreatePlan(c, r, &out);
       }},
      {"GetPlan",
       {Role::kTherapist, Role::kService},
       absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::GetPlanRequest r;
         r.set_name(plan);
         return stub->GetPlan(c, r, &out);
       }},
      {"UpdatePlan", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::UpdatePlanRequest r;
         r.mutable_plan()->set_name(plan);
         r.mutable_plan()->mutable_cadence()->set_planned_sessions(9);
         r.mutable_update_mask()->add_paths("cadence.planned_sessions");
         return stub->UpdatePlan(c, r, &out);
       }},
      {"ActivatePlan", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::ActivatePlanRequest r;
         r.set_name(plan);
         return stub->ActivatePlan(c, r, &out);
       }},
      {"CompletePlan", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::CompletePlanRequest r;
         r.set_name(plan);
         return stub->CompletePlan(c, r, &out);
       }},
      {"DiscontinuePlan", therapist, absl::StatusCode::kNotFound,
       [&](grpc::ClientContext* c) {
         v1::DiscontinuePlanRequest r;
         r.set_name(plan);
         r.set_reason("client moved away");
         return stub->DiscontinuePlan(c, r, &out);
       }},
      {"ListPlans", therapist, absl::StatusCode::kOk,
       [&](grpc::ClientContext* c) {
         v1::ListPlansRequest r;
         r.set_parent(client);
         return stub->ListPlans(c, r, &list_out);
       }},
  };
  EXPECT_EQ(test::WalkAccessTable(server, "plans", "/velknee.plans.v1.TreatmentPlanService/", rows),
            20);
  EXPECT_EQ(test::CountRows(server.database("plans"), "plans"), 0);
}

TEST_F(PlanServiceTest, ACallWithoutATokenIsUnauthenticated) {
  const test::ClientWithAssessment greta = Gardener();
  const TreatmentPlan existing = MustCreate(test::GardenerPlan(greta.assessment.name()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetPlanRequest request;
  request.set_name(existing.name());
  TreatmentPlan out;
  EXPECT_THAT(stub_->GetPlan(&context, request, &out),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(out.name(), "");
}

}  // namespace
}  // namespace velknee::plans
