#ifndef VELKNEE_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_
#define VELKNEE_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_

// Field rules for therapists and appointments.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "velknee/scheduling/v1/appointment.pb.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee::scheduling {

// Checks the writable fields of `therapist` (trimming its display name) against the rules
// therapist.proto declares, then the working hours as CheckWorkingHours says. INVALID_ARGUMENT
// with one violation per bad field ("therapist.").
absl::Status ValidateTherapist(v1::Therapist& therapist);

// client `clients/{client}`, therapist `therapists/{therapist}`, plan (optional) a plan of the
// same client, the rules appointment.proto declares, and a start time on the minute and not in
// the past. INVALID_ARGUMENT with one violation per bad field ("appointment.").
absl::Status ValidateBooking(const v1::Appointment& appointment, absl::Time now);

// A start time (nullptr when unset: "is required") on the minute and not in the past, named
// `start_field`.
absl::Status ValidateStart(const google::protobuf::Timestamp* start, absl::Time now,
                           absl::string_view start_field);

// ValidateStart, and a duration that keeps the rule of Appointment.duration_minutes, named
// `duration_field`.
absl::Status ValidateSlot(const google::protobuf::Timestamp* start, int duration_minutes,
                          absl::Time now, absl::string_view start_field,
                          absl::string_view duration_field);

}  // namespace velknee::scheduling

#endif  // VELKNEE_SERVICES_SCHEDULING_SCHEDULING_VALIDATION_H_
