#include "clients/cli/intake_form.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/plain_words.h"
#include "clients/cli/prompter.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace velknee::cli {
namespace {

using common::v1::Region;
using intake::v1::Assessment;
using test::IsOk;
using test::IsOkAndHolds;
using test::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

google::type::Date Today() {
  google::type::Date date;
  date.set_year(2024);
  date.set_month(6);
  date.set_day(3);
  return date;
}

std::vector<std::string> NoToEveryCondition() {
  return std::vector<std::string>(AllConditions().size(), "n");
}

// The answers up to the health screen for an invented gardener with
// bilateral anterior knee pain from kneeling.
// One answer (or one finding) per line, as the form asks them.
// clang-format off
std::vector<std::string> GardenerUpToScreen() {
  return {
      "Pain at the front of both knees after kneeling in the garden",
      "1",           // front of the knee
      "both",
      "6",           // now
      "8",           // worst
      "",            // least: skipped
      "g",           // gradually
      "2024-04-15",
      "kneeling", "",                    // worse with
      "rest", "",                        // better with
      "1, 2 5",                          // rest, ice, OTC medication
      "ibuprofen 400 mg as needed", "",  // medications
  };
}

std::vector<std::string> GardenerAfterScreen() {
  return {
      "y", "5", "3", "2", "2", "1", "3",  // quadriceps trigger points -> knee
      "y", "8", "3", "1", "2", "",        // tight hip flexors, no referral
      "n",
      "kneel in the garden for an hour", "",
      "",                                 // LEFS not taken
      "y", "Hazel Thornbury",
  };
}
// clang-format on

std::string Lines(const std::vector<std::vector<std::string>>& parts) {
  std::string text;
  for (const auto& part : parts) {
    for (const std::string& line : part) absl::StrAppend(&text, line, "\n");
  }
  return text;
}

class IntakeFormTest : public ::testing::Test {
 protected:
  absl::StatusOr<Assessment> Take(const std::string& answers) {
    in_.clear();  // A previous form may have read to the end.
    in_.str(answers);
    Prompter prompter(in_, out_);
    return TakeIntakeForm(prompter, Today());
  }

