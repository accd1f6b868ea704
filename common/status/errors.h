#ifndef VELKNEE_COMMON_STATUS_ERRORS_H_
#define VELKNEE_COMMON_STATUS_ERRORS_H_

// Errors that carry the google.rpc details AIP-193 asks for. Code inside velknee returns
// absl::Status; the details ride along with it (details.h, where any further typed detail such as
// a RestrictionBreach is attached with AddDetail), and ToGrpcStatus (grpc_status.h) turns them
// into the `grpc-status-details-bin` trailer.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace velknee {

// The ErrorInfo domain of every velknee error.
inline constexpr absl::string_view kErrorDomain = "velknee";

// Collects one violation per bad request field, so a caller fixes every field in one round.
// Not thread-safe.
class FieldViolations {
 public:
  // `field` is the request path (`client.phone`), `rule` what the value must satisfy
  // (`must be 7 to 15 digits`).
  void Add(absl::string_view field, absl::string_view rule);
  bool empty() const { return violations_.empty(); }

  // OK when nothing was added; otherwise INVALID_ARGUMENT with reason INVALID_FIELD, a
  // message "field: rule; field: rule" and a BadRequest detail listing each violation.
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// INVALID_ARGUMENT for a single bad field.
absl::Status InvalidField(absl::string_view field, absl::string_view rule);

// One unmet precondition: `type` is a short machine-readable class (`STATE`, `MISSING`,
// `RESTRICTION`), `subject` what it is about (a field path or resource name).
struct PreconditionViolation {
  std::string type;
  std::string subject;
  std::string description;
};

// FAILED_PRECONDITION with ErrorInfo `reason` and a PreconditionFailure detail listing
// `violations`; the message joins their descriptions after `summary`.
absl::Status PreconditionFailed(absl::string_view reason, absl::string_view summary,
                                const std::vector<PreconditionViolation>& violations);

// Returns `status` with an ErrorInfo{reason, domain velknee} detail (replacing any earlier one).
// Use it for errors whose code alone does not say what happened (e.g. ETAG_MISMATCH).
absl::Status WithReason(absl::Status status, absl::string_view reason);

// Returns `status` with `metadata[key] = value` in its ErrorInfo, for a value a client reads
// instead of parsing the message. Give the reason first (WithReason, PreconditionFailed): on a
// status without an ErrorInfo this adds one of domain velknee without a reason.
absl::Status WithErrorMetadata(absl::Status status, absl::string_view key, absl::string_view value);

// NOT_FOUND naming the resource, reason RESOURCE_NOT_FOUND.
absl::Status ResourceNotFound(absl::string_view resource_name);

}  // namespace velknee

#endif  // VELKNEE_COMMON_STATUS_ERRORS_H_
