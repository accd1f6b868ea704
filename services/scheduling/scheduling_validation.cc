#include "services/scheduling/scheduling_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "common/validation/field_rules.h"
#include "services/intake/names.h"
#include "services/plans/names.h"
#include "services/scheduling/names.h"
#include "services/scheduling/working_hours.h"

namespace velknee::scheduling {
namespace {

// A booking may be entered a few minutes late (the client is at the desk).
constexpr absl::Duration kPastSlack = absl::Minutes(5);

// A start (nullptr when unset) on a whole minute and not in the past.
void CheckStart(const google::protobuf::Timestamp* start, absl::Time now,
                absl::string_view start_field, FieldViolations& violations) {
  if (start == nullptr) {
    violations.Add(start_field, "is required");
  } else if (start->seconds() % 60 != 0 || start->nanos() != 0) {
    violations.Add(start_field, "must be on a whole minute");
  } else if (absl::FromUnixSeconds(start->seconds()) < now - kPastSlack) {
    violations.Add(start_field, "must not be in the past");
  }
}

}  // namespace

absl::Status ValidateTherapist(v1::Therapist& therapist) {
  absl::StripAsciiWhitespace(therapist.mutable_display_name());
  FieldViolations violations;
  const std::vector<std::string> bad = CheckFieldRules(therapist, "therapist", violations);
  if (!AnyBadUnder(bad, "therapist.working_hours")) {
    CheckWorkingHours(therapist.working_hours(), "therapist.working_hours", violations);
  }
  return violations.ToStatus();
}

absl::Status ValidateBooking(const v1::Appointment& appointment, absl::Time now) {
  FieldViolations violations;
  absl::StatusOr<std::string> client =
      ParseResourceId(appointment.client(), intake::kClientPattern, "appointment.client");
  if (!client.ok()) violations.Add("appointment.client", "must look like clients/{client}");
  if (!ParseResourceId(appointment.therapist(), kTherapistPattern, "appointment.therapist").ok()) {
    violations.Add("appointment.therapist", "must look like therapists/{therapist}");
  }
  if (!appointment.plan().empty()) {
    absl::StatusOr<std::vector<std::string>> plan =
        ParseResourceName(appointment.plan(), plans::kPlanPattern, "appointment.plan");
    if (!plan.ok()) {
      violations.Add("appointment.plan", "must look like clients/{client}/plans/{plan}");
    } else if (client.ok() && plan->front() != *client) {
      violations.Add("appointment.plan", "must be a plan of appointment.client");
    }
  }
  // The duration and the start's presence are declared rules; the start's time needs the clock.
  CheckFieldRules(appointment, "appointment", violations);
  if (appointment.has_start_time()) {
    CheckStart(&appointment.start_time(), now, "appointment.start_time", violations);
  }
  return violations.ToStatus();
}

absl::Status ValidateStart(const google::protobuf::Timestamp* start, absl::Time now,
                           absl::string_view start_field) {
  FieldViolations violations;
  CheckStart(start, now, start_field, violations);
  return violations.ToStatus();
}

absl::Status ValidateSlot(const google::protobuf::Timestamp* start, int duration_minutes,
                          absl::Time now, absl::string_view start_field,
                          absl::string_view duration_field) {
  FieldViolations violations;
  CheckStart(start, now, start_field, violations);
  CheckNumberRule(FieldOf(*v1::Appointment::descriptor(), "duration_minutes"), duration_minutes,
                  duration_field, violations);
  return violations.ToStatus();
}

}  // namespace velknee::scheduling
