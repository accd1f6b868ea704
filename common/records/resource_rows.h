#ifndef VELKNEE_COMMON_RECORDS_RESOURCE_ROWS_H_
#define VELKNEE_COMMON_RECORDS_RESOURCE_ROWS_H_

// Stores keep each API resource as its serialized message in a `resource` column, next to the
// columns they search and sort on (RecordStore). These helpers read such rows back.

#include <string>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace velknee {

// A page of a list: the resources, and the id of the last one when more follow (what the next
// page token carries) or empty on the last page.
template <typename Resource>
struct ResourcePage {
  std::vector<Resource> items;
  std::string next_after_id;
};

// Parses a stored `message` (a `resource` column). DATA_LOSS naming the record `what` when it is
// unreadable.
template <typename Resource>
absl::StatusOr<Resource> ParseStoredResource(const std::string& message, absl::string_view what) {
  Resource resource;
  if (!resource.ParseFromString(message)) {
    return absl::DataLossError(absl::StrCat("stored record ", what, " is unreadable"));
  }
  return resource;
}

// Steps `statement`, which selects (id, resource) in list order, and returns up to
// `page_size` of the resources `keep` accepts (every one by default); one more accepted resource
// only tells that another page follows. A statement whose rows are all kept should have
// LIMIT page_size + 1; SQLite steps no further than it is asked to either way.
template <typename Resource>
absl::StatusOr<ResourcePage<Resource>> ReadResourcePage(
    SQLite::Statement& statement, int page_size,
    absl::FunctionRef<bool(const Resource&)> keep = [](const Resource&) { return true; }) {
  ResourcePage<Resource> page;
  std::string last_id;
  while (statement.executeStep()) {
    std::string id = statement.getColumn(0).getString();
    absl::StatusOr<Resource> resource =
        ParseStoredResource<Resource>(statement.getColumn(1).getString(), id);
    if (!resource.ok()) return resource.status();
    if (!keep(*resource)) continue;
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_after_id = last_id;
      break;
    }
    last_id = std::move(id);
    page.items.push_back(*std::move(resource));
  }
  return page;
}

}  // namespace velknee

#endif  // VELKNEE_COMMON_RECORDS_RESOURCE_ROWS_H_
