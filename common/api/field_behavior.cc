#include "common/api/field_behavior.h"

namespace velknee {

bool HasFieldBehavior(const google::protobuf::FieldDescriptor& field,
                      common::v1::FieldBehavior behavior) {
  const google::protobuf::FieldOptions& options = field.options();
  for (int i = 0; i < options.ExtensionSize(common::v1::field_behavior); ++i) {
    if (options.GetExtension(common::v1::field_behavior, i) == behavior) return true;
  }
  return false;
}

}  // namespace velknee
