#include "clients/cli/plain_words.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace velknee::cli {
namespace {

using common::v1::Restriction;
using common::v1::Screening;
using ::testing::HasSubstr;
using ::testing::Not;

Restriction MakeRestriction(common::v1::Condition condition, common::v1::Technique technique,
                            common::v1::Pressure max_pressure, std::string rationale = "") {
  Restriction restriction;
  restriction.set_condition(condition);
  restriction.set_technique(technique);
  restriction.set_max_pressure(max_pressure);
  restriction.set_rationale(std::move(rationale));
  return restriction;
}

TEST(PlainWordsTest, PrecautionsPrintEachRationaleAsTheServerWroteIt) {
  Screening screening;
  screening.set_disposition(common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  *screening.add_restrictions() =
      MakeRestriction(common::v1::CONDITION_ANTICOAGULANT_USE, common::v1::TECHNIQUE_DEEP_TISSUE,
                      common::v1::PRESSURE_UNSPECIFIED,
                      "No deep tissue anywhere: client takes blood thinners (bruising risk)");
  *screening.add_restrictions() =
      MakeRestriction(common::v1::CONDITION_ANTICOAGULANT_USE, common::v1::TECHNIQUE_UNSPECIFIED,
                      common::v1::PRESSURE_MODERATE,
                      "Pressure at most moderate: client takes blood thinners (bruising "
                      "risk)");
  EXPECT_EQ(ScreeningInPlainWords(screening),
            "Screening: TREAT WITH PRECAUTIONS\n"
            "  - No deep tissue anywhere: client takes blood thinners "
            "(bruising risk)\n"
            "  - Pressure at most moderate: client takes blood thinners "
            "(bruising risk)\n");
}

TEST(PlainWordsTest, RestrictionWithoutRationaleGetsASentenceFromItsFields) {
  EXPECT_EQ(RestrictionInPlainWords(MakeRestriction(common::v1::CONDITION_ANTICOAGULANT_USE,
                                                    common::v1::TECHNIQUE_DEEP_TISSUE,
                                                    common::v1::PRESSURE_UNSPECIFIED)),
            "No deep tissue anywhere: takes blood thinners (anticoagulants)");
  EXPECT_EQ(RestrictionInPlainWords(MakeRestriction(common::v1::CONDITION_PERIPHERAL_NEUROPATHY,
                                                    common::v1::TECHNIQUE_UNSPECIFIED,
                                                    common::v1::PRESSURE_MODERATE)),
            "Pressure at most moderate: peripheral neuropathy");

  Restriction wound =
      MakeRestriction(common::v1::CONDITION_OPEN_WOUND_OR_SKIN_CONDITION,
                      common::v1::TECHNIQUE_UNSPECIFIED, common::v1::PRESSURE_UNSPECIFIED);
  common::v1::Region* shin = wound.add_regions();
  shin->set_region(common::v1::BODY_REGION_CALF);
  shin->set_side(common::v1::SIDE_LEFT);
  EXPECT_EQ(RestrictionInPlainWords(wound),
            "No treatment on calf, left: open wound or skin condition");

  EXPECT_EQ(RestrictionInPlainWords(MakeRestriction(common::v1::CONDITION_OSTEOPOROSIS,
                                                    common::v1::TECHNIQUE_TRIGGER_POINT,
                                                    common::v1::PRESSURE_LIGHT)),
            "Trigger point therapy at most light pressure: osteoporosis");
}

TEST(PlainWordsTest, ReferOutNamesTheRedFlagsAndThePhysician) {
  Screening screening;
  screening.set_disposition(common::v1::DISPOSITION_REFER_OUT);
  screening.add_refer_out_conditions(common::v1::CONDITION_DVT_HISTORY);
  screening.add_refer_out_conditions(common::v1::CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS);
  const std::string text = ScreeningInPlainWords(screening);
  EXPECT_THAT(text, HasSubstr("Screening: REFER OUT\n"));
  EXPECT_THAT(text, HasSubstr("Refer to a physician before treatment"));
  EXPECT_THAT(text, HasSubstr("  - history of deep vein thrombosis (DVT)\n"));
  EXPECT_THAT(text, HasSubstr("  - night pain or unexplained weight loss\n"));
}

TEST(PlainWordsTest, ClearSaysSo) {
  Screening screening;
  screening.set_disposition(common::v1::DISPOSITION_CLEAR);
  EXPECT_EQ(ScreeningInPlainWords(screening),
            "Screening: CLEAR\n"
            "  No contraindications found: treat as planned.\n");
}

TEST(PlainWordsTest, EveryEnumValueHasWords) {
  for (auto region : AllBodyRegions()) {
    EXPECT_NE(BodyRegionInPlainWords(region), "unspecified") << region;
  }
  for (auto side : AllSides()) {
    EXPECT_NE(SideInPlainWords(side), "unspecified") << side;
  }
  for (auto care : AllPriorCare()) {
    EXPECT_NE(PriorCareInPlainWords(care), "unspecified") << care;
  }
  for (auto kind : AllFindingKinds()) {
    EXPECT_NE(FindingKindInPlainWords(kind), "unspecified") << kind;
  }
  for (int t = 1; t <= common::v1::Technique_MAX; ++t) {
    EXPECT_NE(TechniqueInPlainWords(static_cast<common::v1::Technique>(t)), "unspecified");
  }
  for (int p = 1; p <= common::v1::Pressure_MAX; ++p) {
    EXPECT_NE(PressureInPlainWords(static_cast<common::v1::Pressure>(p)), "unspecified");
  }
  EXPECT_EQ(AllConditions().size(), 14u);
  for (auto condition : AllConditions()) {
    EXPECT_NE(ConditionInPlainWords(condition), "unspecified condition") << condition;
    const std::string question = ConditionQuestion(condition);
    EXPECT_TRUE(absl::EndsWith(question, "?")) << question;
    EXPECT_THAT(question, Not(HasSubstr("CONDITION_")));
  }
  EXPECT_EQ(ConditionQuestion(common::v1::CONDITION_DVT_HISTORY),
            "History of deep vein thrombosis (DVT)?");
}

TEST(PlainWordsTest, FindingReadsAsASentence) {
  common::v1::MuscleFinding finding;
  finding.mutable_region()->set_region(common::v1::BODY_REGION_QUADRICEPS);
  finding.mutable_region()->set_side(common::v1::SIDE_RIGHT);
  finding.set_kind(common::v1::MuscleFinding::KIND_TRIGGER_POINT);
  finding.set_severity(2);
  finding.mutable_refers_to()->set_region(common::v1::BODY_REGION_KNEE_ANTERIOR);
  finding.mutable_refers_to()->set_side(common::v1::SIDE_RIGHT);
  EXPECT_EQ(FindingInPlainWords(finding),
            "trigger points in quadriceps (front of the thigh), right "
            "(moderate), referring to front of the knee, right");
}

}  // namespace
}  // namespace velknee::cli
