#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/screening/screen_assessment.h"
#include "common/screening/screening_rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/proto_builders.h"

namespace velknee {
namespace {

using common::v1::Condition;
using common::v1::Disposition;
using common::v1::Restriction;
using common::v1::Screening;
using intake::v1::Assessment;
using test::DateOf;
using test::Flag;
using test::Where;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const absl::CivilDay kAssessmentDay(2026, 11, 24);

Assessment WithConditions(std::vector<intake::v1::ConditionFlag> flags) {
  Assessment assessment;
  for (intake::v1::ConditionFlag& flag : flags) *assessment.add_conditions() = std::move(flag);
  return assessment;
}

void Clear(Assessment& assessment) {
  assessment.mutable_medical_clearance()->set_cleared_by("Dr. Invented GP");
  *assessment.mutable_medical_clearance()->mutable_clearance_date() = DateOf(2026, 11, 20);
}

// One line per restriction, readable in failure messages:
// "DEEP_TISSUE on * at most -" = no deep tissue anywhere.
std::vector<std::string> Describe(const Screening& screening) {
  std::vector<std::string> lines;
  for (const Restriction& r : screening.restrictions()) {
    std::string regions;
    for (const auto& region : r.regions()) {
      absl::StrAppend(&regions, regions.empty() ? "" : ",",
                      common::v1::BodyRegion_Name(region.region()).substr(12), "/",
                      common::v1::Side_Name(region.side()).substr(5));
    }
    lines.push_back(absl::StrCat(common::v1::Condition_Name(r.condition()).substr(10), ": ",
                                 r.technique() == common::v1::TECHNIQUE_UNSPECIFIED
                                     ? "ANY"
                                     : common::v1::Technique_Name(r.technique()).substr(10),
                                 " on ", regions.empty() ? "*" : regions, " at most ",
                                 r.max_pressure() == common::v1::PRESSURE_UNSPECIFIED
                                     ? "-"
                                     : common::v1::Pressure_Name(r.max_pressure()).substr(9)));
  }
  return lines;
}

TEST(ScreeningTest, NoConditionsIsClear) {
  const Screening screening = ScreenAssessment(Assessment(), kAssessmentDay);
  EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_CLEAR);
  EXPECT_THAT(screening.restrictions(), IsEmpty());
}

TEST(ScreeningTest, EachRedFlagRefersOutAndIsListed) {
  for (Condition red_flag :
       {common::v1::CONDITION_DVT_HISTORY, common::v1::CONDITION_FEVER_OR_INFECTION,
        common::v1::CONDITION_UNABLE_TO_BEAR_WEIGHT,
        common::v1::CONDITION_RECENT_TRAUMA_OR_FRACTURE,
        common::v1::CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS}) {
    const Screening screening = ScreenAssessment(WithConditions({Flag(red_flag)}), kAssessmentDay);
    EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_REFER_OUT)
        << Condition_Name(red_flag);
    EXPECT_THAT(screening.refer_out_conditions(), ElementsAre(red_flag));
    EXPECT_THAT(screening.restrictions(), IsEmpty());
  }
}

TEST(ScreeningTest, ClearedDvtIsTreatedWithoutDeepTissueOnTheLegs) {
  Assessment assessment =
      WithConditions({Flag(common::v1::CONDITION_DVT_HISTORY,
                           {Where(common::v1::BODY_REGION_CALF, common::v1::SIDE_LEFT)})});
  Clear(assessment);
  const Screening screening = ScreenAssessment(assessment, kAssessmentDay);
  EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(screening.refer_out_conditions(), IsEmpty());
  ASSERT_EQ(screening.restrictions_size(), 1);
  const Restriction& r = screening.restrictions(0);
  EXPECT_EQ(r.technique(), common::v1::TECHNIQUE_DEEP_TISSUE);
  EXPECT_EQ(r.max_pressure(), common::v1::PRESSURE_UNSPECIFIED);
  EXPECT_EQ(r.regions(0).region(), common::v1::BODY_REGION_CALF);  // The flagged region first.
  EXPECT_EQ(r.regions(0).side(), common::v1::SIDE_LEFT);
  EXPECT_EQ(r.regions_size(), 1 + static_cast<int>(LowerLimbRegions().size()));
  EXPECT_THAT(r.rationale(), HasSubstr("deep vein thrombosis"));
}

