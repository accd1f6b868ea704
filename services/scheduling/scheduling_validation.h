#ifndef VELKNEE_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_
#define VELKNEE_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_

// Field rules for therapists and appointments.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "velknee/scheduling/v1/appointment.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee::scheduling {

// A client-chosen therapist id (AIP-122): 1 to 63 of a-z, 0-9 and '-', starting with a letter
// and not ending with '-'. INVALID_ARGUMENT on `therapist_id` otherwise.
absl::Status ValidateTherapistId(absl::string_view id);

// display_name 1..100 characters; techniques known and listed once; working hours as
// CheckWorkingHours says. INVALID_ARGUMENT with one violation per bad field ("therapist.").
absl::Status ValidateTherapist(v1::Therapist& therapist);

// client `clients/{client}`, therapist `therapists/{therapist}`, plan (optional) a plan of the
// same client, a start time on the minute and not in the past, duration 15..180 minutes.
// INVALID_ARGUMENT with one violation per bad field ("appointment.").
absl::Status ValidateBooking(const v1::Appointment& appointment, absl::Time now);

// A start time on the minute, not in the past, and a duration of 15..180 minutes, named
// `start_field` and `duration_field`.
absl::Status ValidateSlot(const google::protobuf::Timestamp& start, int duration_minutes,
                          absl::Time now, absl::string_view start_field,
                          absl::string_view duration_field);

}  // namespace velknee::scheduling

#endif  // VELKNEE_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_
