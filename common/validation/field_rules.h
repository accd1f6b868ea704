#ifndef VELKNEE_COMMON_VALIDATION_FIELD_RULES_H_
#define VELKNEE_COMMON_VALIDATION_FIELD_RULES_H_

// The one check of the field rules declared in the protos: `(velknee.common.v1.rules)` (ranges,
// lengths, list sizes, formats) and `(velknee.common.v1.field_behavior) = REQUIRED`. It reads
// the descriptors at run time, so a limit is written once, in the proto, and every service,
// form and document reads it from there.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "velknee/common/v1/field_rules.pb.h"

namespace velknee {

// The rules declared on `field` (the default, empty rules when it has none).
const common::v1::FieldRules& RulesOf(const google::protobuf::FieldDescriptor& field);

// True when `field` is annotated FIELD_BEHAVIOR_REQUIRED.
bool IsRequired(const google::protobuf::FieldDescriptor& field);

// True when `field` is annotated FIELD_BEHAVIOR_OUTPUT_ONLY (set by the server, never checked).
bool IsOutputOnly(const google::protobuf::FieldDescriptor& field);

// The field of `message_type` named `name`; aborts when there is none (a programming error:
// names come from the code, not from callers).
const google::protobuf::FieldDescriptor& FieldOf(const google::protobuf::Descriptor& message_type,
                                                 absl::string_view name);

// Checks every field of `message` against its rules, descending into set message fields and
// into the items of repeated ones, and adds one violation per bad field, named by its path
// from `path` ("plan" gives "plan.goals[0].description"; "" names top-level fields bare).
// Output-only fields are skipped (the server sets them). A proto3 `optional` number is checked
// only when set; a list longer than its maximum is one violation and its items are not
// checked. Returns the paths it found bad, so a rule spanning fields can skip
// values already refused.
std::vector<std::string> CheckFieldRules(const google::protobuf::Message& message,
                                         absl::string_view path, FieldViolations& violations);

// Checks the fields of `request` itself that carry rules (REQUIRED included), not the messages
// it holds: the service checks a resource with CheckFieldRules once it has normalized it or
// applied an update mask, and resource names and masks have their own parsers. Adds one
// violation per bad field, named bare ("reason").
void CheckRequestFields(const google::protobuf::Message& request, FieldViolations& violations);

// CheckRequestFields as a status: OK, or INVALID_ARGUMENT with one violation per bad field.
absl::Status ValidateRequestFields(const google::protobuf::Message& request);

// Checks `value`, which is not held in a message of `field`'s type (e.g. an appointment's
// duration computed from a reschedule request), against the number rules of `field`.
void CheckNumberRule(const google::protobuf::FieldDescriptor& field, int64_t value,
                     absl::string_view path, FieldViolations& violations);

// True when `path` or a path under it ("plan.techniques" covers "plan.techniques[0].minutes")
// is in `bad`.
bool AnyBadUnder(const std::vector<std::string>& bad, absl::string_view path);

}  // namespace velknee

#endif  // VELKNEE_COMMON_VALIDATION_FIELD_RULES_H_
