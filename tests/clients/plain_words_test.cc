#include "clients/cli/plain_words.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace velknee::cli {
namespace {

using common::v1::Restriction;
using common::v1::Screening;
using ::testing::ElementsAreArray;
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

// Every value the proto declares for the enum `descriptor` describes, except UNSPECIFIED (0), in
// declaration order: read from the descriptor, so a value added to the proto is checked here
// without anyone listing it.
template <typename Enum>
std::vector<Enum> DeclaredValues(const google::protobuf::EnumDescriptor* descriptor) {
  std::vector<Enum> values;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const int number = descriptor->value(i)->number();
    if (number != 0) values.push_back(static_cast<Enum>(number));
  }
  return values;
}

// Expects `words` to have a phrase other than `unspecified` for every declared value.
template <typename Enum, typename Words>
void ExpectWordsForEveryValue(const google::protobuf::EnumDescriptor* descriptor, Words words,
                              absl::string_view unspecified = "unspecified") {
  for (Enum value : DeclaredValues<Enum>(descriptor)) {
    EXPECT_NE(words(value), unspecified)
        << descriptor->FindValueByNumber(value)->full_name() << " has no plain words";
  }
}

TEST(PlainWordsTest, EveryEnumValueHasWords) {
  ExpectWordsForEveryValue<common::v1::BodyRegion>(common::v1::BodyRegion_descriptor(),
                                                   BodyRegionInPlainWords);
  ExpectWordsForEveryValue<common::v1::Side>(common::v1::Side_descriptor(), SideInPlainWords);
  ExpectWordsForEveryValue<common::v1::Technique>(common::v1::Technique_descriptor(),
                                                  TechniqueInPlainWords);
  ExpectWordsForEveryValue<common::v1::Pressure>(common::v1::Pressure_descriptor(),
                                                 PressureInPlainWords);
  ExpectWordsForEveryValue<intake::v1::PriorCare>(intake::v1::PriorCare_descriptor(),
                                                  PriorCareInPlainWords);
  ExpectWordsForEveryValue<common::v1::MuscleFinding::Kind>(
      common::v1::MuscleFinding::Kind_descriptor(), FindingKindInPlainWords);
  ExpectWordsForEveryValue<notes::v1::AdverseEffect>(notes::v1::AdverseEffect_descriptor(),
                                                     AdverseEffectInPlainWords);
  ExpectWordsForEveryValue<common::v1::Condition>(
      common::v1::Condition_descriptor(),
      [](common::v1::Condition condition) { return std::string(ConditionInPlainWords(condition)); },
      "unspecified condition");
  for (auto condition : DeclaredValues<common::v1::Condition>(common::v1::Condition_descriptor())) {
    const std::string question = ConditionQuestion(condition);
    EXPECT_TRUE(absl::EndsWith(question, "?")) << question;
    EXPECT_THAT(question, Not(HasSubstr("CONDITION_")));
  }
  EXPECT_EQ(ConditionQuestion(common::v1::CONDITION_DVT_HISTORY),
            "History of deep vein thrombosis (DVT)?");
}

// The forms number their choices from these lists: each offers every declared value, in proto
// order.
TEST(PlainWordsTest, EveryChoiceListOffersEveryDeclaredValue) {
  EXPECT_THAT(AllBodyRegions(), ElementsAreArray(DeclaredValues<common::v1::BodyRegion>(
                                    common::v1::BodyRegion_descriptor())));
  EXPECT_THAT(AllSides(),
              ElementsAreArray(DeclaredValues<common::v1::Side>(common::v1::Side_descriptor())));
  EXPECT_THAT(
      AllConditions(),
      ElementsAreArray(DeclaredValues<common::v1::Condition>(common::v1::Condition_descriptor())));
  EXPECT_THAT(
      AllPriorCare(),
      ElementsAreArray(DeclaredValues<intake::v1::PriorCare>(intake::v1::PriorCare_descriptor())));
  EXPECT_THAT(AllFindingKinds(), ElementsAreArray(DeclaredValues<common::v1::MuscleFinding::Kind>(
                                     common::v1::MuscleFinding::Kind_descriptor())));
  EXPECT_THAT(AllAdverseEffects(), ElementsAreArray(DeclaredValues<notes::v1::AdverseEffect>(
                                       notes::v1::AdverseEffect_descriptor())));
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
