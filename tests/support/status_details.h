#ifndef VELKNEE_TESTS_SUPPORT_STATUS_DETAILS_H_
#define VELKNEE_TESTS_SUPPORT_STATUS_DETAILS_H_

// Reads the google.rpc details that common/status attaches to an absl::Status, and that a
// grpc::Status carries over the wire, so tests can check what a caller's program (not just a
// person reading the message) would see.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status/details.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/support/status.h"
#include "velknee/common/v1/error_details.pb.h"

namespace velknee::test {

// The first detail of type `Detail`, or nullopt when there is none.
template <typename Detail>
std::optional<Detail> DetailOf(const absl::Status& status) {
  std::vector<Detail> details = DetailsOf<Detail>(status);
  if (details.empty()) return std::nullopt;
  return std::move(details.front());
}

// The ErrorInfo reason, or "" when there is no ErrorInfo.
inline std::string ReasonOf(const absl::Status& status) {
  const auto info = DetailOf<google::rpc::ErrorInfo>(status);
  return info.has_value() ? info->reason() : "";
}

// The fields named by the BadRequest detail, in order.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  if (const auto bad_request = DetailOf<google::rpc::BadRequest>(status)) {
    for (const auto& violation : bad_request->field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

// The same, read from a status received through a stub.

// The ErrorInfo reason of domain "velknee", or "" when there is none.
std::string ErrorReason(const grpc::Status& status);

// The fields named by the BadRequest details, in order.
std::vector<std::string> ViolatedFields(const grpc::Status& status);

// The PreconditionFailure violations, in order.
std::vector<google::rpc::PreconditionFailure::Violation> PreconditionViolations(
    const grpc::Status& status);

// The subjects of the PreconditionFailure violations, in order.
std::vector<std::string> PreconditionSubjects(const grpc::Status& status);

// The descriptions of the PreconditionFailure violations, in order.
std::vector<std::string> PreconditionDescriptions(const grpc::Status& status);

// The RestrictionBreach details (plans and notes), in order.
std::vector<common::v1::RestrictionBreach> RestrictionBreaches(const grpc::Status& status);

// The SlotConflict details (scheduling), in order.
std::vector<common::v1::SlotConflict> SlotConflicts(const grpc::Status& status);

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_SUPPORT_STATUS_DETAILS_H_
