// IntakeService assessment methods, through real stubs on an in-process server.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/audit/audit_log.h"
#include "common/client/channel.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "tests/harness/audit_rows.h"
#include "tests/harness/clinic_records.h"
#include "tests/harness/clinic_server.h"
#include "tests/harness/role_matrix.h"
#include "tests/support/proto_builders.h"
#include "tests/support/status_details.h"
#include "tests/support/status_matchers.h"
#include "velknee/intake/v1/intake_service.grpc.pb.h"

namespace velknee::intake {
namespace {

using test::ClinicServer;
using test::DateOf;
using test::ErrorReason;
using test::IsOk;
using test::PreconditionSubjects;
using test::StatusIs;
using test::TodayUtc;
using test::ViolatedFields;
using test::Where;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::UnorderedElementsAre;

using common::v1::BodyRegion;
using common::v1::Condition;
using common::v1::MuscleFinding;
using common::v1::Region;
using common::v1::Side;

constexpr absl::string_view kAbsentClient = "clients/aaaaaaaaaaaaaaaaaaaaaaaa";
constexpr absl::string_view kAbsentAssessment =
    "clients/aaaaaaaaaaaaaaaaaaaaaaaa/assessments/bbbbbbbbbbbbbbbbbbbbbbbb";

MuscleFinding Finding(BodyRegion body_region, MuscleFinding::Kind kind, int severity) {
  MuscleFinding finding;
  *finding.mutable_region() = Where(body_region, common::v1::SIDE_BILATERAL);
  finding.set_kind(kind);
  finding.set_severity(severity);
  return finding;
}

v1::ConditionFlag* AddCondition(v1::Assessment& assessment, Condition condition) {
  v1::ConditionFlag* flag = assessment.add_conditions();
  flag->set_condition(condition);
  return flag;
}

// The gardener of the clinic's story: bilateral anterior knee pain from kneeling, no
// conditions. Complete: it can be submitted as is.
v1::Assessment Gardener() {
  v1::Assessment assessment;
  assessment.set_chief_complaint("Pain at the front of both knees after kneeling in the garden");
  v1::Pain& pain = *assessment.mutable_pain();
  *pain.add_regions() = Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_BILATERAL);
  pain.set_current(6);
  pain.set_worst(8);
  pain.set_best(2);
  *pain.mutable_onset_date() = DateOf(2024, 5, 1);
  pain.set_onset(v1::Pain::ONSET_GRADUAL);
  pain.add_aggravating_activities("kneeling");
  pain.add_aggravating_activities("stairs");
  pain.add_easing_factors("rest");
  assessment.add_prior_care(v1::PRIOR_CARE_REST);
  assessment.add_prior_care(v1::PRIOR_CARE_ICE);
  assessment.add_prior_care(v1::PRIOR_CARE_OTC_MEDICATION);
  assessment.add_medications("ibuprofen 400 mg as needed");
  assessment.set_health_screen_completed(true);
  MuscleFinding quads =
      Finding(common::v1::BODY_REGION_QUADRICEPS, MuscleFinding::KIND_TRIGGER_POINT, 2);
  *quads.mutable_refers_to() =
      Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_BILATERAL);
  *assessment.add_findings() = quads;
  *assessment.add_findings() =
      Finding(common::v1::BODY_REGION_HIP_FLEXORS, MuscleFinding::KIND_TIGHTNESS, 2);
  assessment.add_goals("Kneel in the garden for an hour without pain");
  assessment.set_lefs_score(54);
  assessment.mutable_consent()->set_informed_consent(true);
  assessment.mutable_consent()->set_signer_name("Greta Gardner");
  return assessment;
}

// The office worker of the clinic's story: posterior knee pain, takes warfarin.
v1::Assessment OfficeWorker() {
  v1::Assessment assessment;
  assessment.set_chief_complaint("Ache behind the right knee after sitting all day");
  v1::Pain& pain = *assessment.mutable_pain();
  *pain.add_regions() = Where(common::v1::BODY_REGION_KNEE_POSTERIOR, common::v1::SIDE_RIGHT);
  pain.set_current(5);
  assessment.add_medications("warfarin 5 mg daily");
  assessment.set_health_screen_completed(true);
  AddCondition(assessment, common::v1::CONDITION_ANTICOAGULANT_USE);
  *assessment.add_findings() =
      Finding(common::v1::BODY_REGION_HAMSTRINGS, MuscleFinding::KIND_TIGHTNESS, 2);
  *assessment.add_findings() =
      Finding(common::v1::BODY_REGION_CALF, MuscleFinding::KIND_TIGHTNESS, 1);
  assessment.mutable_consent()->set_informed_consent(true);
  assessment.mutable_consent()->set_signer_name("Otto Office");
  return assessment;
}

// A restriction as one line: condition, technique, pressure cap and regions.
std::string Describe(const common::v1::Restriction& restriction) {
  std::vector<std::string> regions;
  for (const Region& region : restriction.regions()) {
    regions.push_back(absl::StrCat(common::v1::BodyRegion_Name(region.region()), "/",
                                   common::v1::Side_Name(region.side())));
  }
  return absl::StrCat(common::v1::Condition_Name(restriction.condition()), " ",
                      common::v1::Technique_Name(restriction.technique()), " ",
                      common::v1::Pressure_Name(restriction.max_pressure()), " [",
                      absl::StrJoin(regions, ","), "]");
}

std::vector<std::string> DescribeAll(const common::v1::Screening& screening) {
  std::vector<std::string> lines;
  for (const auto& restriction : screening.restrictions()) lines.push_back(Describe(restriction));
  return lines;
}

class AssessmentsServiceTest : public ::testing::Test {
 protected:
  AssessmentsServiceTest() : stub_(v1::IntakeService::NewStub(server_.channel())) {}

  v1::Client MustCreateClient(const std::string& given, const std::string& family,
                              const std::string& phone) {
    return test::ClinicRecords(server_).NewClient(given, family, phone, Role::kFrontDesk);
  }

  grpc::Status Create(absl::string_view parent, const v1::Assessment& assessment,
                      v1::Assessment* out, const std::string& request_id = "") {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    v1::CreateAssessmentRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_assessment() = assessment;
    request.set_request_id(request_id);
    return stub_->CreateAssessment(&context, request, out);
  }

  v1::Assessment MustCreate(absl::string_view parent, const v1::Assessment& assessment) {
    v1::Assessment created;
    EXPECT_THAT(Create(parent, assessment, &created), IsOk());
    return created;
  }

  grpc::Status Get(const std::string& name, v1::Assessment* out, Role role = Role::kTherapist) {
    grpc::ClientContext context;
    server_.Prepare(context, role);
    v1::GetAssessmentRequest request;
    request.set_name(name);
    return stub_->GetAssessment(&context, request, out);
  }

  v1::Assessment MustGet(const std::string& name) {
    v1::Assessment out;
    EXPECT_THAT(Get(name, &out), IsOk());
    return out;
  }

  grpc::Status Update(const v1::Assessment& patch, const std::vector<std::string>& paths,
                      v1::Assessment* out) {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    v1::UpdateAssessmentRequest request;
    *request.mutable_assessment() = patch;
    for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
    return stub_->UpdateAssessment(&context, request, out);
  }

  grpc::Status Submit(const std::string& name, v1::Assessment* out, const std::string& etag = "") {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    v1::SubmitAssessmentRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return stub_->SubmitAssessment(&context, request, out);
  }

