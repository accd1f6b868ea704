#include "tests/support/status_details.h"

#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace velknee::test {

std::string ErrorReason(const grpc::Status& status) {
  for (const google::rpc::ErrorInfo& info : DetailsOf<google::rpc::ErrorInfo>(status)) {
    if (info.domain() == kErrorDomain) return info.reason();
  }
  return "";
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  for (const google::rpc::BadRequest& bad_request : DetailsOf<google::rpc::BadRequest>(status)) {
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

std::vector<google::rpc::PreconditionFailure::Violation> PreconditionViolations(
    const grpc::Status& status) {
  std::vector<google::rpc::PreconditionFailure::Violation> violations;
  for (const google::rpc::PreconditionFailure& failure :
       DetailsOf<google::rpc::PreconditionFailure>(status)) {
    for (const auto& violation : failure.violations()) violations.push_back(violation);
  }
  return violations;
}

std::vector<std::string> PreconditionSubjects(const grpc::Status& status) {
  std::vector<std::string> subjects;
  for (const auto& violation : PreconditionViolations(status)) {
    subjects.push_back(violation.subject());
  }
  return subjects;
}

std::vector<std::string> PreconditionDescriptions(const grpc::Status& status) {
  std::vector<std::string> descriptions;
  for (const auto& violation : PreconditionViolations(status)) {
    descriptions.push_back(violation.description());
  }
  return descriptions;
}

std::vector<common::v1::RestrictionBreach> RestrictionBreaches(const grpc::Status& status) {
  return DetailsOf<common::v1::RestrictionBreach>(status);
}

std::vector<common::v1::SlotConflict> SlotConflicts(const grpc::Status& status) {
  return DetailsOf<common::v1::SlotConflict>(status);
}

}  // namespace velknee::test
