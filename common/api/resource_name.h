#ifndef VELKNEE_COMMON_API_RESOURCE_NAME_H_
#define VELKNEE_COMMON_API_RESOURCE_NAME_H_

// AIP-122 resource names: patterns such as "clients/{client}/notes/{note}".

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace velknee {

// Splits `name` by `pattern` and returns the ids in order ("clients/abc" with pattern
// "clients/{client}" gives {"abc"}). INVALID_ARGUMENT naming `field` when the name does not
// have the pattern's shape or an id is not 1-63 of [a-z0-9-] starting with a letter or digit.
absl::StatusOr<std::vector<std::string>> ParseResourceName(absl::string_view name,
                                                           absl::string_view pattern,
                                                           absl::string_view field);

// Parses a single-id name like "clients/{client}" and returns that id.
absl::StatusOr<std::string> ParseResourceId(absl::string_view name, absl::string_view pattern,
                                            absl::string_view field);

// The last id of `name`, which has already been parsed or was made by the server
// ("clients/c1/notes/n1" gives "n1").
std::string IdOf(absl::string_view name);

// The variables of `pattern`, in order ("clients/{client}/notes/{note}" gives {"client", "note"}).
std::vector<std::string> PatternVariables(absl::string_view pattern);

// Fills the pattern's variables with `ids`, in order. The count must match the pattern.
std::string FormatResourceName(absl::string_view pattern, const std::vector<std::string>& ids);

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_RESOURCE_NAME_H_