TEST(ScreeningTest, ClearedFeverKeepsPrecautionsWithoutRestrictions) {
  Assessment assessment = WithConditions({Flag(common::v1::CONDITION_FEVER_OR_INFECTION)});
  Clear(assessment);
  const Screening screening = ScreenAssessment(assessment, kAssessmentDay);
  EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(screening.restrictions(), IsEmpty());
}

TEST(ScreeningTest, AClearanceWithoutADateDoesNotCount) {
  Assessment assessment = WithConditions({Flag(common::v1::CONDITION_UNABLE_TO_BEAR_WEIGHT)});
  assessment.mutable_medical_clearance()->set_cleared_by("Dr. Invented GP");
  EXPECT_EQ(ScreenAssessment(assessment, kAssessmentDay).disposition(),
            common::v1::DISPOSITION_REFER_OUT);
}

TEST(ScreeningTest, AnticoagulantsMeanNoDeepTissueAnywhereAndModeratePressure) {
  const Screening screening = ScreenAssessment(
      WithConditions({Flag(common::v1::CONDITION_ANTICOAGULANT_USE)}), kAssessmentDay);
  EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(Describe(screening), ElementsAre("ANTICOAGULANT_USE: DEEP_TISSUE on * at most -",
                                               "ANTICOAGULANT_USE: ANY on * at most MODERATE"));
  EXPECT_EQ(screening.restrictions(0).rationale(),
            "No deep tissue anywhere: client takes blood thinners (bruising risk)");
  EXPECT_EQ(screening.restrictions(1).rationale(),
            "Pressure at most moderate: client takes blood thinners (bruising risk)");
}