  // Creates `assessment` for a new client and submits it; returns the submitted assessment.
  v1::Assessment MustSubmit(const v1::Assessment& assessment) {
    const v1::Client client = MustCreateClient("Sasha", "Screen", "0161 496 0300");
    const v1::Assessment created = MustCreate(client.name(), assessment);
    v1::Assessment submitted;
    EXPECT_THAT(Submit(created.name(), &submitted, created.etag()), IsOk());
    return submitted;
  }

  grpc::Status List(const v1::ListAssessmentsRequest& request, v1::ListAssessmentsResponse* out) {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kTherapist);
    return stub_->ListAssessments(&context, request, out);
  }

  int64_t CountRows(const std::string& table) {
    return test::CountRows(server_.database("intake"), table);
  }

  // "principal method resource code" for every audit row about assessments, in order.
  std::vector<std::string> AssessmentAuditRows() {
    const absl::StatusOr<std::vector<std::string>> rows =
        test::AuditRows(server_.database("intake"), "%Assessment%");
    EXPECT_OK(rows.status());
    return rows.value_or(std::vector<std::string>());
  }

  static std::string IdOf(const std::string& name) { return name.substr(name.rfind('/') + 1); }

  ClinicServer server_;
  std::unique_ptr<v1::IntakeService::Stub> stub_;
};

constexpr absl::string_view kMethodPrefix = "/velknee.intake.v1.IntakeService/";

// --- CreateAssessment -------------------------------------------------------------------------

TEST_F(AssessmentsServiceTest, CreateStoresADraftOfTheCallingTherapistIgnoringOutputFields) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  v1::Assessment sent = Gardener();
  sent.set_name("clients/forged/assessments/forged");
  sent.set_therapist("therapists/bruno");
  sent.set_state(v1::Assessment::STATE_SUBMITTED);
  sent.mutable_screening()->set_disposition(common::v1::DISPOSITION_CLEAR);
  sent.mutable_submit_time()->set_seconds(978307200);  // 2001-01-01
  sent.mutable_consent()->mutable_sign_time()->set_seconds(978307200);

  const int64_t before = absl::ToUnixSeconds(absl::Now());
  v1::Assessment created;
  ASSERT_THAT(Create(client.name(), sent, &created), IsOk());
  const int64_t after = absl::ToUnixSeconds(absl::Now());

  EXPECT_THAT(created.name(), MatchesRegex(client.name() + "/assessments/[a-z2-7]{24}"));
  EXPECT_EQ(created.state(), v1::Assessment::STATE_DRAFT);
  EXPECT_EQ(created.therapist(), "therapists/ana");
  EXPECT_FALSE(created.has_screening());
  EXPECT_FALSE(created.has_submit_time());
  EXPECT_FALSE(created.etag().empty());
  EXPECT_GE(created.create_time().seconds(), before);
  ASSERT_TRUE(created.consent().has_sign_time()) << "consent was given: the server stamps it";
  EXPECT_GE(created.consent().sign_time().seconds(), before);
  EXPECT_LE(created.consent().sign_time().seconds(), after + 1);
  EXPECT_EQ(created.chief_complaint(), Gardener().chief_complaint());
  EXPECT_EQ(created.pain().current(), 6);

  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(CountRows("assessments"), 1);
}

TEST_F(AssessmentsServiceTest, ConsentIsStampedByTheServerOnlyWhileItIsGiven) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  v1::Assessment sent = Gardener();
  sent.mutable_consent()->set_informed_consent(false);
  sent.mutable_consent()->mutable_sign_time()->set_seconds(978307200);
  const v1::Assessment created = MustCreate(client.name(), sent);
  EXPECT_FALSE(created.consent().has_sign_time()) << "no consent, no time";
  EXPECT_EQ(created.consent().signer_name(), "Greta Gardner");

  v1::Assessment patch;
  patch.set_name(created.name());
  patch.mutable_consent()->set_informed_consent(true);
  patch.mutable_consent()->set_signer_name("Greta Gardner");
  patch.mutable_consent()->mutable_sign_time()->set_seconds(978307200);  // Ignored.
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  v1::Assessment given;
  ASSERT_THAT(Update(patch, {"consent"}, &given), IsOk());
  ASSERT_TRUE(given.consent().has_sign_time());
  EXPECT_GE(given.consent().sign_time().seconds(), before);

  patch.mutable_consent()->set_signer_name("Greta M. Gardner");
  v1::Assessment renamed;
  ASSERT_THAT(Update(patch, {"consent"}, &renamed), IsOk());
  EXPECT_EQ(renamed.consent().sign_time().SerializeAsString(),
            given.consent().sign_time().SerializeAsString())
      << "the time consent was first given stays";

  patch.mutable_consent()->set_informed_consent(false);
  v1::Assessment withdrawn;
  ASSERT_THAT(Update(patch, {"consent"}, &withdrawn), IsOk());
  EXPECT_FALSE(withdrawn.consent().has_sign_time());
}

TEST_F(AssessmentsServiceTest, CreateNeedsAnExistingActiveClientAndAWellFormedParent) {
  v1::Assessment out;
  const grpc::Status unknown = Create(kAbsentClient, Gardener(), &out);
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kNotFound,
                                HasSubstr(absl::StrCat(kAbsentClient, " does not exist"))));

  const v1::Client client = MustCreateClient("Rory", "Runner", "0161 496 0001");
  {
    grpc::ClientContext context;
    server_.Prepare(context, Role::kFrontDesk);
    v1::ArchiveClientRequest request;
    request.set_name(client.name());
    v1::Client archived;
    ASSERT_THAT(stub_->ArchiveClient(&context, request, &archived), IsOk());
  }
  const grpc::Status archived = Create(client.name(), Gardener(), &out);
  EXPECT_THAT(archived, StatusIs(absl::StatusCode::kFailedPrecondition,
                                 HasSubstr(absl::StrCat(client.name(), " is archived"))));
  EXPECT_EQ(ErrorReason(archived), "CLIENT_ARCHIVED");

  const grpc::Status malformed = Create("patients/1", Gardener(), &out);
  EXPECT_THAT(malformed, StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("parent: must look like clients/{client}")));
  EXPECT_THAT(ViolatedFields(malformed), ElementsAre("parent"));

  EXPECT_EQ(CountRows("assessments"), 0);
  EXPECT_THAT(AssessmentAuditRows(), IsEmpty());
}

// --- Validation ----------------------------------------------------------------------------

TEST_F(AssessmentsServiceTest, CreateNamesEveryBadFieldAtOnceAndStoresNothing) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  v1::Assessment bad = Gardener();
  bad.set_chief_complaint(std::string(4097, 'k'));
  v1::Pain& pain = *bad.mutable_pain();
  pain.mutable_regions(0)->clear_side();
  pain.add_regions()->set_side(common::v1::SIDE_LEFT);
  pain.set_current(11);
  pain.set_worst(4);
  pain.set_best(5);
  *pain.mutable_onset_date() = DateOf(2025, 2, 30);
  pain.set_aggravating_activities(0, "kneeling\x07");
  for (int i = 0; i < 50; ++i) bad.add_prior_care(v1::PRIOR_CARE_HEAT);  // 53 in all.
  bad.set_medications(0, "warfarin\n5 mg");
  bad.add_conditions();                                                    // No condition.
  AddCondition(bad, common::v1::CONDITION_ACUTE_INFLAMMATION);             // No regions.
  bad.mutable_medical_clearance()->set_cleared_by("Dr. Ines Ortega, GP");  // No date.
  bad.mutable_findings(0)->set_severity(0);
  bad.mutable_findings(0)->clear_kind();
  bad.mutable_findings(1)->set_severity(4);
  for (int i = 0; i < 50; ++i) bad.add_goals("walk the dog");  // 51 in all.
  bad.set_lefs_score(81);
  bad.mutable_consent()->set_signer_name("Greta\tGardner");

  v1::Assessment out;
  const grpc::Status status = Create(client.name(), bad, &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("assessment.pain.current: must be between 0 and 10")));
  EXPECT_EQ(ErrorReason(status), "INVALID_FIELD");
  EXPECT_THAT(
      ViolatedFields(status),
      UnorderedElementsAre(
          "assessment.chief_complaint", "assessment.pain.regions[0].side",
          "assessment.pain.regions[1].region", "assessment.pain.current", "assessment.pain.best",
          "assessment.pain.onset_date", "assessment.pain.aggravating_activities[0]",
          "assessment.prior_care", "assessment.medications[0]",
          "assessment.conditions[0].condition", "assessment.conditions[1].regions",
          "assessment.medical_clearance.clearance_date", "assessment.findings[0].kind",
          "assessment.findings[0].severity", "assessment.findings[1].severity", "assessment.goals",
          "assessment.lefs_score", "assessment.consent.signer_name"));
  EXPECT_EQ(CountRows("assessments"), 0);
  EXPECT_THAT(AssessmentAuditRows(), IsEmpty());
}

