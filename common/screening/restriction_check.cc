#include "common/screening/restriction_check.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/details.h"
#include "common/status/errors.h"

namespace velknee {
namespace {

using common::v1::Region;

bool SidesOverlap(common::v1::Side a, common::v1::Side b) {
  return a == b || a == common::v1::SIDE_BILATERAL || b == common::v1::SIDE_BILATERAL;
}

bool CoversRegions(const common::v1::Restriction& restriction,
                   const google::protobuf::RepeatedPtrField<Region>& regions) {
  if (restriction.regions().empty()) return true;  // The whole body.
  for (const Region& used : regions) {
    for (const Region& restricted : restriction.regions()) {
      if (RegionsOverlap(used, restricted)) return true;
    }
  }
  return false;
}

// "deep tissue", "hip flexors (left)": enum names as words.
std::string Words(absl::string_view enum_name, absl::string_view prefix) {
  std::string words = absl::AsciiStrToLower(enum_name.substr(prefix.size()));
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

std::string DescribeWork(const common::v1::RestrictionBreach& breach) {
  std::vector<std::string> regions;
  for (const Region& region : breach.regions()) {
    regions.push_back(
        absl::StrCat(Words(common::v1::BodyRegion_Name(region.region()), "BODY_REGION_"), " (",
                     Words(common::v1::Side_Name(region.side()), "SIDE_"), ")"));
  }
  return absl::StrCat(Words(common::v1::Technique_Name(breach.technique()), "TECHNIQUE_"), " on ",
                      absl::StrJoin(regions, ", "), " at ",
                      Words(common::v1::Pressure_Name(breach.pressure()), "PRESSURE_"),
                      " pressure");
}

}  // namespace

bool RegionsOverlap(const Region& a, const Region& b) {
  return a.region() == b.region() && SidesOverlap(a.side(), b.side());
}

std::vector<common::v1::RestrictionBreach> FindRestrictionBreaches(
    const std::vector<TechniqueUse>& uses, const common::v1::Screening& screening,
    absl::string_view field) {
  std::vector<common::v1::RestrictionBreach> breaches;
  for (size_t i = 0; i < uses.size(); ++i) {
    const TechniqueUse& use = uses[i];
    for (const common::v1::Restriction& restriction : screening.restrictions()) {
      const bool technique_matches = restriction.technique() == common::v1::TECHNIQUE_UNSPECIFIED ||
                                     restriction.technique() == use.technique;
      if (!technique_matches || !CoversRegions(restriction, *use.regions)) continue;
      const bool forbidden = restriction.max_pressure() == common::v1::PRESSURE_UNSPECIFIED;
      if (!forbidden && use.pressure <= restriction.max_pressure()) continue;
      common::v1::RestrictionBreach& breach = breaches.emplace_back();
      breach.set_field(absl::StrCat(field, "[", i, "]"));
      breach.set_technique_index(static_cast<int32_t>(i));
      breach.set_technique(use.technique);
      *breach.mutable_regions() = *use.regions;
      breach.set_pressure(use.pressure);
      *breach.mutable_restriction() = restriction;
    }
  }
  return breaches;
}

absl::Status RestrictionsBreached(absl::string_view summary,
                                  const std::vector<common::v1::RestrictionBreach>& breaches) {
  std::vector<PreconditionViolation> violations;
  for (const common::v1::RestrictionBreach& breach : breaches) {
    violations.push_back(
        {"RESTRICTION", breach.field(),
         absl::StrCat(breach.field(), " (", DescribeWork(breach), ") breaks \"",
                      breach.restriction().rationale(), "\" [",
                      common::v1::Condition_Name(breach.restriction().condition()), "]")});
  }
  absl::Status status = PreconditionFailed("RESTRICTION_BREACHED", summary, violations);
  for (const common::v1::RestrictionBreach& breach : breaches) AddDetail(status, breach);
  return WithErrorMetadata(std::move(status), kBreachSummaryKey, summary);
}

}  // namespace velknee
