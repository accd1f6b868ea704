#ifndef VELKNEE_SERVICES_SCHEDULING_WORKING_HOURS_H_
#define VELKNEE_SERVICES_SCHEDULING_WORKING_HOURS_H_

// A therapist's working hours: weekly intervals of local time in the clinic's time zone.

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "google/protobuf/repeated_field.h"
#include "velknee/scheduling/v1/therapist.pb.h"

namespace velknee::scheduling {

// Each interval has a start before its end (times on the minute, 00:00 to 24:00), and
// intervals of one day do not overlap. Violations are named `field[i].start` etc. The day and
// the number of intervals are declared rules of therapist.proto (field_rules.h).
void CheckWorkingHours(const google::protobuf::RepeatedPtrField<v1::WorkingHours>& hours,
                       absl::string_view field, FieldViolations& violations);

// True when [start, start + duration) lies inside one working interval, judged in local time
// of `time_zone` (so a slot keeps its local hours across daylight-saving changes).
bool WithinWorkingHours(const v1::Therapist& therapist, absl::Time start, absl::Duration duration,
                        absl::TimeZone time_zone);

}  // namespace velknee::scheduling

#endif  // VELKNEE_SERVICES_SCHEDULING_WORKING_HOURS_H_