// One rule per case: a complete, valid assessment with one thing wrong is refused with exactly
// one violation, whose message names the field and the rule.
TEST_F(AssessmentsServiceTest, EachRuleIsExplainedByItsOwnViolation) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const absl::CivilDay today = TodayUtc();
  struct Case {
    std::string what;
    std::function<void(v1::Assessment&)> spoil;
    std::string field;
    std::string rule;
  };
  const auto with_condition = [](Condition condition) {
    return [condition](v1::Assessment& a) {
      v1::ConditionFlag* flag = AddCondition(a, condition);
      *flag->mutable_since() = DateOf(TodayUtc() - 3);
    };
  };
  const std::string nprs = "must be between 0 and 10";
  const std::string needs_value = "must be set to one of its values";
  const std::string severity = "must be 1 (mild), 2 (moderate) or 3 (marked)";
  const std::vector<Case> cases = {
      {"current below 0", [](v1::Assessment& a) { a.mutable_pain()->set_current(-1); },
       "assessment.pain.current", nprs},
      {"current above 10", [](v1::Assessment& a) { a.mutable_pain()->set_current(11); },
       "assessment.pain.current", nprs},
      {"worst above 10", [](v1::Assessment& a) { a.mutable_pain()->set_worst(11); },
       "assessment.pain.worst", nprs},
      {"worst below 0",
       [](v1::Assessment& a) {
         a.mutable_pain()->set_worst(-1);
         a.mutable_pain()->clear_best();
       },
       "assessment.pain.worst", nprs},
      {"best below 0", [](v1::Assessment& a) { a.mutable_pain()->set_best(-1); },
       "assessment.pain.best", nprs},
      {"best above 10",
       [](v1::Assessment& a) {
         a.mutable_pain()->clear_worst();
         a.mutable_pain()->set_best(11);
       },
       "assessment.pain.best", nprs},
      {"best above worst", [](v1::Assessment& a) { a.mutable_pain()->set_best(9); },
       "assessment.pain.best", "must not be above pain.worst"},
      {"LEFS below 0", [](v1::Assessment& a) { a.set_lefs_score(-1); }, "assessment.lefs_score",
       "must be between 0 and 80"},
      {"LEFS above 80", [](v1::Assessment& a) { a.set_lefs_score(81); }, "assessment.lefs_score",
       "must be between 0 and 80"},
      {"onset in the future",
       [today](v1::Assessment& a) { *a.mutable_pain()->mutable_onset_date() = DateOf(today + 2); },
       "assessment.pain.onset_date", "must not be in the future"},
      {"onset 30 February",
       [](v1::Assessment& a) { *a.mutable_pain()->mutable_onset_date() = DateOf(2025, 2, 30); },
       "assessment.pain.onset_date", "must be a real calendar date"},
      {"onset without a day",
       [](v1::Assessment& a) { *a.mutable_pain()->mutable_onset_date() = DateOf(2024, 5, 0); },
       "assessment.pain.onset_date", "must be a real calendar date"},
      {"region without a side",
       [](v1::Assessment& a) { a.mutable_pain()->mutable_regions(0)->clear_side(); },
       "assessment.pain.regions[0].side", needs_value},
      {"region without a body region",
       [](v1::Assessment& a) { a.mutable_pain()->mutable_regions(0)->clear_region(); },
       "assessment.pain.regions[0].region", needs_value},
      {"condition flag without a condition", [](v1::Assessment& a) { a.add_conditions(); },
       "assessment.conditions[0].condition", needs_value},
      {"acute inflammation without regions",
       with_condition(common::v1::CONDITION_ACUTE_INFLAMMATION), "assessment.conditions[0].regions",
       "must name the affected regions for acute inflammation"},
      {"open wound without regions",
       with_condition(common::v1::CONDITION_OPEN_WOUND_OR_SKIN_CONDITION),
       "assessment.conditions[0].regions",
       "must name the affected regions for open wound or skin condition"},
      {"recent surgery without regions", with_condition(common::v1::CONDITION_RECENT_SURGERY),
       "assessment.conditions[0].regions", "must name the affected regions for recent surgery"},
      {"varicose veins without regions", with_condition(common::v1::CONDITION_VARICOSE_VEINS),
       "assessment.conditions[0].regions", "must name the affected regions for varicose veins"},
      {"condition region without a side",
       [](v1::Assessment& a) {
         AddCondition(a, common::v1::CONDITION_VARICOSE_VEINS)
             ->add_regions()
             ->set_region(common::v1::BODY_REGION_CALF);
       },
       "assessment.conditions[0].regions[0].side", needs_value},
      {"condition since in the future",
       [today](v1::Assessment& a) {
         *AddCondition(a, common::v1::CONDITION_OSTEOPOROSIS)->mutable_since() = DateOf(today + 2);
       },
       "assessment.conditions[0].since", "must not be in the future"},
      {"finding with severity 0", [](v1::Assessment& a) { a.mutable_findings(0)->set_severity(0); },
       "assessment.findings[0].severity", severity},
      {"finding with severity 4", [](v1::Assessment& a) { a.mutable_findings(1)->set_severity(4); },
       "assessment.findings[1].severity", severity},
      {"finding without a kind", [](v1::Assessment& a) { a.mutable_findings(0)->clear_kind(); },
       "assessment.findings[0].kind", needs_value},
      {"finding without a body region",
       [](v1::Assessment& a) { a.mutable_findings(1)->mutable_region()->clear_region(); },
       "assessment.findings[1].region.region", needs_value},
      {"finding referring to a region without a side",
       [](v1::Assessment& a) { a.mutable_findings(0)->mutable_refers_to()->clear_side(); },
       "assessment.findings[0].refers_to.side", needs_value},
      {"clearance by someone without a date",
       [](v1::Assessment& a) { a.mutable_medical_clearance()->set_cleared_by("Dr. Ines Ortega"); },
       "assessment.medical_clearance.clearance_date", "is required"},
      {"clearance date without who cleared",
       [](v1::Assessment& a) {
         *a.mutable_medical_clearance()->mutable_clearance_date() = DateOf(2024, 6, 3);
       },
       "assessment.medical_clearance.cleared_by", "is required"},
      {"clearance dated in the future",
       [today](v1::Assessment& a) {
         a.mutable_medical_clearance()->set_cleared_by("Dr. Ines Ortega");
         *a.mutable_medical_clearance()->mutable_clearance_date() = DateOf(today + 2);
       },
       "assessment.medical_clearance.clearance_date", "must not be in the future"},
      {"chief complaint over 4 KiB",
       [](v1::Assessment& a) { a.set_chief_complaint(std::string(4097, 'k')); },
       "assessment.chief_complaint", "must be at most 4096 bytes"},
      {"chief complaint over 4 KiB in multi-byte characters",
       [](v1::Assessment& a) {
         std::string text;
         for (int i = 0; i < 1366; ++i) text += "\xc3\xa9";  // 1366 × "é": 2732 bytes.
         a.set_chief_complaint(text + text);
       },
       "assessment.chief_complaint", "must be at most 4096 bytes"},
      {"chief complaint with a NUL",
       [](v1::Assessment& a) { a.set_chief_complaint(std::string("knee\0pain", 9)); },
       "assessment.chief_complaint", "must be UTF-8 text without control characters"},
      {"a goal over 500 characters",
       [](v1::Assessment& a) { a.set_goals(0, std::string(501, 'g')); }, "assessment.goals[0]",
       "must be at most 500 characters"},
      {"an empty goal", [](v1::Assessment& a) { a.add_goals(""); }, "assessment.goals[1]",
       "is required"},
      {"condition details over 1 KiB",
       [](v1::Assessment& a) {
         AddCondition(a, common::v1::CONDITION_OSTEOPOROSIS)->set_details(std::string(1025, 'd'));
       },
       "assessment.conditions[0].details", "must be at most 1024 bytes"},
      {"condition details with a NUL",
       [](v1::Assessment& a) {
         AddCondition(a, common::v1::CONDITION_OSTEOPOROSIS)
             ->set_details(std::string("wrist\0", 6));
       },
       "assessment.conditions[0].details", "must be UTF-8 text without control characters"},
      {"recent surgery without its date",
       [](v1::Assessment& a) {
         *AddCondition(a, common::v1::CONDITION_RECENT_SURGERY)->add_regions() =
             Where(common::v1::BODY_REGION_KNEE_MEDIAL, common::v1::SIDE_RIGHT);
       },
       "assessment.conditions[0].since", "is required for recent surgery"},
      {"a condition listed twice",
       [](v1::Assessment& a) {
         AddCondition(a, common::v1::CONDITION_ANTICOAGULANT_USE);
         AddCondition(a, common::v1::CONDITION_OSTEOPOROSIS);
         AddCondition(a, common::v1::CONDITION_ANTICOAGULANT_USE);
       },
       "assessment.conditions[2].condition", "is already listed at assessment.conditions[0]"},
      {"signer's name over 200 characters",
       [](v1::Assessment& a) { a.mutable_consent()->set_signer_name(std::string(201, 's')); },
       "assessment.consent.signer_name", "must be at most 200 characters"},
      {"who cleared over 200 characters",
       [](v1::Assessment& a) {
         a.mutable_medical_clearance()->set_cleared_by(std::string(201, 'c'));
         *a.mutable_medical_clearance()->mutable_clearance_date() = DateOf(2024, 6, 3);
       },
       "assessment.medical_clearance.cleared_by", "must be at most 200 characters"},
      {"51 medications",
       [](v1::Assessment& a) {
         for (int i = 0; i < 50; ++i) a.add_medications(absl::StrCat("vitamin ", i));
       },
       "assessment.medications", "must hold at most 50 items"},
      {"51 goals",
       [](v1::Assessment& a) {
         for (int i = 0; i < 50; ++i) a.add_goals(absl::StrCat("goal ", i));
       },
       "assessment.goals", "must hold at most 50 items"},
      {"51 prior care items",
       [](v1::Assessment& a) {
         for (int i = 0; i < 48; ++i) a.add_prior_care(v1::PRIOR_CARE_HEAT);
       },
       "assessment.prior_care", "must hold at most 50 items"},
      {"51 findings",
       [](v1::Assessment& a) {
         for (int i = 0; i < 49; ++i) *a.add_findings() = a.findings(1);
       },
       "assessment.findings", "must hold at most 50 items"},
      {"51 pain regions",
       [](v1::Assessment& a) {
         for (int i = 0; i < 50; ++i) *a.mutable_pain()->add_regions() = a.pain().regions(0);
       },
       "assessment.pain.regions", "must hold at most 50 items"},
      {"51 aggravating activities",
       [](v1::Assessment& a) {
         for (int i = 0; i < 49; ++i) a.mutable_pain()->add_aggravating_activities("squats");
       },
       "assessment.pain.aggravating_activities", "must hold at most 50 items"},
      {"51 regions on one condition",
       [](v1::Assessment& a) {
         v1::ConditionFlag* flag = AddCondition(a, common::v1::CONDITION_VARICOSE_VEINS);
         for (int i = 0; i < 51; ++i) {
           *flag->add_regions() = Where(common::v1::BODY_REGION_CALF, common::v1::SIDE_LEFT);
         }
       },
       "assessment.conditions[0].regions", "must hold at most 50 items"},
      {"prior care unspecified",
       [](v1::Assessment& a) { a.add_prior_care(v1::PRIOR_CARE_UNSPECIFIED); },
       "assessment.prior_care[3]", needs_value},
      {"medication over 200 characters",
       [](v1::Assessment& a) { a.set_medications(0, std::string(201, 'm')); },
       "assessment.medications[0]", "must be at most 200 characters"},
      {"an empty medication", [](v1::Assessment& a) { a.add_medications(""); },
       "assessment.medications[1]", "is required"},
      {"control character in a medication",
       [](v1::Assessment& a) { a.set_medications(0, "warfarin\x1b[31m"); },
       "assessment.medications[0]", "must be one line of UTF-8 text"},
      {"line feed in a medication",
       [](v1::Assessment& a) { a.set_medications(0, "warfarin\n5 mg"); },
       "assessment.medications[0]", "must be one line of UTF-8 text"},
      {"carriage return in an easing factor",
       [](v1::Assessment& a) { a.mutable_pain()->set_easing_factors(0, "heat\rice"); },
       "assessment.pain.easing_factors[0]", "must be one line of UTF-8 text"},
      {"tab in an aggravating activity",
       [](v1::Assessment& a) { a.mutable_pain()->set_aggravating_activities(0, "knee\tling"); },
       "assessment.pain.aggravating_activities[0]", "must be one line of UTF-8 text"},
      {"line feed in the signer's name",
       [](v1::Assessment& a) { a.mutable_consent()->set_signer_name("Greta\nGardner"); },
       "assessment.consent.signer_name", "must be one line of UTF-8 text"},
      {"control character in who cleared",
       [](v1::Assessment& a) {
         a.mutable_medical_clearance()->set_cleared_by("Dr. Ortega\x07");
         *a.mutable_medical_clearance()->mutable_clearance_date() = DateOf(2024, 6, 3);
       },
       "assessment.medical_clearance.cleared_by", "must be one line of UTF-8 text"},
  };
  for (const Case& c : cases) {
    v1::Assessment assessment = Gardener();
    c.spoil(assessment);
    v1::Assessment out;
    const grpc::Status status = Create(client.name(), assessment, &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(absl::StrCat(c.field, ": ", c.rule))))
        << c.what;
    EXPECT_THAT(ViolatedFields(status), ElementsAre(c.field)) << c.what;
  }
  EXPECT_EQ(CountRows("assessments"), 0);
  EXPECT_THAT(AssessmentAuditRows(), IsEmpty());
}