  std::istringstream in_;
  std::ostringstream out_;
};

Region MakeRegion(common::v1::BodyRegion body, common::v1::Side side) {
  Region region;
  region.set_region(body);
  region.set_side(side);
  return region;
}

MATCHER_P(EqualsProto, expected, "") {
  return google::protobuf::util::MessageDifferencer::Equals(arg, expected);
}

TEST_F(IntakeFormTest, GardenerAnswersMakeTheAssessment) {
  absl::StatusOr<Assessment> assessment =
      Take(Lines({GardenerUpToScreen(), NoToEveryCondition(), GardenerAfterScreen()}));
  ASSERT_THAT(assessment, IsOk()) << out_.str();

  EXPECT_EQ(assessment->chief_complaint(),
            "Pain at the front of both knees after kneeling in the garden");
  const intake::v1::Pain& pain = assessment->pain();
  EXPECT_THAT(pain.regions(),
              ElementsAre(EqualsProto(
                  MakeRegion(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_BILATERAL))));
  EXPECT_EQ(pain.current(), 6);
  EXPECT_EQ(pain.worst(), 8);
  EXPECT_FALSE(pain.has_best());
  EXPECT_EQ(pain.onset(), intake::v1::Pain::ONSET_GRADUAL);
  EXPECT_EQ(pain.onset_date().month(), 4);
  EXPECT_THAT(pain.aggravating_activities(), ElementsAre("kneeling"));
  EXPECT_THAT(pain.easing_factors(), ElementsAre("rest"));
  EXPECT_THAT(assessment->prior_care(),
              ElementsAre(intake::v1::PRIOR_CARE_REST, intake::v1::PRIOR_CARE_ICE,
                          intake::v1::PRIOR_CARE_OTC_MEDICATION));
  EXPECT_THAT(assessment->medications(), ElementsAre("ibuprofen 400 mg as needed"));
  EXPECT_TRUE(assessment->health_screen_completed());
  EXPECT_THAT(assessment->conditions(), IsEmpty());
  EXPECT_FALSE(assessment->has_medical_clearance());

  ASSERT_THAT(assessment->findings(), SizeIs(2));
  const common::v1::MuscleFinding& trigger = assessment->findings(0);
  EXPECT_THAT(trigger.region(), EqualsProto(MakeRegion(common::v1::BODY_REGION_QUADRICEPS,
                                                       common::v1::SIDE_BILATERAL)));
  EXPECT_EQ(trigger.kind(), common::v1::MuscleFinding::KIND_TRIGGER_POINT);
  EXPECT_EQ(trigger.severity(), 2);
  EXPECT_THAT(trigger.refers_to(), EqualsProto(MakeRegion(common::v1::BODY_REGION_KNEE_ANTERIOR,
                                                          common::v1::SIDE_BILATERAL)));
  const common::v1::MuscleFinding& tight = assessment->findings(1);
  EXPECT_EQ(tight.region().region(), common::v1::BODY_REGION_HIP_FLEXORS);
  EXPECT_EQ(tight.kind(), common::v1::MuscleFinding::KIND_TIGHTNESS);
  EXPECT_FALSE(tight.has_refers_to());

  EXPECT_THAT(assessment->goals(), ElementsAre("kneel in the garden for an hour"));
  EXPECT_FALSE(assessment->has_lefs_score());
  EXPECT_TRUE(assessment->consent().informed_consent());
  EXPECT_EQ(assessment->consent().signer_name(), "Hazel Thornbury");
}

TEST_F(IntakeFormTest, AsksEveryScreeningConditionInPlainWords) {
  ASSERT_THAT(Take(Lines({GardenerUpToScreen(), NoToEveryCondition(), GardenerAfterScreen()})),
              IsOk());
  for (common::v1::Condition condition : AllConditions()) {
    EXPECT_THAT(out_.str(), HasSubstr(absl::StrCat(ConditionQuestion(condition), " (y/n)")));
  }
  EXPECT_THAT(out_.str(), HasSubstr("History of deep vein thrombosis (DVT)?"));
  // No red flag: no clearance question.
  EXPECT_THAT(out_.str(), Not(HasSubstr("cleared")));
}

TEST_F(IntakeFormTest, BadAnswersAreExplainedAndAskedAgain) {
  std::vector<std::string> answers = GardenerUpToScreen();
  // Pain now: out of range, then not a number, then right.
  answers.insert(answers.begin() + 3, {"11", "six"});
  // Worst below the pain now.
  answers.insert(answers.begin() + 6, "3");
  absl::StatusOr<Assessment> assessment =
      Take(Lines({answers, NoToEveryCondition(), GardenerAfterScreen()}));
  ASSERT_THAT(assessment, IsOk()) << out_.str();
  EXPECT_EQ(assessment->pain().current(), 6);
  EXPECT_EQ(assessment->pain().worst(), 8);
  EXPECT_THAT(out_.str(), HasSubstr("  answer with a whole number from 0 to 10\n"));
  EXPECT_THAT(out_.str(), HasSubstr("  answer with a whole number from 6 to 10, or leave "
                                    "it empty\n"));
}

TEST_F(IntakeFormTest, StopsAfterFiveBadAnswersToOneQuestion) {
  absl::StatusOr<Assessment> assessment =
      Take(Lines({{"Sore knee", "1", "left", "11", "x", "-1", "99", "ten", "5"}}));
  EXPECT_THAT(assessment,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("5 answers to \"Pain now")));
}

TEST_F(IntakeFormTest, EndOfInputMidFormIsAnError) {
  absl::StatusOr<Assessment> assessment = Take(Lines({{"Sore knee", "1", "left"}}));
  EXPECT_THAT(assessment, StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("Pain now")));
  // Also in the middle of a list.
  std::vector<std::string> cut = GardenerUpToScreen();
  cut.resize(9);  // "kneeling" without the empty line that ends the list
  EXPECT_THAT(Take(Lines({cut})),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("end a list with an empty line")));
}

