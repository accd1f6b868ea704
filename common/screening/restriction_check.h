#ifndef VELKNEE_COMMON_SCREENING_RESTRICTION_CHECK_H_
#define VELKNEE_COMMON_SCREENING_RESTRICTION_CHECK_H_

// Whether planned or applied work respects a screening's restrictions. Plans check their
// techniques when written; session notes check what was applied.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/protobuf/repeated_field.h"
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

// One violation per (use, restriction) breach: the technique matches (or the restriction covers
// every technique), a region overlaps (or the restriction covers the whole body), and the
// restriction forbids the work outright or caps the pressure below the use's. `field` names the
// list ("techniques"); each violation's subject is "field[i]" and its description names the
// work, the rule in the therapist's words and the condition behind it.
std::vector<PreconditionViolation> FindRestrictionBreaches(const std::vector<TechniqueUse>& uses,
                                                           const common::v1::Screening& screening,
                                                           absl::string_view field);

// OK when every planned or applied technique of `uses` (PlannedTechnique or AppliedTechnique)
// respects `screening`; otherwise FAILED_PRECONDITION (reason RESTRICTION_BREACHED) whose
// message starts with `summary`, with one violation per breach as FindRestrictionBreaches says.
template <typename Use>
absl::Status CheckAgainstRestrictions(const google::protobuf::RepeatedPtrField<Use>& uses,
                                      const common::v1::Screening& screening,
                                      absl::string_view field, absl::string_view summary) {
  std::vector<TechniqueUse> work;
  for (const Use& use : uses) work.push_back({use.technique(), &use.regions(), use.pressure()});
  const std::vector<PreconditionViolation> breaches =
      FindRestrictionBreaches(work, screening, field);
  if (breaches.empty()) return absl::OkStatus();
  return PreconditionFailed("RESTRICTION_BREACHED", summary, breaches);
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_SCREENING_RESTRICTION_CHECK_H_