TEST_F(AssessmentsServiceTest, ValuesOnTheEdgeOfEachRuleAreAccepted) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const absl::CivilDay today = TodayUtc();
  v1::Assessment edge = Gardener();
  edge.set_chief_complaint("  " + std::string(4096, 'k') + "\n");  // Trimmed to 4096 bytes.
  edge.mutable_pain()->set_current(0);
  edge.mutable_pain()->set_worst(10);
  edge.mutable_pain()->set_best(0);
  *edge.mutable_pain()->mutable_onset_date() = DateOf(2024, 2, 29);
  edge.set_lefs_score(80);
  edge.clear_medications();
  for (int i = 0; i < 50; ++i) edge.add_medications(std::string(200, 'm'));
  edge.mutable_findings(0)->set_severity(1);
  edge.mutable_findings(1)->set_severity(3);
  v1::ConditionFlag* flag = AddCondition(edge, common::v1::CONDITION_OSTEOPOROSIS);
  *flag->mutable_since() = DateOf(today);
  flag->set_details("Diagnosed after a wrist fracture.\n\tDEXA scan T-score -2.7" +
                    std::string(1024 - 57, '.'));
  ASSERT_EQ(flag->details().size(), 1024u);
  v1::ConditionFlag* surgery = AddCondition(edge, common::v1::CONDITION_RECENT_SURGERY);
  *surgery->add_regions() = Where(common::v1::BODY_REGION_KNEE_MEDIAL, common::v1::SIDE_RIGHT);
  *surgery->mutable_since() = DateOf(today - 10);
  edge.set_goals(0, std::string(500, 'g'));
  edge.mutable_consent()->set_signer_name(std::string(200, 's'));
  edge.mutable_medical_clearance()->set_cleared_by(std::string(200, 'c'));
  *edge.mutable_medical_clearance()->mutable_clearance_date() = DateOf(today);
  v1::Assessment created;
  ASSERT_THAT(Create(client.name(), edge, &created), IsOk());
  EXPECT_EQ(created.chief_complaint(), std::string(4096, 'k'));
  EXPECT_EQ(created.medications_size(), 50);
  EXPECT_EQ(created.pain().current(), 0) << "0 (no pain) is a recorded score, not an unset one";
  EXPECT_TRUE(created.pain().has_current());

  v1::Assessment zero_lefs = Gardener();
  zero_lefs.set_lefs_score(0);
  ASSERT_THAT(Create(client.name(), zero_lefs, &created), IsOk());
  EXPECT_TRUE(created.has_lefs_score());
  EXPECT_EQ(created.lefs_score(), 0);

  v1::Assessment onset_today = Gardener();
  *onset_today.mutable_pain()->mutable_onset_date() = DateOf(today);
  EXPECT_THAT(Create(client.name(), onset_today, &created), IsOk());
}

