#ifndef VELKNEE_SERVICES_INTAKE_ASSESSMENT_VALIDATION_H_
#define VELKNEE_SERVICES_INTAKE_ASSESSMENT_VALIDATION_H_

// The rules an intake assessment must satisfy: field rules on every create and update, and the
// completeness SubmitAssessment needs.

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "velknee/intake/v1/assessment.pb.h"

namespace velknee::intake {

// Checks the writable fields of `assessment` (trimming its text in place) against the rules
// assessment.proto declares, plus what they cannot say: best pain not above worst, dates real
// and not after `today`, condition flags with regions for the conditions whose restrictions
// apply to the affected regions, each condition at most once, and a `since` date for
// conditions that count only for a while (recent surgery). INVALID_ARGUMENT with one violation
// per bad field, paths starting with "assessment.".
absl::Status ValidateAssessment(v1::Assessment& assessment, absl::CivilDay today);

// OK when `assessment` can be submitted; otherwise FAILED_PRECONDITION (reason
// ASSESSMENT_INCOMPLETE) listing every missing item: a chief complaint, at least one pain
// region, the current pain score, the completed health screen, and informed consent with the
// signer's name.
absl::Status CheckReadyToSubmit(const v1::Assessment& assessment);

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_ASSESSMENT_VALIDATION_H_
