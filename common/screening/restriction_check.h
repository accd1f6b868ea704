#ifndef VELKNEE_COMMON_SCREENING_RESTRICTION_CHECK_H_
#define VELKNEE_COMMON_SCREENING_RESTRICTION_CHECK_H_

// Whether planned or applied work respects a screening's restrictions. Plans check their
// techniques when written; session notes check what was applied.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "velknee/common/v1/error_details.pb.h"
#include "velknee/common/v1/pressure.pb.h"
#include "velknee/common/v1/region.pb.h"
#include "velknee/common/v1/screening.pb.h"
#include "velknee/common/v1/technique.pb.h"

namespace velknee {

// One piece of work: a technique on some regions at some pressure.
struct TechniqueUse {
  common::v1::Technique technique;
  const google::protobuf::RepeatedPtrField<common::v1::Region>* regions;
  common::v1::Pressure pressure;
};

// True when the two regions can be the same spot: the same body region on overlapping sides
// (BILATERAL overlaps LEFT, RIGHT and BILATERAL).
bool RegionsOverlap(const common::v1::Region& a, const common::v1::Region& b);

// One breach per (use, restriction) pair where the technique matches (or the restriction covers
// every technique), a region overlaps (or the restriction covers the whole body), and the
// restriction forbids the work outright or caps the pressure below the use's; in the order of
// `uses`, then of the screening's restrictions. `field` names the list ("techniques"); each
// breach's `field` is "field[i]".
std::vector<common::v1::RestrictionBreach> FindRestrictionBreaches(
    const std::vector<TechniqueUse>& uses, const common::v1::Screening& screening,
    absl::string_view field);

// The ErrorInfo metadata key of a RESTRICTION_BREACHED error that holds its summary ("the plan
// breaks the client's screening restrictions"), so a client shows it without parsing the message.
inline constexpr absl::string_view kBreachSummaryKey = "summary";

// FAILED_PRECONDITION with reason RESTRICTION_BREACHED for a non-empty `breaches`: the message
// starts with `summary`, the ErrorInfo metadata holds it under kBreachSummaryKey, a
// PreconditionFailure has one violation per breach (type RESTRICTION,
// subject the breach's field, a description naming the work, the rule in the therapist's words
// and the condition), and each breach is attached as a RestrictionBreach detail, in order.
absl::Status RestrictionsBreached(absl::string_view summary,
                                  const std::vector<common::v1::RestrictionBreach>& breaches);

// OK when every planned or applied technique of `uses` (PlannedTechnique or AppliedTechnique)
// respects `screening`; otherwise the RestrictionsBreached error for every breach.
template <typename Use>
absl::Status CheckAgainstRestrictions(const google::protobuf::RepeatedPtrField<Use>& uses,
                                      const common::v1::Screening& screening,
                                      absl::string_view field, absl::string_view summary) {
  std::vector<TechniqueUse> work;
  for (const Use& use : uses) work.push_back({use.technique(), &use.regions(), use.pressure()});
  const std::vector<common::v1::RestrictionBreach> breaches =
      FindRestrictionBreaches(work, screening, field);
  if (breaches.empty()) return absl::OkStatus();
  return RestrictionsBreached(summary, breaches);
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_SCREENING_RESTRICTION_CHECK_H_
