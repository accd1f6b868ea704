#include "services/scheduling/scheduling_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "common/validation/clinical.h"
#include "common/validation/fields.h"
#include "services/scheduling/working_hours.h"

namespace velknee::scheduling {
namespace {

// A booking may be entered a few minutes late (the client is at the desk).
constexpr absl::Duration kPastSlack = absl::Minutes(5);

void CheckSlot(const google::protobuf::Timestamp& start, int duration_minutes, absl::Time now,
               absl::string_view start_field, absl::string_view duration_field,
               FieldViolations& violations) {
  if (start.seconds() == 0 && start.nanos() == 0) {
    violations.Add(start_field, "is required");
  } else if (start.seconds() % 60 != 0 || start.nanos() != 0) {
    violations.Add(start_field, "must be on a whole minute");
  } else if (absl::FromUnixSeconds(start.seconds()) < now - kPastSlack) {
    violations.Add(start_field, "must not be in the past");
  }
  if (duration_minutes < 15 || duration_minutes > 180) {
    violations.Add(duration_field, "must be between 15 and 180 minutes");
  }
}

}  // namespace

absl::Status ValidateTherapistId(absl::string_view id) {
  bool ok = !id.empty() && id.size() <= 63 && absl::ascii_islower(id.front()) && id.back() != '-';
  for (char c : id) ok = ok && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-');
  if (ok) return absl::OkStatus();
  return InvalidField("therapist_id",
                      "must be 1-63 of a-z, 0-9 and '-', start with a letter and not end with '-'");
}

absl::Status ValidateTherapist(v1::Therapist& therapist) {
  FieldViolations violations;
  absl::StripAsciiWhitespace(therapist.mutable_display_name());
  CheckText(therapist.display_name(), "therapist.display_name", 1, 100, false, violations);
  for (int i = 0; i < therapist.techniques_size(); ++i) {
    const std::string field = absl::StrCat("therapist.techniques[", i, "]");
    CheckEnum(therapist.techniques(i), common::v1::Technique_IsValid, field, violations);
    for (int j = 0; j < i; ++j) {
      if (therapist.techniques(j) == therapist.techniques(i)) {
        violations.Add(field, absl::StrCat("repeats therapist.techniques[", j, "]"));
      }
    }
  }
  CheckWorkingHours(therapist.working_hours(), "therapist.working_hours", violations);
  return violations.ToStatus();
}

absl::Status ValidateBooking(const v1::Appointment& appointment, absl::Time now) {
  FieldViolations violations;
  absl::StatusOr<std::string> client =
      ParseResourceId(appointment.client(), "clients/{client}", "appointment.client");
  if (!client.ok()) violations.Add("appointment.client", "must look like clients/{client}");
  if (!ParseResourceId(appointment.therapist(), "therapists/{therapist}", "appointment.therapist")
           .ok()) {
    violations.Add("appointment.therapist", "must look like therapists/{therapist}");
  }
  if (!appointment.plan().empty()) {
    absl::StatusOr<std::vector<std::string>> plan =
        ParseResourceName(appointment.plan(), "clients/{client}/plans/{plan}", "appointment.plan");
    if (!plan.ok()) {
      violations.Add("appointment.plan", "must look like clients/{client}/plans/{plan}");
    } else if (client.ok() && plan->front() != *client) {
      violations.Add("appointment.plan", "must be a plan of appointment.client");
    }
  }
  CheckSlot(appointment.start_time(), appointment.duration_minutes(), now, "appointment.start_time",
            "appointment.duration_minutes", violations);
  return violations.ToStatus();
}

absl::Status ValidateSlot(const google::protobuf::Timestamp& start, int duration_minutes,
                          absl::Time now, absl::string_view start_field,
                          absl::string_view duration_field) {
  FieldViolations violations;
  CheckSlot(start, duration_minutes, now, start_field, duration_field, violations);
  return violations.ToStatus();
}

}  // namespace velknee::scheduling