TEST(ScreeningTest, InflammationAndWoundsForbidEveryTechniqueOnTheFlaggedRegions) {
  const auto knee = Where(common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::SIDE_RIGHT);
  for (Condition local : {common::v1::CONDITION_ACUTE_INFLAMMATION,
                          common::v1::CONDITION_OPEN_WOUND_OR_SKIN_CONDITION}) {
    const Screening screening =
        ScreenAssessment(WithConditions({Flag(local, {knee})}), kAssessmentDay);
    EXPECT_EQ(screening.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
    EXPECT_THAT(Describe(screening),
                ElementsAre(absl::StrCat(Condition_Name(local).substr(10),
                                         ": ANY on KNEE_ANTERIOR/RIGHT at most -")));
  }
}

TEST(ScreeningTest, SurgeryCountsOnlyWithinSixWeeksOfTheAssessment) {
  const auto knee = Where(common::v1::BODY_REGION_KNEE_MEDIAL, common::v1::SIDE_LEFT);
  auto surgery_on = [&](google::type::Date since) {
    intake::v1::ConditionFlag flag = Flag(common::v1::CONDITION_RECENT_SURGERY, {knee});
    *flag.mutable_since() = since;
    return ScreenAssessment(WithConditions({flag}), kAssessmentDay);
  };
  const Screening five_weeks_six_days = surgery_on(DateOf(2026, 10, 14));  // 41 days before.
  EXPECT_EQ(five_weeks_six_days.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(Describe(five_weeks_six_days),
              ElementsAre("RECENT_SURGERY: ANY on KNEE_MEDIAL/LEFT at most -"));
  const Screening six_weeks = surgery_on(DateOf(2026, 10, 13));  // 42 days before.
  EXPECT_EQ(six_weeks.disposition(), common::v1::DISPOSITION_CLEAR);
  EXPECT_THAT(six_weeks.restrictions(), IsEmpty());
  // Without a date the surgery is taken to be recent: the safe reading.
  const Screening undated = ScreenAssessment(
      WithConditions({Flag(common::v1::CONDITION_RECENT_SURGERY, {knee})}), kAssessmentDay);
  EXPECT_EQ(undated.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
}

TEST(ScreeningTest, OsteoporosisAndCancerTreatmentMeanNoDeepTissueAndModeratePressure) {
  for (Condition condition :
       {common::v1::CONDITION_OSTEOPOROSIS, common::v1::CONDITION_CANCER_TREATMENT}) {
    const std::string name = Condition_Name(condition).substr(10);
    EXPECT_THAT(
        Describe(ScreenAssessment(WithConditions({Flag(condition)}), kAssessmentDay)),
        ElementsAre(name + ": DEEP_TISSUE on * at most -", name + ": ANY on * at most MODERATE"));
  }
}

TEST(ScreeningTest, NeuropathyCapsPressureOnly) {
  EXPECT_THAT(
      Describe(ScreenAssessment(WithConditions({Flag(common::v1::CONDITION_PERIPHERAL_NEUROPATHY)}),
                                kAssessmentDay)),
      ElementsAre("PERIPHERAL_NEUROPATHY: ANY on * at most MODERATE"));
}

TEST(ScreeningTest, VaricoseVeinsForbidDeepTissueOnTheFlaggedRegions) {
  EXPECT_THAT(
      Describe(ScreenAssessment(
          WithConditions({Flag(common::v1::CONDITION_VARICOSE_VEINS,
                               {Where(common::v1::BODY_REGION_CALF, common::v1::SIDE_RIGHT)})}),
          kAssessmentDay)),
      ElementsAre("VARICOSE_VEINS: DEEP_TISSUE on CALF/RIGHT at most -"));
}

TEST(ScreeningTest, PregnancyForbidsDeepTissueOnBothCalves) {
  EXPECT_THAT(Describe(ScreenAssessment(WithConditions({Flag(common::v1::CONDITION_PREGNANCY)}),
                                        kAssessmentDay)),
              ElementsAre("PREGNANCY: DEEP_TISSUE on CALF/BILATERAL at most -"));
}

TEST(ScreeningTest, WorstDispositionWinsAndRestrictionsAddUp) {
  const Screening precautions =
      ScreenAssessment(WithConditions({Flag(common::v1::CONDITION_PREGNANCY),
                                       Flag(common::v1::CONDITION_PERIPHERAL_NEUROPATHY)}),
                       kAssessmentDay);
  EXPECT_EQ(precautions.disposition(), common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  EXPECT_THAT(Describe(precautions),
              UnorderedElementsAre("PREGNANCY: DEEP_TISSUE on CALF/BILATERAL at most -",
                                   "PERIPHERAL_NEUROPATHY: ANY on * at most MODERATE"));

  const Screening refer =
      ScreenAssessment(WithConditions({Flag(common::v1::CONDITION_ANTICOAGULANT_USE),
                                       Flag(common::v1::CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS)}),
                       kAssessmentDay);
  EXPECT_EQ(refer.disposition(), common::v1::DISPOSITION_REFER_OUT);
  EXPECT_THAT(refer.refer_out_conditions(),
              ElementsAre(common::v1::CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS));
}

TEST(ScreeningRulesTest, EveryConditionHasExactlyOneRuleWithRationales) {
  for (int value = common::v1::Condition_MIN + 1; value <= common::v1::Condition_MAX; ++value) {
    if (!common::v1::Condition_IsValid(value)) continue;
    const auto condition = static_cast<Condition>(value);
    const ScreeningRule* rule = FindScreeningRule(condition);
    ASSERT_NE(rule, nullptr) << Condition_Name(condition);
    int rules_for_condition = 0;
    for (const ScreeningRule& other : ScreeningRules()) {
      rules_for_condition += other.condition == condition;
    }
    EXPECT_EQ(rules_for_condition, 1) << Condition_Name(condition);
    for (const auto* restrictions : {&rule->restrictions, &rule->cleared_restrictions}) {
      for (const RestrictionRule& restriction : *restrictions) {
        EXPECT_FALSE(restriction.rationale.empty()) << Condition_Name(condition);
      }
    }
    EXPECT_NE(ConditionInPlainWords(condition), "unspecified condition");
  }
}

}  // namespace
}  // namespace velknee
