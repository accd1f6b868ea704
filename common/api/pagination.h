#ifndef VELKNEE_COMMON_API_PAGINATION_H_
#define VELKNEE_COMMON_API_PAGINATION_H_

// AIP-158 pagination with keyset page tokens. A token carries the sort key of the last item
// returned, bound to the query that produced it: the next page starts strictly after that key
// ("WHERE (k1, k2) > (?, ?)"), so page 1000 costs what page 1 costs.
//
// Tokens are opaque to callers and integrity-checked (a digest over their content and the
// query), not secret: they carry no authority, only a position in results the caller may read.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace velknee {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// page_size as AIP-158 says: 0 → 50, above 500 → 500. INVALID_ARGUMENT when negative.
absl::StatusOr<int> ResolvePageSize(int requested);

// A request's query: everything in it but page_size and page_token, so a token is honoured
// only for the query that issued it.
std::string QueryFingerprint(const google::protobuf::Message& list_request);

// Encodes the sort key of the last item of a page into a token for the next page.
std::string EncodePageToken(absl::string_view query_fingerprint,
                            const std::vector<std::string>& last_key);

// The sort key a page token carries; empty for an empty token (the first page).
// INVALID_ARGUMENT on `page_token` when the token was altered, not made by velknee, or issued
// for a different query.
absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view page_token,
                                                         absl::string_view query_fingerprint);

// A list request's paging, for lists that resume after the id of the last item returned (the
// token then carries only that id, never the values the list is sorted by).
struct PageRequest {
  int page_size;
  std::string after_id;  // Empty for the first page.
  std::string query_fingerprint;
};

// Reads page_size and page_token of `list_request` (which must have both fields).
// INVALID_ARGUMENT as ResolvePageSize and DecodePageToken say.
absl::StatusOr<PageRequest> ReadPageRequest(const google::protobuf::Message& list_request);

// The next_page_token for a page whose last item has id `next_after_id`; empty on the last
// page (empty id).
std::string NextPageToken(const PageRequest& request, const std::string& next_after_id);

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_PAGINATION_H_
