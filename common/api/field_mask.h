#ifndef VELKNEE_COMMON_API_FIELD_MASK_H_
#define VELKNEE_COMMON_API_FIELD_MASK_H_

// AIP-134 partial updates. Which fields may be written comes from the proto itself: fields
// annotated `(velknee.common.v1.field_behavior) = FIELD_BEHAVIOR_OUTPUT_ONLY` or `IMMUTABLE`
// can never be in an update mask.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace velknee {

// Checks `mask` against the resource type of `patch`. INVALID_ARGUMENT when the mask is empty
// (an update names what it changes), and one violation per bad path (`update_mask.paths[i]`):
// unknown field, output-only or immutable field, or a path through a repeated field.
absl::Status ValidateUpdateMask(const google::protobuf::FieldMask& mask,
                                const google::protobuf::Message& patch);

// Copies the fields named by `mask` from `patch` into `target`; message and repeated fields are
// replaced, not merged, so a field in the mask that is unset in `patch` is cleared. Output-only
// fields inside a replaced message keep their stored values.
void ApplyUpdateMask(const google::protobuf::FieldMask& mask,
                     const google::protobuf::Message& patch, google::protobuf::Message* target);

// Resets every output-only field of `resource` (at any depth through singular messages), so
// what a caller sent in them on create is ignored.
void ClearOutputOnly(google::protobuf::Message* resource);

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_FIELD_MASK_H_