// --- UpdateAssessment ----------------------------------------------------------------------

TEST_F(AssessmentsServiceTest, UpdateChangesOnlyMaskedFieldsAndChecksTheEtag) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Assessment created = MustCreate(client.name(), Gardener());
  v1::Assessment patch;
  patch.set_name(created.name());
  patch.set_chief_complaint("Not in the mask: ignored");
  patch.mutable_pain()->set_current(3);
  patch.add_goals("Climb the stairs without holding the rail");
  patch.set_etag(created.etag());
  v1::Assessment updated;
  ASSERT_THAT(Update(patch, {"pain.current", "goals"}, &updated), IsOk());
  EXPECT_EQ(updated.pain().current(), 3);
  EXPECT_EQ(updated.pain().worst(), 8) << "reaching into pain keeps its other fields";
  EXPECT_EQ(updated.pain().regions_size(), 1);
  EXPECT_THAT(updated.goals(), ElementsAre("Climb the stairs without holding the rail"));
  EXPECT_EQ(updated.chief_complaint(), created.chief_complaint());
  EXPECT_EQ(updated.therapist(), "therapists/ana");
  EXPECT_EQ(updated.state(), v1::Assessment::STATE_DRAFT);
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(MustGet(created.name()).SerializeAsString(), updated.SerializeAsString());

  patch.set_etag(created.etag());  // Stale now.
  patch.mutable_pain()->set_current(1);
  v1::Assessment stale;
  const grpc::Status conflict = Update(patch, {"pain.current"}, &stale);
  EXPECT_THAT(conflict, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReason(conflict), "ETAG_MISMATCH");
  v1::Assessment stale_submit;
  const grpc::Status stale_submit_status = Submit(created.name(), &stale_submit, created.etag());
  EXPECT_THAT(stale_submit_status, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReason(stale_submit_status), "ETAG_MISMATCH");
  const v1::Assessment unchanged = MustGet(created.name());
  EXPECT_EQ(unchanged.pain().current(), 3);
  EXPECT_EQ(unchanged.state(), v1::Assessment::STATE_DRAFT);
  EXPECT_EQ(unchanged.etag(), updated.etag());

  patch.clear_etag();  // No etag: last write wins.
  v1::Assessment last;
  ASSERT_THAT(Update(patch, {"pain.current"}, &last), IsOk());
  EXPECT_EQ(last.pain().current(), 1);
}

TEST_F(AssessmentsServiceTest, UpdateNeedsAMaskOfWritableFields) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Assessment created = MustCreate(client.name(), Gardener());
  v1::Assessment patch;
  patch.set_name(created.name());
  patch.set_state(v1::Assessment::STATE_SUBMITTED);
  patch.set_therapist("therapists/bruno");
  patch.mutable_screening()->set_disposition(common::v1::DISPOSITION_CLEAR);
  patch.mutable_consent()->mutable_sign_time()->set_seconds(978307200);
  v1::Assessment out;
  const grpc::Status output_only =
      Update(patch, {"state", "screening", "therapist", "consent.sign_time", "submit_time"}, &out);
  EXPECT_THAT(output_only, StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("update_mask.paths[0]: state is output only")));
  EXPECT_THAT(output_only.error_message(),
              HasSubstr("update_mask.paths[3]: sign_time is output only"));
  EXPECT_THAT(ViolatedFields(output_only),
              ElementsAre("update_mask.paths[0]", "update_mask.paths[1]", "update_mask.paths[2]",
                          "update_mask.paths[3]", "update_mask.paths[4]"));

  const grpc::Status empty = Update(patch, {}, &out);
  EXPECT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("update_mask: must name at least one field")));
  EXPECT_THAT(Update(patch, {"name"}, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("update_mask.paths[0]: name cannot be changed")));
  EXPECT_THAT(Update(patch, {"pain.regions.side"}, &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask.paths[0]")));
  v1::Assessment malformed = patch;
  malformed.set_name("clients/x");
  const grpc::Status bad_name = Update(malformed, {"chief_complaint"}, &out);
  EXPECT_THAT(bad_name, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("assessment.name: must look like")));

  const v1::Assessment stored = MustGet(created.name());
  EXPECT_EQ(stored.etag(), created.etag());
  EXPECT_EQ(stored.state(), v1::Assessment::STATE_DRAFT);
  EXPECT_EQ(stored.therapist(), "therapists/ana");
}

TEST_F(AssessmentsServiceTest, ARejectedUpdateStoresNothingAndIsNotAudited) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Assessment created = MustCreate(client.name(), Gardener());
  const std::vector<std::string> audit_before = AssessmentAuditRows();
  ASSERT_EQ(audit_before.size(), 1u);

  v1::Assessment patch;
  patch.set_name(created.name());
  patch.set_chief_complaint("Knees worse this week");
  patch.mutable_pain()->set_current(11);
  v1::Assessment out;
  const grpc::Status status = Update(patch, {"chief_complaint", "pain.current"}, &out);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("assessment.pain.current: must be between 0 and 10")));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("assessment.pain.current"));
  EXPECT_EQ(AssessmentAuditRows(), audit_before);

  const v1::Assessment stored = MustGet(created.name());
  EXPECT_EQ(stored.SerializeAsString(), created.SerializeAsString())
      << "neither the valid nor the invalid half of the update is kept";
}

