#include "clients/cli/plain_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace velknee::cli {
namespace {

using common::v1::BodyRegion;
using common::v1::Condition;
using common::v1::Disposition;
using common::v1::MuscleFinding;
using common::v1::Pressure;
using common::v1::Side;
using common::v1::Technique;
using intake::v1::PriorCare;

constexpr char kUnspecified[] = "unspecified";

// Each enum's values in proto order, skipping UNSPECIFIED (always 0).
template <typename Enum, typename IsValid>
std::vector<Enum> ValuesAfterZero(int max, IsValid is_valid) {
  std::vector<Enum> values;
  for (int i = 1; i <= max; ++i) {
    if (is_valid(i)) values.push_back(static_cast<Enum>(i));
  }
  return values;
}

std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = absl::ascii_toupper(text[0]);
  return text;
}

std::string RegionsInPlainWords(
    const google::protobuf::RepeatedPtrField<common::v1::Region>& regions) {
  std::vector<std::string> words;
  for (const common::v1::Region& region : regions) {
    words.push_back(RegionInPlainWords(region));
  }
  return absl::StrJoin(words, "; ");
}

}  // namespace

std::vector<BodyRegion> AllBodyRegions() {
  return ValuesAfterZero<BodyRegion>(common::v1::BodyRegion_MAX, common::v1::BodyRegion_IsValid);
}

std::vector<Side> AllSides() {
  return ValuesAfterZero<Side>(common::v1::Side_MAX, common::v1::Side_IsValid);
}

std::vector<Condition> AllConditions() {
  return ValuesAfterZero<Condition>(common::v1::Condition_MAX, common::v1::Condition_IsValid);
}

std::vector<PriorCare> AllPriorCare() {
  return ValuesAfterZero<PriorCare>(intake::v1::PriorCare_MAX, intake::v1::PriorCare_IsValid);
}

std::vector<MuscleFinding::Kind> AllFindingKinds() {
  return ValuesAfterZero<MuscleFinding::Kind>(MuscleFinding::Kind_MAX, MuscleFinding::Kind_IsValid);
}

std::vector<notes::v1::AdverseEffect> AllAdverseEffects() {
  return ValuesAfterZero<notes::v1::AdverseEffect>(notes::v1::AdverseEffect_MAX,
                                                   notes::v1::AdverseEffect_IsValid);
}

std::string BodyRegionInPlainWords(BodyRegion region) {
  switch (region) {
    case common::v1::BODY_REGION_KNEE_ANTERIOR:
      return "front of the knee";
    case common::v1::BODY_REGION_KNEE_POSTERIOR:
      return "back of the knee";
    case common::v1::BODY_REGION_KNEE_MEDIAL:
      return "inner side of the knee";
    case common::v1::BODY_REGION_KNEE_LATERAL:
      return "outer side of the knee";
    case common::v1::BODY_REGION_QUADRICEPS:
      return "quadriceps (front of the thigh)";
    case common::v1::BODY_REGION_HAMSTRINGS:
      return "hamstrings (back of the thigh)";
    case common::v1::BODY_REGION_CALF:
      return "calf";
    case common::v1::BODY_REGION_HIP_FLEXORS:
      return "hip flexors (front of the hip)";
    case common::v1::BODY_REGION_IT_BAND:
      return "IT band (outer thigh)";
    case common::v1::BODY_REGION_GLUTES:
      return "glutes (buttock)";
    case common::v1::BODY_REGION_ADDUCTORS:
      return "adductors (inner thigh)";
    case common::v1::BODY_REGION_LOWER_BACK:
      return "lower back";
    case common::v1::BODY_REGION_FOOT_ANKLE:
      return "foot and ankle";
    default:
      return kUnspecified;
  }
}

std::string SideInPlainWords(Side side) {
  switch (side) {
    case common::v1::SIDE_LEFT:
      return "left";
    case common::v1::SIDE_RIGHT:
      return "right";
    case common::v1::SIDE_BILATERAL:
      return "both sides";
    default:
      return kUnspecified;
  }
}

std::string TechniqueInPlainWords(Technique technique) {
  switch (technique) {
    case common::v1::TECHNIQUE_DEEP_TISSUE:
      return "deep tissue";
    case common::v1::TECHNIQUE_TRIGGER_POINT:
      return "trigger point therapy";
    case common::v1::TECHNIQUE_MYOFASCIAL_RELEASE:
      return "myofascial release";
    default:
      return kUnspecified;
  }
}

