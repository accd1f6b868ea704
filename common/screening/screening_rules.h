#ifndef VELKNEE_COMMON_SCREENING_SCREENING_RULES_H_
#define VELKNEE_COMMON_SCREENING_SCREENING_RULES_H_

// The contraindication screening table (DESIGN §5) as data: one rule per condition, with the
// disposition it calls for and the restrictions it puts on treatment, each with the rationale a
// therapist reads. Intake applies it on submit; plans and notes check techniques against the
// restrictions it produced.

#include <span>
#include <vector>

#include "absl/strings/string_view.h"
#include "velknee/common/v1/condition.pb.h"
#include "velknee/common/v1/pressure.pb.h"
#include "velknee/common/v1/region.pb.h"
#include "velknee/common/v1/screening.pb.h"
#include "velknee/common/v1/technique.pb.h"

namespace velknee {

// Which body regions a restriction covers.
enum class RegionScope {
  kWholeBody,             // Every region.
  kFlagged,               // The regions flagged with the condition.
  kFlaggedAndLowerLimbs,  // The flagged regions plus every lower-limb region, both sides.
  kCalves,                // Both calves.
};

struct RestrictionRule {
  common::v1::Technique technique;  // UNSPECIFIED: every technique.
  RegionScope scope;
  common::v1::Pressure max_pressure;  // UNSPECIFIED: matching work is not allowed at all.
  absl::string_view rationale;        // Shown to the therapist as is.
};

struct ScreeningRule {
  common::v1::Condition condition;
  // A red flag refers the client out, unless a medical clearance is recorded, which turns it
  // into TREAT_WITH_PRECAUTIONS with `cleared_restrictions`.
  bool red_flag;
  std::vector<RestrictionRule> restrictions;          // For conditions that are not red flags.
  std::vector<RestrictionRule> cleared_restrictions;  // For cleared red flags.
  // Whether the condition only counts within a window before the assessment (recent surgery).
  int counts_within_days = 0;  // 0: always counts.
  // Whether the flag must name the regions it affects (restrictions apply to them).
  bool needs_regions = false;
};

// Every rule, one per condition.
std::span<const ScreeningRule> ScreeningRules();

// The rule for `condition`, or null for CONDITION_UNSPECIFIED.
const ScreeningRule* FindScreeningRule(common::v1::Condition condition);

// The regions counted as lower limb (for DVT and trauma after clearance).
std::span<const common::v1::BodyRegion> LowerLimbRegions();

// Plain words for a condition, e.g. "history of deep vein thrombosis (DVT)".
absl::string_view ConditionInPlainWords(common::v1::Condition condition);

}  // namespace velknee

#endif  // VELKNEE_COMMON_SCREENING_SCREENING_RULES_H_