// --- SubmitAssessment ----------------------------------------------------------------------

TEST_F(AssessmentsServiceTest, SubmittingAnEmptyDraftListsEveryMissingItem) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Assessment draft = MustCreate(client.name(), v1::Assessment());
  v1::Assessment out;
  const grpc::Status status = Submit(draft.name(), &out, draft.etag());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr(absl::StrCat(draft.name(), " cannot be submitted yet"))));
  EXPECT_THAT(status.error_message(), HasSubstr("needs a chief complaint"));
  EXPECT_EQ(ErrorReason(status), "ASSESSMENT_INCOMPLETE");
  EXPECT_THAT(PreconditionSubjects(status),
              UnorderedElementsAre("assessment.chief_complaint", "assessment.pain.regions",
                                   "assessment.pain.current", "assessment.health_screen_completed",
                                   "assessment.consent"));
  const v1::Assessment stored = MustGet(draft.name());
  EXPECT_EQ(stored.state(), v1::Assessment::STATE_DRAFT);
  EXPECT_FALSE(stored.has_screening());
  EXPECT_EQ(stored.etag(), draft.etag());
}

TEST_F(AssessmentsServiceTest, EachMissingItemAloneBlocksTheSubmit) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  struct Case {
    std::function<void(v1::Assessment&)> remove;
    std::string subject;
  };
  const std::vector<Case> cases = {
      {[](v1::Assessment& a) { a.set_chief_complaint("   "); }, "assessment.chief_complaint"},
      {[](v1::Assessment& a) { a.mutable_pain()->clear_regions(); }, "assessment.pain.regions"},
      {[](v1::Assessment& a) { a.mutable_pain()->clear_current(); }, "assessment.pain.current"},
      {[](v1::Assessment& a) { a.set_health_screen_completed(false); },
       "assessment.health_screen_completed"},
      {[](v1::Assessment& a) { a.mutable_consent()->set_informed_consent(false); },
       "assessment.consent"},
      {[](v1::Assessment& a) { a.mutable_consent()->set_signer_name(" "); }, "assessment.consent"},
  };
  for (const Case& c : cases) {
    v1::Assessment assessment = Gardener();
    c.remove(assessment);
    const v1::Assessment draft = MustCreate(client.name(), assessment);
    v1::Assessment out;
    const grpc::Status status = Submit(draft.name(), &out);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition)) << c.subject;
    EXPECT_THAT(PreconditionSubjects(status), ElementsAre(c.subject));
  }
}

TEST_F(AssessmentsServiceTest, SubmitScreensAndLocksTheAssessment) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Assessment draft = MustCreate(client.name(), Gardener());
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  v1::Assessment submitted;
  ASSERT_THAT(Submit(draft.name(), &submitted, draft.etag()), IsOk());
  EXPECT_EQ(submitted.state(), v1::Assessment::STATE_SUBMITTED);
  EXPECT_GE(submitted.submit_time().seconds(), before);
  ASSERT_TRUE(submitted.has_screening());
  EXPECT_EQ(submitted.screening().disposition(), common::v1::DISPOSITION_CLEAR);
  EXPECT_THAT(submitted.screening().restrictions(), IsEmpty());
  EXPECT_THAT(submitted.screening().refer_out_conditions(), IsEmpty());
  EXPECT_NE(submitted.etag(), draft.etag());
  EXPECT_EQ(MustGet(draft.name()).SerializeAsString(), submitted.SerializeAsString());

  v1::Assessment patch;
  patch.set_name(draft.name());
  patch.set_chief_complaint("Changed after submitting");
  for (const std::string& etag : {std::string(), submitted.etag()}) {
    patch.set_etag(etag);
    v1::Assessment out;
    const grpc::Status update = Update(patch, {"chief_complaint"}, &out);
    EXPECT_THAT(update, StatusIs(absl::StatusCode::kFailedPrecondition,
                                 HasSubstr("is submitted and locked")));
    EXPECT_EQ(ErrorReason(update), "ASSESSMENT_LOCKED");
    EXPECT_THAT(PreconditionSubjects(update), ElementsAre(draft.name()));
    const grpc::Status again = Submit(draft.name(), &out, etag);
    EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_EQ(ErrorReason(again), "ASSESSMENT_LOCKED");
  }
  EXPECT_EQ(MustGet(draft.name()).SerializeAsString(), submitted.SerializeAsString());
}