TEST_F(IntakeFormTest, RecordsConditionsWithRegionsDatesAndClearance) {
  std::vector<std::string> screen;
  for (common::v1::Condition condition : AllConditions()) {
    switch (condition) {
      case common::v1::CONDITION_DVT_HISTORY:
        // Yes; regions optional for DVT: skipped.
        screen.insert(screen.end(), {"y", "", "left calf clot in 2019"});
        break;
      case common::v1::CONDITION_ANTICOAGULANT_USE:
        screen.insert(screen.end(), {"yes", "warfarin"});
        break;
      case common::v1::CONDITION_RECENT_SURGERY:
        // Regions are required: an empty answer is refused. The date may not
        // be in the future.
        screen.insert(screen.end(), {"y", "", "4", "r", "2024-07-01", "2024-05-20", "arthroscopy"});
        break;
      default:
        screen.push_back("n");
    }
  }
  std::vector<std::string> clearance = {"y", "Dr. Imaginary Vale, GP", "2024-05-30"};
  absl::StatusOr<Assessment> assessment =
      Take(Lines({GardenerUpToScreen(), screen, clearance, GardenerAfterScreen()}));
  ASSERT_THAT(assessment, IsOk()) << out_.str();

  ASSERT_THAT(assessment->conditions(), SizeIs(3));
  EXPECT_EQ(assessment->conditions(0).condition(), common::v1::CONDITION_DVT_HISTORY);
  EXPECT_THAT(assessment->conditions(0).regions(), IsEmpty());
  EXPECT_EQ(assessment->conditions(1).condition(), common::v1::CONDITION_ANTICOAGULANT_USE);
  EXPECT_EQ(assessment->conditions(1).details(), "warfarin");
  const intake::v1::ConditionFlag& surgery = assessment->conditions(2);
  EXPECT_EQ(surgery.condition(), common::v1::CONDITION_RECENT_SURGERY);
  EXPECT_THAT(surgery.regions(),
              ElementsAre(EqualsProto(
                  MakeRegion(common::v1::BODY_REGION_KNEE_LATERAL, common::v1::SIDE_RIGHT))));
  EXPECT_EQ(surgery.since().month(), 5);
  EXPECT_EQ(surgery.since().day(), 20);
  EXPECT_THAT(out_.str(), HasSubstr("at least one is needed"));
  EXPECT_THAT(out_.str(), HasSubstr("the latest date allowed is 2024-06-03"));
  EXPECT_THAT(out_.str(), HasSubstr("Red flag: history of deep vein thrombosis (DVT)"));
  EXPECT_EQ(assessment->medical_clearance().cleared_by(), "Dr. Imaginary Vale, GP");
  EXPECT_EQ(assessment->medical_clearance().clearance_date().day(), 30);
  EXPECT_TRUE(assessment->health_screen_completed());
}

TEST(PrompterTest, SeveralChoicesTakeNumbersAndWordsOnceEach) {
  std::istringstream in("3, left 1 3\n");
  std::ostringstream out;
  Prompter prompter(in, out);
  const std::vector<Choice> choices = {
      {10, "left", {"l"}}, {20, "right", {"r"}}, {30, "both sides", {"both"}}};
  EXPECT_THAT(prompter.AskSeveral("Which?", choices, Blank::kNotAllowed),
              IsOkAndHolds(ElementsAre(30, 10)));
  EXPECT_EQ(out.str(),
            "Which?\n  1 left         2 right        3 both sides\n"
            "Numbers, separated by commas: ");
}

TEST(PrompterTest, EchoesPipedAnswersWhenAsked) {
  std::istringstream in("y\n");
  std::ostringstream out;
  Prompter prompter(in, out, /*echo_answers=*/true);
  EXPECT_THAT(prompter.AskYesNo("Pregnant?"), IsOkAndHolds(true));
  EXPECT_EQ(out.str(), "Pregnant? (y/n) y\n");
}

TEST(PrompterTest, ListItemsOverTheLimitAreRefused) {
  std::istringstream in(absl::StrCat(std::string(201, 'a'), "\nstairs\n\n"));
  std::ostringstream out;
  Prompter prompter(in, out);
  EXPECT_THAT(prompter.AskList("Worse with?", 200, 50), IsOkAndHolds(ElementsAre("stairs")));
  EXPECT_THAT(out.str(), HasSubstr("too long: at most 200 characters"));
}

}  // namespace
}  // namespace velknee::cli
