#ifndef VELKNEE_SERVICES_SCHEDULING_NAMES_H_
#define VELKNEE_SERVICES_SCHEDULING_NAMES_H_

// The resource-name patterns (AIP-122) of the records SchedulingService owns. Every service that
// names these records, this one or a peer, uses these constants.

#include "absl/strings/string_view.h"

namespace velknee::scheduling {

inline constexpr absl::string_view kTherapistPattern = "therapists/{therapist}";
inline constexpr absl::string_view kAppointmentPattern = "appointments/{appointment}";

}  // namespace velknee::scheduling

#endif  // VELKNEE_SERVICES_SCHEDULING_NAMES_H_