TEST_F(AssessmentsServiceTest, TheDatabaseItselfRefusesToChangeOrDeleteASubmittedRow) {
  const v1::Assessment submitted = MustSubmit(Gardener());
  const std::string id = IdOf(submitted.name());
  Database& db = server_.database("intake");
  const auto run = [&](const std::string& sql) {
    return db.Write([&](SQLite::Database& connection) {
      SQLite::Statement statement(connection, sql);
      statement.bind(1, id);
      statement.exec();
      return absl::OkStatus();
    });
  };
  EXPECT_THAT(run("UPDATE assessments SET resource = x'00' WHERE id = ?"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("a submitted assessment is locked")));
  EXPECT_THAT(run("UPDATE assessments SET state = 1 WHERE id = ?"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("a submitted assessment is locked")));
  EXPECT_THAT(
      run("DELETE FROM assessments WHERE id = ?"),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("assessments are never deleted")));
  EXPECT_EQ(MustGet(submitted.name()).SerializeAsString(), submitted.SerializeAsString());

  // Drafts are not deletable either.
  const v1::Assessment draft =
      MustCreate(submitted.name().substr(0, submitted.name().find("/as")), Gardener());
  EXPECT_THAT(db.Write([&](SQLite::Database& connection) {
    SQLite::Statement statement(connection, "DELETE FROM assessments WHERE id = ?");
    statement.bind(1, IdOf(draft.name()));
    statement.exec();
    return absl::OkStatus();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(CountRows("assessments"), 2);
}

// --- Screening on submit -------------------------------------------------------------------

TEST_F(AssessmentsServiceTest, WarfarinMeansNoDeepTissueAnywhereAndModeratePressure) {
  const v1::Assessment submitted = MustSubmit(OfficeWorker());
  const common::v1::Screening& screening = submitted.screening();
  EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(
      DescribeAll(screening),
      ElementsAre("CONDITION_ANTICOAGULANT_USE TECHNIQUE_DEEP_TISSUE PRESSURE_UNSPECIFIED []",
                  "CONDITION_ANTICOAGULANT_USE TECHNIQUE_UNSPECIFIED PRESSURE_MODERATE []"));
  EXPECT_THAT(screening.restrictions(0).rationale(), HasSubstr("No deep tissue anywhere"));
  EXPECT_THAT(screening.restrictions(1).rationale(), HasSubstr("Pressure at most moderate"));
  for (const auto& restriction : screening.restrictions()) {
    EXPECT_THAT(restriction.rationale(), HasSubstr("blood thinners"));
  }
  EXPECT_THAT(screening.refer_out_conditions(), IsEmpty());
}

TEST_F(AssessmentsServiceTest, DvtHistoryRefersOutUnlessMedicallyCleared) {
  v1::Assessment dvt = Gardener();
  *AddCondition(dvt, common::v1::CONDITION_DVT_HISTORY)->add_regions() =
      Where(common::v1::BODY_REGION_CALF, common::v1::SIDE_LEFT);
  const v1::Assessment referred = MustSubmit(dvt);
  EXPECT_EQ(referred.screening().disposition(), common::v1::DISPOSITION_REFER_OUT);
  EXPECT_THAT(referred.screening().refer_out_conditions(),
              ElementsAre(common::v1::CONDITION_DVT_HISTORY));
  EXPECT_THAT(referred.screening().restrictions(), IsEmpty());

  dvt.mutable_medical_clearance()->set_cleared_by("Dr. Ines Ortega, GP");
  *dvt.mutable_medical_clearance()->mutable_clearance_date() = DateOf(TodayUtc() - 7);
  const v1::Assessment cleared = MustSubmit(dvt);
  EXPECT_EQ(cleared.screening().disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(cleared.screening().refer_out_conditions(), IsEmpty());
  ASSERT_EQ(cleared.screening().restrictions_size(), 1);
  const common::v1::Restriction& restriction = cleared.screening().restrictions(0);
  EXPECT_EQ(restriction.condition(), common::v1::CONDITION_DVT_HISTORY);
  EXPECT_EQ(restriction.technique(), common::v1::TECHNIQUE_DEEP_TISSUE);
  EXPECT_EQ(restriction.max_pressure(), common::v1::PRESSURE_UNSPECIFIED);
  EXPECT_THAT(restriction.rationale(), HasSubstr("deep vein thrombosis"));
  std::vector<std::string> regions;
  for (const Region& region : restriction.regions()) {
    regions.push_back(absl::StrCat(common::v1::BodyRegion_Name(region.region()), "/",
                                   common::v1::Side_Name(region.side())));
  }
  EXPECT_THAT(
      regions,
      UnorderedElementsAre(
          "BODY_REGION_CALF/SIDE_LEFT", "BODY_REGION_KNEE_ANTERIOR/SIDE_BILATERAL",
          "BODY_REGION_KNEE_POSTERIOR/SIDE_BILATERAL", "BODY_REGION_KNEE_MEDIAL/SIDE_BILATERAL",
          "BODY_REGION_KNEE_LATERAL/SIDE_BILATERAL", "BODY_REGION_QUADRICEPS/SIDE_BILATERAL",
          "BODY_REGION_HAMSTRINGS/SIDE_BILATERAL", "BODY_REGION_CALF/SIDE_BILATERAL",
          "BODY_REGION_HIP_FLEXORS/SIDE_BILATERAL", "BODY_REGION_IT_BAND/SIDE_BILATERAL",
          "BODY_REGION_ADDUCTORS/SIDE_BILATERAL", "BODY_REGION_FOOT_ANKLE/SIDE_BILATERAL"));
}

TEST_F(AssessmentsServiceTest, NoConditionsIsClearWithNoRestrictions) {
  const v1::Assessment submitted = MustSubmit(Gardener());
  EXPECT_EQ(submitted.screening().disposition(), common::v1::DISPOSITION_CLEAR);
  EXPECT_THAT(submitted.screening().restrictions(), IsEmpty());
  EXPECT_THAT(submitted.screening().refer_out_conditions(), IsEmpty());
}

TEST_F(AssessmentsServiceTest, TheWorstDispositionWinsAndRestrictionsAddUp) {
  v1::Assessment both = OfficeWorker();
  AddCondition(both, common::v1::CONDITION_FEVER_OR_INFECTION);
  const v1::Assessment referred = MustSubmit(both);
  EXPECT_EQ(referred.screening().disposition(), common::v1::DISPOSITION_REFER_OUT);
  EXPECT_THAT(referred.screening().refer_out_conditions(),
              ElementsAre(common::v1::CONDITION_FEVER_OR_INFECTION));

  v1::Assessment precautions = OfficeWorker();
  AddCondition(precautions, common::v1::CONDITION_PREGNANCY);
  const v1::Assessment treated = MustSubmit(precautions);
  EXPECT_EQ(treated.screening().disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(
      DescribeAll(treated.screening()),
      ElementsAre("CONDITION_ANTICOAGULANT_USE TECHNIQUE_DEEP_TISSUE PRESSURE_UNSPECIFIED []",
                  "CONDITION_ANTICOAGULANT_USE TECHNIQUE_UNSPECIFIED PRESSURE_MODERATE []",
                  "CONDITION_PREGNANCY TECHNIQUE_DEEP_TISSUE PRESSURE_UNSPECIFIED "
                  "[BODY_REGION_CALF/SIDE_BILATERAL]"));
}

// --- Idempotency ---------------------------------------------------------------------------

TEST_F(AssessmentsServiceTest, ARetryWithTheSameRequestIdReturnsTheFirstAssessment) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const std::string request_id = "7b0c2f9e-3a41-4d6b-8f0e-51c2a9d4e7b3";
  v1::Assessment first, retry;
  ASSERT_THAT(Create(client.name(), Gardener(), &first, request_id), IsOk());
  ASSERT_THAT(Create(client.name(), Gardener(), &retry, request_id), IsOk());
  EXPECT_EQ(retry.name(), first.name());
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(CountRows("assessments"), 1);

  v1::Assessment other = Gardener();
  other.mutable_pain()->set_current(7);
  v1::Assessment ignored;
  const grpc::Status reused = Create(client.name(), other, &ignored, request_id);
  EXPECT_THAT(reused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  EXPECT_EQ(CountRows("assessments"), 1);
  EXPECT_EQ(MustGet(first.name()).pain().current(), 6);

  EXPECT_THAT(Create(client.name(), Gardener(), &ignored, "not a uuid!"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("request_id")));
  v1::Assessment fresh;
  ASSERT_THAT(Create(client.name(), Gardener(), &fresh, "another-request-1"), IsOk());
  EXPECT_NE(fresh.name(), first.name());
  EXPECT_EQ(CountRows("assessments"), 2);
}

// --- GetAssessment and ListAssessments -----------------------------------------------------

TEST_F(AssessmentsServiceTest, GetFindsAnAssessmentOnlyUnderItsOwnClient) {
  const v1::Client greta = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Client otto = MustCreateClient("Otto", "Office", "0161 496 0101");
  const v1::Assessment created = MustCreate(greta.name(), Gardener());
  const std::string elsewhere = absl::StrCat(otto.name(), "/assessments/", IdOf(created.name()));
  v1::Assessment out;
  EXPECT_THAT(
      Get(elsewhere, &out),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr(absl::StrCat(elsewhere, " does not exist"))));
  EXPECT_THAT(Get(std::string(kAbsentAssessment), &out), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(
      Get(greta.name(), &out),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("name: must look like clients/{client}/assessments/{assessment}")));
  ASSERT_THAT(Get(created.name(), &out, Role::kService), IsOk());
  EXPECT_EQ(out.SerializeAsString(), created.SerializeAsString());
}

TEST_F(AssessmentsServiceTest, ListShowsAClientsAssessmentsNewestFirstAcrossPages) {
  const v1::Client greta = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Client otto = MustCreateClient("Otto", "Office", "0161 496 0101");
  std::vector<std::string> newest_first;
  for (int i = 1; i <= 5; ++i) {
    v1::Assessment assessment = Gardener();
    assessment.set_chief_complaint(absl::StrCat("Visit ", i));
    newest_first.insert(newest_first.begin(), MustCreate(greta.name(), assessment).name());
  }
  MustCreate(otto.name(), OfficeWorker());

  v1::ListAssessmentsRequest request;
  request.set_parent(greta.name());
  request.set_page_size(2);
  std::vector<std::string> seen;
  std::vector<int> page_sizes;
  std::string first_token;
  do {
    v1::ListAssessmentsResponse response;
    ASSERT_THAT(List(request, &response), IsOk());
    page_sizes.push_back(response.assessments_size());
    for (const v1::Assessment& a : response.assessments()) seen.push_back(a.name());
    if (first_token.empty()) first_token = response.next_page_token();
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && page_sizes.size() < 10);
  EXPECT_EQ(seen, newest_first);
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 1));

  v1::ListAssessmentsRequest all;
  all.set_parent(greta.name());
  v1::ListAssessmentsResponse everything;
  ASSERT_THAT(List(all, &everything), IsOk());
  ASSERT_EQ(everything.assessments_size(), 5);
  EXPECT_EQ(everything.assessments(0).chief_complaint(), "Visit 5");
  EXPECT_EQ(everything.assessments(4).chief_complaint(), "Visit 1");
  EXPECT_TRUE(everything.next_page_token().empty());

  all.set_parent(otto.name());
  ASSERT_THAT(List(all, &everything), IsOk());
  ASSERT_EQ(everything.assessments_size(), 1);
  EXPECT_EQ(everything.assessments(0).chief_complaint(), OfficeWorker().chief_complaint());

  ASSERT_FALSE(first_token.empty());
  v1::ListAssessmentsRequest borrowed;
  borrowed.set_parent(otto.name());
  borrowed.set_page_size(2);
  borrowed.set_page_token(first_token);
  v1::ListAssessmentsResponse out;
  EXPECT_THAT(List(borrowed, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_token: was issued for a different query")));
  EXPECT_THAT(out.assessments(), IsEmpty());
}

TEST_F(AssessmentsServiceTest, ListExplainsUnknownClientsAndBadRequests) {
  v1::ListAssessmentsRequest request;
  request.set_parent(std::string(kAbsentClient));
  v1::ListAssessmentsResponse out;
  EXPECT_THAT(List(request, &out),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr(absl::StrCat(kAbsentClient, " does not exist"))));
  request.set_parent("clients/");
  EXPECT_THAT(List(request, &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parent: must look like")));
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  request.set_parent(client.name());
  ASSERT_THAT(List(request, &out), IsOk());
  EXPECT_THAT(out.assessments(), IsEmpty()) << "a client without assessments has an empty list";
  request.set_page_size(-1);
  EXPECT_THAT(List(request, &out),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

// --- Access and audit ----------------------------------------------------------------------

TEST_F(AssessmentsServiceTest, WritesAndReadsOfAssessmentsAreAuditedInAnIntactChain) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Assessment created = MustCreate(client.name(), Gardener());
  v1::Assessment out;
  ASSERT_THAT(Get(created.name(), &out, Role::kService), IsOk());
  v1::Assessment patch;
  patch.set_name(created.name());
  patch.set_lefs_score(60);
  ASSERT_THAT(Update(patch, {"lefs_score"}, &out), IsOk());
  ASSERT_THAT(Submit(created.name(), &out), IsOk());
  v1::ListAssessmentsRequest request;
  request.set_parent(client.name());
  v1::ListAssessmentsResponse listed;
  ASSERT_THAT(List(request, &listed), IsOk());

  const std::string m(kMethodPrefix);
  // Reads are queued and may land between writes; each call is there exactly once.
  EXPECT_THAT(
      AssessmentAuditRows(),
      UnorderedElementsAre(absl::StrCat("ana ", m, "CreateAssessment ", created.name(), " 0"),
                           absl::StrCat("services ", m, "GetAssessment ", created.name(), " 0"),
                           absl::StrCat("ana ", m, "UpdateAssessment ", created.name(), " 0"),
                           absl::StrCat("ana ", m, "SubmitAssessment ", created.name(), " 0"),
                           absl::StrCat("ana ", m, "ListAssessments ", client.name(), " 0")));
}

TEST_F(AssessmentsServiceTest, ADeniedCallerCannotTellWhetherAnAssessmentExists) {
  const v1::Client client = MustCreateClient("Greta", "Gardner", "0161 496 0100");
  const v1::Assessment existing = MustCreate(client.name(), Gardener());
  for (Role role : {Role::kFrontDesk, Role::kAdmin}) {
    v1::Assessment out;
    const grpc::Status on_existing = Get(existing.name(), &out, role);
    const grpc::Status on_absent = Get(std::string(kAbsentAssessment), &out, role);
    EXPECT_THAT(on_existing, StatusIs(absl::StatusCode::kPermissionDenied)) << RoleName(role);
    EXPECT_EQ(on_existing.error_message(), on_absent.error_message()) << RoleName(role);
    EXPECT_EQ(out.ByteSizeLong(), 0u) << "nothing clinical reaches a denied caller";
  }
  grpc::ClientContext context;
  server_.Prepare(context, Role::kAdmin);
  v1::SubmitAssessmentRequest request;
  request.set_name(existing.name());
  v1::Assessment out;
  EXPECT_THAT(stub_->SubmitAssessment(&context, request, &out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(MustGet(existing.name()).state(), v1::Assessment::STATE_DRAFT);
}

// Every assessment method × every role, plus callers without a valid token. Roles that may call
// a method get past authorization (here: NOT_FOUND, as the request names nothing that exists);
// the others get PERMISSION_DENIED before existence is checked, and each denial is audited.
TEST_F(AssessmentsServiceTest, EveryMethodAndRoleFollowsTheAccessTable) {
  v1::Assessment out;
  v1::ListAssessmentsResponse list_out;
  constexpr absl::StatusCode kNotFound = absl::StatusCode::kNotFound;
  const std::vector<test::AccessRow> rows = {
      {"CreateAssessment",
       {Role::kTherapist},
       kNotFound,
       [&](grpc::ClientContext* c) {
         v1::CreateAssessmentRequest r;
         r.set_parent(std::string(kAbsentClient));
         *r.mutable_assessment() = Gardener();
         return stub_->CreateAssessment(c, r, &out);
       }},
      {"GetAssessment",
       {Role::kTherapist, Role::kService},
       kNotFound,
       [&](grpc::ClientContext* c) {
         v1::GetAssessmentRequest r;
         r.set_name(std::string(kAbsentAssessment));
         return stub_->GetAssessment(c, r, &out);
       }},
      {"UpdateAssessment",
       {Role::kTherapist},
       kNotFound,
       [&](grpc::ClientContext* c) {
         v1::UpdateAssessmentRequest r;
         r.mutable_assessment()->set_name(std::string(kAbsentAssessment));
         r.mutable_assessment()->set_chief_complaint("Knee pain");
         r.mutable_update_mask()->add_paths("chief_complaint");
         return stub_->UpdateAssessment(c, r, &out);
       }},
      {"SubmitAssessment",
       {Role::kTherapist},
       kNotFound,
       [&](grpc::ClientContext* c) {
         v1::SubmitAssessmentRequest r;
         r.set_name(std::string(kAbsentAssessment));
         return stub_->SubmitAssessment(c, r, &out);
       }},
      {"ListAssessments",
       {Role::kTherapist},
       kNotFound,
       [&](grpc::ClientContext* c) {
         v1::ListAssessmentsRequest r;
         r.set_parent(std::string(kAbsentClient));
         return stub_->ListAssessments(c, r, &list_out);
       }},
  };
  EXPECT_EQ(test::WalkAccessTable(server_, "intake", kMethodPrefix, rows), 14);
  EXPECT_EQ(CountRows("assessments"), 0);
}

}  // namespace
}  // namespace velknee::intake
