// The therapist's intake and treatment plans, end to end: a real velknee-server process on a
// loopback port, driven only through velknee-tablet command lines, the guided form answered on
// stdin as a script (or a therapist at a terminal) would answer it. The named cases are the
// clinic's own stories from issues 3 and 4; the people are invented.

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/clinic_people.h"
#include "tests/e2e/clinic_process.h"
#include "velknee/intake/v1/assessment.pb.h"
#include "velknee/intake/v1/client.pb.h"
#include "velknee/intake/v1/intake_service.pb.h"
#include "velknee/plans/v1/treatment_plan.pb.h"

namespace velknee {
namespace {

using intake::v1::Assessment;
using intake::v1::Client;
using plans::v1::TreatmentPlan;
using test::ClinicProcess;
using test::CommandResult;
using test::LineCount;
using test::LineWith;
using test::ParseJson;
using test::SubmittedIntakeFromFile;
using test::WriteFile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr int kScreeningQuestions = 14;  // one per velknee.common.v1.Condition

// The gardener's answers to the guided form, one per line, in the order the tablet asks.
std::string GardenerAnswers() {
  std::vector<std::string> lines = {
      "Pain at the front of both knees after kneeling to weed the vegetable beds",
      "1",        // where: front of the knee
      "both",     // side
      "6",        // pain now
      "8",        // worst
      "",         // least: not asked of this client
      "gradual",  // onset
      "",         // onset date: does not remember
      "kneeling",
      "squatting",
      "",  // worse with
      "rest",
      "",              // better with
      "rest, ice, 5",  // tried: rest, ice, over-the-counter medication (ibuprofen)
      "",              // medications: none regularly
  };
  for (int i = 0; i < kScreeningQuestions; ++i) lines.push_back("n");
  const std::vector<std::string> rest = {
      // Trigger points in both quadriceps, moderate, referring to the front of the knee.
      "y",
      "5",
      "both",
      "2",
      "2",
      "1",
      "both",
      // Tight hip flexors on both sides, moderate, no referral.
      "y",
      "8",
      "both",
      "1",
      "2",
      "",
      "n",
      "kneel in the garden for an hour without pain",
      "",
      "",  // LEFS not taken
      "y",
      "Hazel Thornbury",
  };
  lines.insert(lines.end(), rest.begin(), rest.end());
  return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
}

class TabletE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("VELKNEE_TOKEN");
    therapist_token_file_ = clinic_.AddToken("therapist", "ana", "therapists/ana");
    desk_token_file_ = clinic_.AddToken("front_desk", "desk-e2e");
    port_ = clinic_.Start();
    ASSERT_NE(port_, 0) << clinic_.ServerLog();
  }

  // `velknee-tablet args...` as the therapist (or the holder of `token_file`).
  CommandResult Tablet(std::vector<std::string> args, const std::string& input = "",
                       const std::string& token_file = "") const {
    args.push_back(absl::StrCat("--target=127.0.0.1:", port_));
    args.push_back("--token_file=" + (token_file.empty() ? therapist_token_file_ : token_file));
    return clinic_.Tablet(args, input);
  }

  // Registers a client through the tablet's `clients add`; returns its resource name.
  std::string AddClient(const std::string& given, const std::string& family,
                        const std::string& phone) {
    const CommandResult added = Tablet({"clients", "add", "--json", "--given_name=" + given,
                                        "--family_name=" + family, "--phone=" + phone});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return ParseJson<Client>(added.out).name();
  }

