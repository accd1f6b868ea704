#include "common/screening/screening_rules.h"

#include <array>

namespace velknee {
namespace {

using common::v1::BodyRegion;
using common::v1::Condition;
using common::v1::PRESSURE_MODERATE;
using common::v1::PRESSURE_UNSPECIFIED;
using common::v1::TECHNIQUE_DEEP_TISSUE;
using common::v1::TECHNIQUE_UNSPECIFIED;

// Sources: NCCIH (no deep or forceful work with bleeding disorders or blood thinners, none over
// wounds), the risk of dislodging a clot after DVT, and the NHS knee red-flag referral criteria.
const std::vector<ScreeningRule>& Rules() {
  static const auto* rules = new std::vector<ScreeningRule>{
      {common::v1::CONDITION_DVT_HISTORY,
       /*red_flag=*/true,
       {},
       {{TECHNIQUE_DEEP_TISSUE, RegionScope::kFlaggedAndLowerLimbs, PRESSURE_UNSPECIFIED,
         "No deep tissue on the legs or the flagged regions: history of deep vein thrombosis "
         "(risk of dislodging a clot)"}}},
      {common::v1::CONDITION_FEVER_OR_INFECTION, true, {}, {}},
      {common::v1::CONDITION_UNABLE_TO_BEAR_WEIGHT, true, {}, {}},
      {common::v1::CONDITION_RECENT_TRAUMA_OR_FRACTURE,
       true,
       {},
       {{TECHNIQUE_DEEP_TISSUE, RegionScope::kFlaggedAndLowerLimbs, PRESSURE_UNSPECIFIED,
         "No deep tissue on the legs or the injured regions: recent trauma or fracture"}}},
      {common::v1::CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS, true, {}, {}},
      {common::v1::CONDITION_ANTICOAGULANT_USE,
       false,
       {{TECHNIQUE_DEEP_TISSUE, RegionScope::kWholeBody, PRESSURE_UNSPECIFIED,
         "No deep tissue anywhere: client takes blood thinners (bruising risk)"},
        {TECHNIQUE_UNSPECIFIED, RegionScope::kWholeBody, PRESSURE_MODERATE,
         "Pressure at most moderate: client takes blood thinners (bruising risk)"}},
       {}},
      {common::v1::CONDITION_ACUTE_INFLAMMATION,
       false,
       {{TECHNIQUE_UNSPECIFIED, RegionScope::kFlagged, PRESSURE_UNSPECIFIED,
         "No massage on the inflamed regions: acute inflammation (work may worsen it)"}},
       {},
       0,
       /*needs_regions=*/true},
      {common::v1::CONDITION_OPEN_WOUND_OR_SKIN_CONDITION,
       false,
       {{TECHNIQUE_UNSPECIFIED, RegionScope::kFlagged, PRESSURE_UNSPECIFIED,
         "No massage on the affected skin: open wound or skin condition (infection risk)"}},
       {},
       0,
       true},
      {common::v1::CONDITION_RECENT_SURGERY,
       false,
       {{TECHNIQUE_UNSPECIFIED, RegionScope::kFlagged, PRESSURE_UNSPECIFIED,
         "No massage on the operated regions: surgery within the last 6 weeks (healing tissue)"}},
       {},
       /*counts_within_days=*/42,
       true},
      {common::v1::CONDITION_OSTEOPOROSIS,
       false,
       {{TECHNIQUE_DEEP_TISSUE, RegionScope::kWholeBody, PRESSURE_UNSPECIFIED,
         "No deep tissue anywhere: osteoporosis (fracture risk)"},
        {TECHNIQUE_UNSPECIFIED, RegionScope::kWholeBody, PRESSURE_MODERATE,
         "Pressure at most moderate: osteoporosis (fracture risk)"}},
       {}},
      {common::v1::CONDITION_PERIPHERAL_NEUROPATHY,
       false,
       {{TECHNIQUE_UNSPECIFIED, RegionScope::kWholeBody, PRESSURE_MODERATE,
         "Pressure at most moderate: peripheral neuropathy (client may not feel excess "
         "pressure)"}},
       {}},
      {common::v1::CONDITION_VARICOSE_VEINS,
       false,
       {{TECHNIQUE_DEEP_TISSUE, RegionScope::kFlagged, PRESSURE_UNSPECIFIED,
         "No deep tissue over the varicose veins (risk of vein damage)"}},
       {},
       0,
       true},
      {common::v1::CONDITION_PREGNANCY,
       false,
       {{TECHNIQUE_DEEP_TISSUE, RegionScope::kCalves, PRESSURE_UNSPECIFIED,
         "No deep tissue on the calves: pregnancy (raised clotting risk)"}},
       {}},
      {common::v1::CONDITION_CANCER_TREATMENT,
       false,
       {{TECHNIQUE_DEEP_TISSUE, RegionScope::kWholeBody, PRESSURE_UNSPECIFIED,
         "No deep tissue anywhere: cancer treatment (fragile tissue, bruising risk)"},
        {TECHNIQUE_UNSPECIFIED, RegionScope::kWholeBody, PRESSURE_MODERATE,
         "Pressure at most moderate: cancer treatment (fragile tissue, bruising risk)"}},
       {}},
  };
  return *rules;
}

constexpr std::array<BodyRegion, 11> kLowerLimbs = {
    common::v1::BODY_REGION_KNEE_ANTERIOR, common::v1::BODY_REGION_KNEE_POSTERIOR,
    common::v1::BODY_REGION_KNEE_MEDIAL,   common::v1::BODY_REGION_KNEE_LATERAL,
    common::v1::BODY_REGION_QUADRICEPS,    common::v1::BODY_REGION_HAMSTRINGS,
    common::v1::BODY_REGION_CALF,          common::v1::BODY_REGION_HIP_FLEXORS,
    common::v1::BODY_REGION_IT_BAND,       common::v1::BODY_REGION_ADDUCTORS,
    common::v1::BODY_REGION_FOOT_ANKLE,
};

}  // namespace

std::span<const ScreeningRule> ScreeningRules() { return Rules(); }

const ScreeningRule* FindScreeningRule(Condition condition) {
  for (const ScreeningRule& rule : Rules()) {
    if (rule.condition == condition) return &rule;
  }
  return nullptr;
}

std::span<const BodyRegion> LowerLimbRegions() { return kLowerLimbs; }

absl::string_view ConditionInPlainWords(Condition condition) {
  switch (condition) {
    case common::v1::CONDITION_DVT_HISTORY:
      return "history of deep vein thrombosis (DVT)";
    case common::v1::CONDITION_FEVER_OR_INFECTION:
      return "fever or infection";
    case common::v1::CONDITION_UNABLE_TO_BEAR_WEIGHT:
      return "unable to bear weight";
    case common::v1::CONDITION_RECENT_TRAUMA_OR_FRACTURE:
      return "recent trauma or fracture";
    case common::v1::CONDITION_NIGHT_PAIN_OR_WEIGHT_LOSS:
      return "night pain or unexplained weight loss";
    case common::v1::CONDITION_ANTICOAGULANT_USE:
      return "takes blood thinners (anticoagulants)";
    case common::v1::CONDITION_ACUTE_INFLAMMATION:
      return "acute inflammation";
    case common::v1::CONDITION_OPEN_WOUND_OR_SKIN_CONDITION:
      return "open wound or skin condition";
    case common::v1::CONDITION_RECENT_SURGERY:
      return "recent surgery";
    case common::v1::CONDITION_OSTEOPOROSIS:
      return "osteoporosis";
    case common::v1::CONDITION_PERIPHERAL_NEUROPATHY:
      return "peripheral neuropathy";
    case common::v1::CONDITION_VARICOSE_VEINS:
      return "varicose veins";
    case common::v1::CONDITION_PREGNANCY:
      return "pregnancy";
    case common::v1::CONDITION_CANCER_TREATMENT:
      return "cancer treatment";
    default:
      return "unspecified condition";
  }
}

}  // namespace velknee
