#include "common/api/resource_name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace velknee {
namespace {

bool IsVariable(absl::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-') return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseResourceName(absl::string_view name,
                                                           absl::string_view pattern,
                                                           absl::string_view field) {
  const std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  const std::vector<absl::string_view> got = absl::StrSplit(name, '/');
  const auto invalid = [&] {
    return InvalidField(field, name.empty() ? absl::StrCat("is required (", pattern, ")")
                                            : absl::StrCat("must look like ", pattern));
  };
  if (want.size() != got.size()) return invalid();
  std::vector<std::string> ids;
  for (size_t i = 0; i < want.size(); ++i) {
    if (IsVariable(want[i])) {
      if (!IsValidId(got[i])) return invalid();
      ids.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return invalid();
    }
  }
  return ids;
}

absl::StatusOr<std::string> ParseResourceId(absl::string_view name, absl::string_view pattern,
                                            absl::string_view field) {
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(name, pattern, field);
  if (!ids.ok()) return ids.status();
  return ids->back();
}

std::string IdOf(absl::string_view name) { return std::string(name.substr(name.rfind('/') + 1)); }

std::vector<std::string> PatternVariables(absl::string_view pattern) {
  std::vector<std::string> variables;
  for (absl::string_view segment : absl::StrSplit(pattern, '/')) {
    if (IsVariable(segment)) variables.emplace_back(segment.substr(1, segment.size() - 2));
  }
  return variables;
}

std::string FormatResourceName(absl::string_view pattern, const std::vector<std::string>& ids) {
  std::vector<std::string> segments;
  size_t next = 0;
  for (absl::string_view segment : absl::StrSplit(pattern, '/')) {
    segments.emplace_back(IsVariable(segment) ? ids.at(next++) : std::string(segment));
  }
  return absl::StrJoin(segments, "/");
}

}  // namespace velknee