std::string PressureInPlainWords(Pressure pressure) {
  switch (pressure) {
    case common::v1::PRESSURE_LIGHT:
      return "light";
    case common::v1::PRESSURE_MODERATE:
      return "moderate";
    case common::v1::PRESSURE_FIRM:
      return "firm";
    case common::v1::PRESSURE_DEEP:
      return "deep";
    default:
      return kUnspecified;
  }
}

std::string PriorCareInPlainWords(PriorCare care) {
  switch (care) {
    case intake::v1::PRIOR_CARE_REST:
      return "rest";
    case intake::v1::PRIOR_CARE_ICE:
      return "ice";
    case intake::v1::PRIOR_CARE_COMPRESSION:
      return "compression";
    case intake::v1::PRIOR_CARE_ELEVATION:
      return "elevation";
    case intake::v1::PRIOR_CARE_OTC_MEDICATION:
      return "over-the-counter medication";
    case intake::v1::PRIOR_CARE_PHYSIOTHERAPY:
      return "physiotherapy";
    case intake::v1::PRIOR_CARE_HEAT:
      return "heat";
    case intake::v1::PRIOR_CARE_BRACE_OR_TAPING:
      return "brace, support or taping";
    case intake::v1::PRIOR_CARE_PRESCRIPTION_MEDICATION:
      return "prescription medication";
    case intake::v1::PRIOR_CARE_INJECTION:
      return "injection";
    case intake::v1::PRIOR_CARE_MASSAGE:
      return "massage elsewhere";
    case intake::v1::PRIOR_CARE_CHIROPRACTIC:
      return "chiropractic or osteopathic care";
    case intake::v1::PRIOR_CARE_SURGERY:
      return "surgery";
    case intake::v1::PRIOR_CARE_OTHER:
      return "other";
    default:
      return kUnspecified;
  }
}

std::string AdverseEffectInPlainWords(notes::v1::AdverseEffect effect) {
  switch (effect) {
    case notes::v1::ADVERSE_EFFECT_SORENESS:
      return "soreness beyond the expected ache";
    case notes::v1::ADVERSE_EFFECT_BRUISING:
      return "bruising";
    case notes::v1::ADVERSE_EFFECT_HEADACHE:
      return "headache";
    case notes::v1::ADVERSE_EFFECT_DIZZINESS:
      return "dizziness";
    case notes::v1::ADVERSE_EFFECT_OTHER:
      return "other";
    default:
      return kUnspecified;
  }
}

std::string FindingKindInPlainWords(MuscleFinding::Kind kind) {
  switch (kind) {
    case MuscleFinding::KIND_TIGHTNESS:
      return "tightness";
    case MuscleFinding::KIND_TRIGGER_POINT:
      return "trigger points";
    case MuscleFinding::KIND_TENDERNESS:
      return "tenderness";
    case MuscleFinding::KIND_RESTRICTION:
      return "restricted soft tissue";
    default:
      return kUnspecified;
  }
}

std::string RegionInPlainWords(const common::v1::Region& region) {
  return absl::StrCat(BodyRegionInPlainWords(region.region()), ", ",
                      SideInPlainWords(region.side()));
}

std::string ConditionQuestion(Condition condition) {
  switch (condition) {
    case common::v1::CONDITION_DVT_HISTORY:
      return "History of deep vein thrombosis (DVT)?";
    case common::v1::CONDITION_FEVER_OR_INFECTION:
      return "Fever or an infection at the moment?";
    case common::v1::CONDITION_UNABLE_TO_BEAR_WEIGHT:
      return "Unable to bear weight on the leg?";
    case common::v1::CONDITION_RECENT_TRAUMA_OR_FRACTURE:
      return "Recent trauma (a fall, a twist, a blow) or a suspected fracture?";
    case common::v1::CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS:
      return "Pain at night, or weight loss without a known reason?";
    case common::v1::CONDITION_ANTICOAGULANT_USE:
      return "Takes blood thinners (e.g. warfarin) or has a bleeding disorder?";
    case common::v1::CONDITION_ACUTE_INFLAMMATION:
      return "Acute inflammation (an area that is hot, red or swollen)?";
    case common::v1::CONDITION_OPEN_WOUND_OR_SKIN_CONDITION:
      return "Open wound or skin condition?";
    case common::v1::CONDITION_RECENT_SURGERY:
      return "Surgery in the last few months?";
    case common::v1::CONDITION_OSTEOPOROSIS:
      return "Osteoporosis?";
    case common::v1::CONDITION_PERIPHERAL_NEUROPATHY:
      return "Peripheral neuropathy (numbness or reduced feeling in the legs "
             "or feet)?";
    case common::v1::CONDITION_VARICOSE_VEINS:
      return "Varicose veins?";
    case common::v1::CONDITION_PREGNANCY:
      return "Pregnant?";
    case common::v1::CONDITION_CANCER_TREATMENT:
      return "Current or recent cancer treatment?";
    default:
      return absl::StrCat(Capitalized(std::string(ConditionInPlainWords(condition))), "?");
  }
}

