#ifndef VELKNEE_COMMON_API_FIELD_BEHAVIOR_H_
#define VELKNEE_COMMON_API_FIELD_BEHAVIOR_H_

// Reads the `(velknee.common.v1.field_behavior)` annotation of a field, for the update-mask
// check and the field-rules validator alike.

#include "google/protobuf/descriptor.h"
#include "velknee/common/v1/field_behavior.pb.h"

namespace velknee {

// True when `field` is annotated with `behavior`.
bool HasFieldBehavior(const google::protobuf::FieldDescriptor& field,
                      common::v1::FieldBehavior behavior);

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_FIELD_BEHAVIOR_H_
