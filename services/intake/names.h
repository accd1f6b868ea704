#ifndef VELKNEE_SERVICES_INTAKE_NAMES_H_
#define VELKNEE_SERVICES_INTAKE_NAMES_H_

// The resource-name patterns (AIP-122) of the records IntakeService owns. Every service that
// names these records, this one or a peer, uses these constants.

#include "absl/strings/string_view.h"

namespace velknee::intake {

inline constexpr absl::string_view kClientPattern = "clients/{client}";
inline constexpr absl::string_view kAssessmentPattern = "clients/{client}/assessments/{assessment}";

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_NAMES_H_
