#ifndef VELKNEE_COMMON_VALIDATION_CLINICAL_H_
#define VELKNEE_COMMON_VALIDATION_CLINICAL_H_

// Field rules for the clinical vocabulary shared by assessments, plans and notes.

#include <cstddef>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/protobuf/repeated_field.h"
#include "velknee/common/v1/region.pb.h"

namespace velknee {

// Most items any repeated field may hold.
inline constexpr int kMaxListItems = 50;

// A region names a body region and a side.
void CheckRegion(const common::v1::Region& region, absl::string_view field,
                 FieldViolations& violations);

// A pain score on the numeric pain rating scale, 0 (none) to 10 (worst imaginable).
void CheckNprs(int value, absl::string_view field, FieldViolations& violations);

// At most kMaxListItems items.
void CheckListSize(int size, absl::string_view field, FieldViolations& violations);

// A known, specified value of a proto enum (`is_valid` is the generated *_IsValid).
void CheckEnum(int value, bool (*is_valid)(int), absl::string_view field,
               FieldViolations& violations);

// Each item one line of 1 to `max_chars` characters, and at most kMaxListItems items.
void CheckShortTextList(const google::protobuf::RepeatedPtrField<std::string>& items,
                        absl::string_view field, size_t max_chars, FieldViolations& violations);

}  // namespace velknee

#endif  // VELKNEE_COMMON_VALIDATION_CLINICAL_H_