  Assessment Show(const std::string& name) {
    const CommandResult shown = Tablet({"intake", "show", name, "--json"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    return ParseJson<Assessment>(shown.out);
  }

  ClinicProcess clinic_;
  std::string therapist_token_file_;
  std::string desk_token_file_;
  int port_ = 0;
};

// Issue 3: a gardener with bilateral anterior knee pain from kneeling, NPRS 6 (worst 8), tried
// rest, ice and ibuprofen, quadriceps trigger points referring to the knee, tight hip flexors,
// no conditions → CLEAR. Answers piped into the guided form.
TEST_F(TabletE2eTest, GardenerWithBilateralAnteriorKneePainFromKneelingIsClear) {
  const std::string client = AddClient("Hazel", "Thornbury", "+44 7700 900123");

  const CommandResult taken = Tablet({"intake", "new", "--client=" + client}, GardenerAnswers());
  ASSERT_EQ(taken.exit_code, 0) << taken.err << "\n" << taken.out;
  EXPECT_THAT(taken.err, IsEmpty());
  // The transcript shows each screening question in plain words with its answer.
  EXPECT_THAT(taken.out, AllOf(HasSubstr("Client: Hazel Thornbury"),
                               HasSubstr("History of deep vein thrombosis (DVT)? (y/n) n"),
                               HasSubstr("Takes blood thinners (e.g. warfarin) or has a bleeding "
                                         "disorder? (y/n) n"),
                               HasSubstr("Pregnant? (y/n) n")));
  EXPECT_THAT(LineWith(taken.out, "State:"), HasSubstr("draft"));
  const std::string hint = LineWith(taken.out, "intake submit ");
  ASSERT_THAT(hint, Not(IsEmpty())) << taken.out;
  const std::string name(absl::StripAsciiWhitespace(hint.substr(hint.find("intake submit ") + 14)));
  ASSERT_TRUE(absl::StartsWith(name, client + "/assessments/")) << name;

  const CommandResult submitted = Tablet({"intake", "submit", name});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  EXPECT_THAT(submitted.out, HasSubstr("Screening: CLEAR\n"));
  EXPECT_THAT(submitted.out, Not(HasSubstr("  - ")));  // no restriction lines

  const Assessment stored = Show(name);
  EXPECT_EQ(stored.state(), Assessment::STATE_SUBMITTED);
  EXPECT_EQ(stored.therapist(), "therapists/ana");
  EXPECT_EQ(stored.screening().disposition(), common::v1::DISPOSITION_CLEAR);
  ASSERT_THAT(stored.pain().regions(), SizeIs(1));
  EXPECT_EQ(stored.pain().regions(0).region(), common::v1::BODY_REGION_KNEE_ANTERIOR);
  EXPECT_EQ(stored.pain().regions(0).side(), common::v1::SIDE_BILATERAL);
  EXPECT_EQ(stored.pain().current(), 6);
  EXPECT_EQ(stored.pain().worst(), 8);
  EXPECT_THAT(stored.prior_care(),
              ElementsAre(intake::v1::PRIOR_CARE_REST, intake::v1::PRIOR_CARE_ICE,
                          intake::v1::PRIOR_CARE_OTC_MEDICATION));
  EXPECT_TRUE(stored.health_screen_completed());
  EXPECT_THAT(stored.conditions(), IsEmpty());
  ASSERT_THAT(stored.findings(), SizeIs(2));
  EXPECT_EQ(stored.findings(0).kind(), common::v1::MuscleFinding::KIND_TRIGGER_POINT);
  EXPECT_EQ(stored.findings(0).region().region(), common::v1::BODY_REGION_QUADRICEPS);
  EXPECT_EQ(stored.findings(0).refers_to().region(), common::v1::BODY_REGION_KNEE_ANTERIOR);
  EXPECT_EQ(stored.findings(1).kind(), common::v1::MuscleFinding::KIND_TIGHTNESS);
  EXPECT_EQ(stored.findings(1).region().region(), common::v1::BODY_REGION_HIP_FLEXORS);
  EXPECT_EQ(stored.consent().signer_name(), "Hazel Thornbury");

  // The text form of show ends with the same screening.
  const CommandResult shown = Tablet({"intake", "show", name});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Screening: CLEAR"));
  EXPECT_THAT(LineWith(shown.out, "Finding 1:"),
              AllOf(HasSubstr("trigger points"), HasSubstr("referring to front of the knee")));
}

// Issue 3: an office worker who sits all day, an "Ache behind the right knee" at NPRS 5, tight
// hamstrings and calves, takes warfarin → TREAT_WITH_PRECAUTIONS: no deep tissue anywhere, pressure
// at most moderate. Sent as proto JSON with --from-file and submitted in the same command.
TEST_F(TabletE2eTest, OfficeWorkerOnWarfarinIsTreatedWithPrecautions) {
  const std::string client = AddClient("Oskar", "Lindqvist", "020 7946 0958");
  const std::string form =
      WriteFile(clinic_.dir(), "office-worker.json", test::kOfficeWorkerIntakeJson);

  const CommandResult taken =
      Tablet({"intake", "new", "--client=" + client, "--from-file", form, "--submit"});
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  EXPECT_THAT(taken.err, IsEmpty());
  EXPECT_THAT(taken.out, HasSubstr("Screening: TREAT WITH PRECAUTIONS\n"));
  EXPECT_THAT(LineWith(taken.out, "No deep tissue anywhere"),
              AllOf(HasSubstr("  - "), HasSubstr("blood thinners")));
  EXPECT_THAT(LineWith(taken.out, "Pressure at most moderate"),
              AllOf(HasSubstr("  - "), HasSubstr("blood thinners")));

  // The list shows it, newest first, with its disposition.
  const CommandResult listed = Tablet({"intake", "list", "--client=" + client});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(LineWith(listed.out, client + "/assessments/"),
              AllOf(HasSubstr("submitted"), HasSubstr("therapists/ana"),
                    HasSubstr("TREAT WITH PRECAUTIONS"), HasSubstr("Ache behind the right knee")));

  const CommandResult listed_json = Tablet({"intake", "list", "--client=" + client, "--json"});
  ASSERT_EQ(listed_json.exit_code, 0) << listed_json.err;
  const auto page = ParseJson<intake::v1::ListAssessmentsResponse>(listed_json.out);
  ASSERT_THAT(page.assessments(), SizeIs(1));
  const common::v1::Screening& screening = page.assessments(0).screening();
  EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  ASSERT_THAT(screening.restrictions(), SizeIs(2));
  for (const common::v1::Restriction& restriction : screening.restrictions()) {
    EXPECT_EQ(restriction.condition(), common::v1::CONDITION_ANTICOAGULANT_USE);
  }
}

TEST_F(TabletE2eTest, SubmittingAnIncompleteDraftNamesEveryMissingItem) {
  const std::string client = AddClient("Wren", "Abernethy", "0113 496 0000");
  const std::string form = WriteFile(clinic_.dir(), "empty.json", "{}");
  const CommandResult created =
      Tablet({"intake", "new", "--client=" + client, "--from_file=" + form, "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const Assessment draft = ParseJson<Assessment>(created.out);

  const CommandResult submitted = Tablet({"intake", "submit", draft.name()});
  EXPECT_EQ(submitted.exit_code, 1);
  EXPECT_THAT(submitted.out, IsEmpty());
  EXPECT_EQ(LineCount(submitted.err), 1) << submitted.err;
  EXPECT_THAT(submitted.err,
              AllOf(HasSubstr("error: FAILED_PRECONDITION"), HasSubstr("chief complaint"),
                    HasSubstr("pain region"), HasSubstr("pain.current"), HasSubstr("health screen"),
                    HasSubstr("consent")));
  EXPECT_EQ(Show(draft.name()).state(), Assessment::STATE_DRAFT);
}

TEST_F(TabletE2eTest, FormEndingEarlyCreatesNothing) {
  const std::string client = AddClient("Ines", "Marlowe", "0117 496 0001");
  const std::string answers = GardenerAnswers();
  const CommandResult cut =
      Tablet({"intake", "new", "--client=" + client}, answers.substr(0, answers.size() / 2));
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_THAT(cut.err,
              AllOf(HasSubstr("before the form was complete"), HasSubstr("nothing was created")));
  const CommandResult listed = Tablet({"intake", "list", "--client=" + client});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("No assessments found."));
}

TEST_F(TabletE2eTest, FrontDeskCannotReadAssessments) {
  const std::string client = AddClient("Hazel", "Thornbury", "+44 7700 900123");
  const std::string form =
      WriteFile(clinic_.dir(), "office-worker.json", test::kOfficeWorkerIntakeJson);
  const CommandResult created =
      Tablet({"intake", "new", "--client=" + client, "--from_file=" + form, "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const Assessment draft = ParseJson<Assessment>(created.out);

  const CommandResult denied = Tablet({"intake", "show", draft.name()}, "", desk_token_file_);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("error: PERMISSION_DENIED"));
  EXPECT_THAT(denied.out, IsEmpty());
  // The office worker's intake names his warfarin.
  EXPECT_THAT(denied.out + denied.err, Not(HasSubstr("warfarin")));
}

// The corrected plan, answered in the guided form: myofascial release (light) on the
// hamstrings, trigger point (moderate) on the calves, every 14 days × 4.
std::string OfficeWorkerPlanAnswers() {
  const std::vector<std::string> lines = {
      "Sit through a working day without knee pain",
      "2",
      "",  // goal, target pain, no date
      "",  // no more goals
      "3",
      "6",
      "both",
      "1",
      "20",  // myofascial release, hamstrings, both, light, 20 min
      "2",
      "7",
      "both",
      "2",
      "15",  // trigger point, calf, both, moderate, 15 min
      "",    // no more techniques
      "14",
      "4",
      "45",  // every 14 days, 4 sessions, 45 minutes
      "y",
      "Seated hamstring stretch",
      "",
      "3",
      "1",
      "30",
      "7",
      "n",
  };
  return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
}

class TabletPlansE2eTest : public TabletE2eTest {
 protected:
  // Creates and submits an assessment from `json`; returns its resource name.
  std::string SubmittedAssessment(const std::string& client, const std::string& json) {
    return SubmittedIntakeFromFile(
               [this](std::vector<std::string> args) { return Tablet(std::move(args)); },
               clinic_.dir(), client, "client", json)
        .name();
  }
};

// Issue 4: the gardener's plan as a script sends it: trigger point (moderate, 20 min) on the
// quadriceps, myofascial release on the IT band, deep tissue on the hip flexors, weekly × 6
// sessions of 60 minutes, the goal "Kneel in the garden for an hour", home quadriceps and
// kneeling hip-flexor stretches.
TEST_F(TabletPlansE2eTest, GardenersPlanFromFileActivates) {
  const std::string client = AddClient("Hazel", "Thornbury", "+44 7700 900123");
  const std::string assessment = SubmittedAssessment(client, test::kGardenerIntakeJson);

  const CommandResult created =
      Tablet({"plan", "new", "--assessment=" + assessment, "--from-file",
              WriteFile(clinic_.dir(), "gardener-plan.json", test::kGardenerPlanJson), "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const TreatmentPlan draft = ParseJson<TreatmentPlan>(created.out);
  EXPECT_TRUE(absl::StartsWith(draft.name(), client + "/plans/")) << draft.name();
  EXPECT_EQ(draft.assessment(), assessment);
  EXPECT_EQ(draft.state(), TreatmentPlan::STATE_DRAFT);
  EXPECT_EQ(draft.screening().disposition(), common::v1::DISPOSITION_CLEAR);

  const CommandResult activated =
      Tablet({"plan", "activate", draft.name(), "--etag=" + draft.etag()});
  ASSERT_EQ(activated.exit_code, 0) << activated.err;
  EXPECT_THAT(LineWith(activated.out, "State:"), HasSubstr("active"));

  const CommandResult shown = Tablet({"plan", "show", draft.name()});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(LineWith(shown.out, "Technique 1:"),
              AllOf(HasSubstr("trigger point therapy on quadriceps"), HasSubstr("both sides"),
                    HasSubstr("moderate pressure"), HasSubstr("20 min")));
  EXPECT_THAT(LineWith(shown.out, "Technique 2:"), HasSubstr("myofascial release on IT band"));
  EXPECT_THAT(LineWith(shown.out, "Technique 3:"), HasSubstr("deep tissue on hip flexors"));
  EXPECT_THAT(LineWith(shown.out, "Cadence:"), HasSubstr("weekly, 6 sessions of 60 minutes"));
  EXPECT_THAT(LineWith(shown.out, "Home care 1:"), HasSubstr("Quadriceps stretch"));
  EXPECT_THAT(LineWith(shown.out, "Home care 2:"), HasSubstr("Kneeling hip-flexor stretch"));
  EXPECT_THAT(shown.out, HasSubstr("Screening: CLEAR"));

  const CommandResult listed = Tablet({"plan", "list", "--client=" + client, "--state=active"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(LineWith(listed.out, draft.name()),
              AllOf(HasSubstr("active"), HasSubstr("weekly"), HasSubstr("Kneel in the garden")));
  const CommandResult drafts = Tablet({"plan", "list", "--client=" + client, "--state=draft"});
  ASSERT_EQ(drafts.exit_code, 0) << drafts.err;
  EXPECT_THAT(drafts.out, HasSubstr("No plans found."));
}

TEST_F(TabletPlansE2eTest,
       OfficeWorkersDeepTissueIsRefusedNamingBloodThinnersThenTheCorrectedPlanActivates) {
  const std::string client = AddClient("Oskar", "Lindqvist", "020 7946 0958");
  const std::string assessment = SubmittedAssessment(client, test::kOfficeWorkerIntakeJson);

  // His first plan: deep tissue with deep pressure on the hamstrings, its only technique.
  const CommandResult refused =
      Tablet({"plan", "new", "--assessment=" + assessment,
              "--from_file=" +
                  WriteFile(clinic_.dir(), "deep.json", test::kOfficeWorkerDeepTissuePlanJson)});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.out, IsEmpty());
  // One error block: the error line first, then each blocked technique next to its rule.
  EXPECT_THAT(refused.err, StartsWith("error: FAILED_PRECONDITION: the plan breaks the client's "
                                      "screening restrictions\n"));
  EXPECT_THAT(LineWith(refused.err, "No deep tissue anywhere"),
              AllOf(StartsWith("  techniques[0] deep tissue on hamstrings (back of the thigh), "
                               "both sides, deep pressure \xE2\x80\x94 blocked by: "),
                    HasSubstr("client takes blood thinners")));
  EXPECT_THAT(LineWith(refused.err, "Pressure at most moderate"),
              HasSubstr("blocked by: Pressure at most moderate: client takes blood thinners"));
  EXPECT_EQ(LineCount(refused.err), 3) << refused.err;
  const CommandResult none = Tablet({"plan", "list", "--client=" + client});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_THAT(none.out, HasSubstr("No plans found."));

  // The guided form prints the screening first, then takes the corrected plan.
  const CommandResult created =
      Tablet({"plan", "new", "--assessment=" + assessment}, OfficeWorkerPlanAnswers());
  ASSERT_EQ(created.exit_code, 0) << created.err << "\n" << created.out;
  const size_t screening = created.out.find("Screening: TREAT WITH PRECAUTIONS");
  const size_t first_question = created.out.find("Goal, in plain words:");
  ASSERT_NE(screening, std::string::npos) << created.out;
  EXPECT_LT(screening, first_question);
  EXPECT_THAT(created.out, HasSubstr("  - No deep tissue anywhere: client takes blood thinners"));
  const std::string hint = LineWith(created.out, "plan activate ");
  ASSERT_THAT(hint, Not(IsEmpty())) << created.out;
  const std::string name(absl::StripAsciiWhitespace(hint.substr(hint.find("plan activate ") + 14)));

  const CommandResult activated = Tablet({"plan", "activate", name, "--json"});
  ASSERT_EQ(activated.exit_code, 0) << activated.err;
  const TreatmentPlan active = ParseJson<TreatmentPlan>(activated.out);
  EXPECT_EQ(active.state(), TreatmentPlan::STATE_ACTIVE);
  ASSERT_THAT(active.techniques(), SizeIs(2));
  EXPECT_EQ(active.techniques(0).technique(), common::v1::TECHNIQUE_MYOFASCIAL_RELEASE);
  EXPECT_EQ(active.techniques(0).pressure(), common::v1::PRESSURE_LIGHT);
  EXPECT_EQ(active.techniques(1).technique(), common::v1::TECHNIQUE_TRIGGER_POINT);
  EXPECT_EQ(active.techniques(1).pressure(), common::v1::PRESSURE_MODERATE);
  EXPECT_EQ(active.cadence().interval_days(), 14);
  EXPECT_EQ(active.cadence().planned_sessions(), 4);

  // Ending it: discontinue needs a reason, and the reason is kept.
  const CommandResult no_reason = Tablet({"plan", "discontinue", name});
  EXPECT_EQ(no_reason.exit_code, 2);
  const CommandResult stopped =
      Tablet({"plan", "discontinue", name, "--reason=client moved away", "--json"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(ParseJson<TreatmentPlan>(stopped.out).end_reason(), "client moved away");
}

TEST_F(TabletPlansE2eTest, FrontDeskCannotReadPlans) {
  const std::string client = AddClient("Hazel", "Thornbury", "+44 7700 900123");
  const std::string assessment = SubmittedAssessment(client, test::kGardenerIntakeJson);
  const CommandResult created = Tablet(
      {"plan", "new", "--assessment=" + assessment,
       "--from_file=" + WriteFile(clinic_.dir(), "gardener-plan.json", test::kGardenerPlanJson),
       "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const TreatmentPlan draft = ParseJson<TreatmentPlan>(created.out);

  const CommandResult denied = Tablet({"plan", "show", draft.name()}, "", desk_token_file_);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, StartsWith("error: PERMISSION_DENIED"));
  EXPECT_EQ(LineCount(denied.err), 1) << denied.err;
  EXPECT_THAT(denied.out, IsEmpty());
  // The plan's first home care exercise.
  EXPECT_THAT(denied.out + denied.err, Not(HasSubstr("Quadriceps stretch")));
}

}  // namespace
}  // namespace velknee
