#include "common/validation/clinical.h"

#include "absl/strings/str_cat.h"
#include "common/validation/fields.h"

namespace velknee {

void CheckRegion(const common::v1::Region& region, absl::string_view field,
                 FieldViolations& violations) {
  CheckEnum(region.region(), common::v1::BodyRegion_IsValid, absl::StrCat(field, ".region"),
            violations);
  CheckEnum(region.side(), common::v1::Side_IsValid, absl::StrCat(field, ".side"), violations);
}

void CheckNprs(int value, absl::string_view field, FieldViolations& violations) {
  if (value < 0 || value > 10) violations.Add(field, "must be between 0 and 10");
}

void CheckListSize(int size, absl::string_view field, FieldViolations& violations) {
  if (size > kMaxListItems) {
    violations.Add(field, absl::StrCat("must hold at most ", kMaxListItems, " items"));
  }
}

void CheckEnum(int value, bool (*is_valid)(int), absl::string_view field,
               FieldViolations& violations) {
  if (value == 0 || !is_valid(value)) violations.Add(field, "must be set to one of its values");
}

void CheckShortTextList(const google::protobuf::RepeatedPtrField<std::string>& items,
                        absl::string_view field, size_t max_chars, FieldViolations& violations) {
  CheckListSize(items.size(), field, violations);
  for (int i = 0; i < items.size() && i < kMaxListItems; ++i) {
    CheckText(items[i], absl::StrCat(field, "[", i, "]"), 1, max_chars, false, violations);
  }
}

void CheckMuscleFinding(const common::v1::MuscleFinding& finding, absl::string_view field,
                        FieldViolations& violations) {
  CheckRegion(finding.region(), absl::StrCat(field, ".region"), violations);
  CheckEnum(finding.kind(), common::v1::MuscleFinding::Kind_IsValid, absl::StrCat(field, ".kind"),
            violations);
  if (finding.severity() < 1 || finding.severity() > 3) {
    violations.Add(absl::StrCat(field, ".severity"),
                   "must be 1 (mild), 2 (moderate) or 3 (marked)");
  }
  if (finding.has_refers_to()) {
    CheckRegion(finding.refers_to(), absl::StrCat(field, ".refers_to"), violations);
  }
}

}  // namespace velknee
