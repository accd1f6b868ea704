#ifndef VELKNEE_SERVICES_PLANS_NAMES_H_
#define VELKNEE_SERVICES_PLANS_NAMES_H_

// The resource-name pattern (AIP-122) of the records TreatmentPlanService owns. Every service
// that names a plan, this one or a peer, uses this constant.

#include "absl/strings/string_view.h"

namespace velknee::plans {

inline constexpr absl::string_view kPlanPattern = "clients/{client}/plans/{plan}";

}  // namespace velknee::plans

#endif  // VELKNEE_SERVICES_PLANS_NAMES_H_
