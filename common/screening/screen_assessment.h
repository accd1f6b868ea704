#ifndef VELKNEE_COMMON_SCREENING_SCREEN_ASSESSMENT_H_
#define VELKNEE_COMMON_SCREENING_SCREEN_ASSESSMENT_H_

#include "absl/time/civil_time.h"
#include "velknee/common/v1/screening.pb.h"
#include "velknee/intake/v1/assessment.pb.h"

namespace velknee {

// The screening of `assessment`, taken on `assessment_day`, by the rules of screening_rules.h:
// the worst disposition of its condition flags wins (CLEAR without flags), and the restrictions
// of every flag add up. A red flag refers out unless the assessment records a medical clearance
// (who and when). Recent surgery counts only when it is less than 6 weeks before
// `assessment_day` (or its date is unknown).
common::v1::Screening ScreenAssessment(const intake::v1::Assessment& assessment,
                                       absl::CivilDay assessment_day);

}  // namespace velknee

#endif  // VELKNEE_COMMON_SCREENING_SCREEN_ASSESSMENT_H_
