#ifndef VELKNEE_COMMON_VALIDATION_CLINICAL_H_
#define VELKNEE_COMMON_VALIDATION_CLINICAL_H_

// Field rules for the clinical vocabulary shared by assessments, plans and notes.

#include <cstddef>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/protobuf/repeated_field.h"
#include "velknee/common/v1/muscle_finding.pb.h"
#include "velknee/common/v1/pressure.pb.h"
#include "velknee/common/v1/region.pb.h"
#include "velknee/common/v1/technique.pb.h"

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

// A palpation finding: a region, a kind, severity 1..3 and, when set, a valid refers_to.
void CheckMuscleFinding(const common::v1::MuscleFinding& finding, absl::string_view field,
                        FieldViolations& violations);

// A technique on some regions (planned or applied): a technique, 1 to 50 regions, a pressure
// and 1..180 minutes. `Use` is PlannedTechnique or AppliedTechnique.
template <typename Use>
void CheckTechniqueUse(const Use& use, absl::string_view field, FieldViolations& violations) {
  CheckEnum(use.technique(), common::v1::Technique_IsValid, absl::StrCat(field, ".technique"),
            violations);
  if (use.regions().empty()) {
    violations.Add(absl::StrCat(field, ".regions"), "must name at least one region");
  }
  CheckListSize(use.regions_size(), absl::StrCat(field, ".regions"), violations);
  for (int r = 0; r < use.regions_size() && r < kMaxListItems; ++r) {
    CheckRegion(use.regions(r), absl::StrCat(field, ".regions[", r, "]"), violations);
  }
  CheckEnum(use.pressure(), common::v1::Pressure_IsValid, absl::StrCat(field, ".pressure"),
            violations);
  if (use.minutes() < 1 || use.minutes() > 180) {
    violations.Add(absl::StrCat(field, ".minutes"), "must be between 1 and 180");
  }
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_VALIDATION_CLINICAL_H_
