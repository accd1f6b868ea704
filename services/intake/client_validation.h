#ifndef VELKNEE_SERVICES_INTAKE_CLIENT_VALIDATION_H_
#define VELKNEE_SERVICES_INTAKE_CLIENT_VALIDATION_H_

// The rules a client record must satisfy, checked on create and after every update.

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "velknee/intake/v1/client.pb.h"

namespace velknee::intake {

// Checks the writable fields of `client` and normalizes them in place (trimmed names, phone
// numbers without separators). INVALID_ARGUMENT with one violation per bad field, each path
// starting with "client.":
// - given_name, family_name: 1 to 100 characters, one line;
// - phone: 7 to 15 digits with an optional leading '+' (separators allowed, removed);
// - email (optional): name@domain.tld;
// - birth_date (optional): a real date before `today`;
// - emergency_contact (optional): a name and a valid phone once either is given;
// - front_desk_note: at most 4 KiB.
absl::Status ValidateClient(v1::Client& client, absl::CivilDay today);

}  // namespace velknee::intake

#endif  // VELKNEE_SERVICES_INTAKE_CLIENT_VALIDATION_H_