std::string DispositionLabel(Disposition disposition) {
  switch (disposition) {
    case common::v1::DISPOSITION_CLEAR:
      return "CLEAR";
    case common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS:
      return "TREAT WITH PRECAUTIONS";
    case common::v1::DISPOSITION_REFER_OUT:
      return "REFER OUT";
    default:
      return "NOT SCREENED";
  }
}

std::string RestrictionInPlainWords(const common::v1::Restriction& restriction) {
  if (!restriction.rationale().empty()) return restriction.rationale();
  const bool caps = restriction.max_pressure() != Pressure::PRESSURE_UNSPECIFIED;
  const bool any_technique = restriction.technique() == Technique::TECHNIQUE_UNSPECIFIED;
  std::string rule;
  if (caps) {
    rule = any_technique
               ? absl::StrCat("pressure at most ", PressureInPlainWords(restriction.max_pressure()))
               : absl::StrCat(TechniqueInPlainWords(restriction.technique()), " at most ",
                              PressureInPlainWords(restriction.max_pressure()), " pressure");
  } else {
    rule = absl::StrCat(
        "no ", any_technique ? "treatment" : TechniqueInPlainWords(restriction.technique()));
  }
  if (!restriction.regions().empty()) {
    absl::StrAppend(&rule, " on ", RegionsInPlainWords(restriction.regions()));
  } else if (!caps) {
    absl::StrAppend(&rule, " anywhere");
  }
  return absl::StrCat(Capitalized(rule), ": ", ConditionInPlainWords(restriction.condition()));
}

std::string ScreeningInPlainWords(const common::v1::Screening& screening) {
  std::string out = absl::StrCat("Screening: ", DispositionLabel(screening.disposition()), "\n");
  switch (screening.disposition()) {
    case common::v1::DISPOSITION_CLEAR:
      absl::StrAppend(&out, "  No contraindications found: treat as planned.\n");
      break;
    case common::v1::DISPOSITION_REFER_OUT:
      absl::StrAppend(&out, "  Refer to a physician before treatment. Red flags:\n");
      for (int condition : screening.refer_out_conditions()) {
        absl::StrAppend(&out, "  - ", ConditionInPlainWords(static_cast<Condition>(condition)),
                        "\n");
      }
      break;
    default:
      break;
  }
  if (screening.disposition() == common::v1::DISPOSITION_REFER_OUT &&
      !screening.restrictions().empty()) {
    absl::StrAppend(&out, "  Restrictions that also apply:\n");
  }
  for (const common::v1::Restriction& restriction : screening.restrictions()) {
    absl::StrAppend(&out, "  - ", RestrictionInPlainWords(restriction), "\n");
  }
  return out;
}

std::string FindingInPlainWords(const MuscleFinding& finding) {
  static constexpr const char* kSeverity[] = {"", "mild", "moderate", "severe"};
  std::string text = absl::StrCat(FindingKindInPlainWords(finding.kind()), " in ",
                                  RegionInPlainWords(finding.region()));
  if (finding.severity() >= 1 && finding.severity() <= 3) {
    absl::StrAppend(&text, " (", kSeverity[finding.severity()], ")");
  }
  if (finding.has_refers_to() &&
      finding.refers_to().region() != BodyRegion::BODY_REGION_UNSPECIFIED) {
    absl::StrAppend(&text, ", referring to ", RegionInPlainWords(finding.refers_to()));
  }
  return text;
}

}  // namespace velknee::cli
