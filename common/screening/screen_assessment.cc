#include "common/screening/screen_assessment.h"

#include <algorithm>

#include "common/screening/screening_rules.h"
#include "common/validation/fields.h"

namespace velknee {
namespace {

using common::v1::Disposition;
using common::v1::Region;

// DISPOSITION values are ordered from CLEAR to REFER_OUT, so the worst is the largest.
void Worsen(common::v1::Screening& screening, Disposition disposition) {
  screening.set_disposition(std::max(screening.disposition(), disposition));
}

Region Both(common::v1::BodyRegion body_region) {
  Region region;
  region.set_region(body_region);
  region.set_side(common::v1::SIDE_BILATERAL);
  return region;
}

void AddRegion(google::protobuf::RepeatedPtrField<Region>& regions, const Region& region) {
  for (const Region& existing : regions) {
    if (existing.region() == region.region() && existing.side() == region.side()) return;
  }
  *regions.Add() = region;
}

void AddRestriction(common::v1::Screening& screening, const intake::v1::ConditionFlag& flag,
                    const RestrictionRule& rule) {
  common::v1::Restriction& restriction = *screening.add_restrictions();
  restriction.set_condition(flag.condition());
  restriction.set_technique(rule.technique);
  restriction.set_max_pressure(rule.max_pressure);
  restriction.set_rationale(std::string(rule.rationale));
  auto& regions = *restriction.mutable_regions();
  switch (rule.scope) {
    case RegionScope::kWholeBody:
      break;
    case RegionScope::kFlagged:
      for (const Region& region : flag.regions()) AddRegion(regions, region);
      break;
    case RegionScope::kFlaggedAndLowerLimbs:
      for (const Region& region : flag.regions()) AddRegion(regions, region);
      for (common::v1::BodyRegion limb : LowerLimbRegions()) AddRegion(regions, Both(limb));
      break;
    case RegionScope::kCalves:
      AddRegion(regions, Both(common::v1::BODY_REGION_CALF));
      break;
  }
}

bool HasMedicalClearance(const intake::v1::Assessment& assessment) {
  return !assessment.medical_clearance().cleared_by().empty() &&
         IsRealDate(assessment.medical_clearance().clearance_date());
}

bool Counts(const ScreeningRule& rule, const intake::v1::ConditionFlag& flag,
            absl::CivilDay assessment_day) {
  if (rule.counts_within_days == 0 || !IsRealDate(flag.since())) return true;
  return assessment_day - ToCivilDay(flag.since()) < rule.counts_within_days;
}

}  // namespace

common::v1::Screening ScreenAssessment(const intake::v1::Assessment& assessment,
                                       absl::CivilDay assessment_day) {
  common::v1::Screening screening;
  screening.set_disposition(common::v1::DISPOSITION_CLEAR);
  const bool cleared = HasMedicalClearance(assessment);
  for (const intake::v1::ConditionFlag& flag : assessment.conditions()) {
    const ScreeningRule* rule = FindScreeningRule(flag.condition());
    if (rule == nullptr || !Counts(*rule, flag, assessment_day)) continue;
    if (rule->red_flag && !cleared) {
      Worsen(screening, common::v1::DISPOSITION_REFER_OUT);
      const auto& listed = screening.refer_out_conditions();
      if (std::find(listed.begin(), listed.end(), flag.condition()) == listed.end()) {
        screening.add_refer_out_conditions(flag.condition());
      }
      continue;
    }
    Worsen(screening, common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
    for (const RestrictionRule& restriction :
         rule->red_flag ? rule->cleared_restrictions : rule->restrictions) {
      AddRestriction(screening, flag, restriction);
    }
  }
  return screening;
}

}  // namespace velknee
