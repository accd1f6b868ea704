#include "clients/cli/record_runner.h"

namespace velknee::cli {

int RecordRunner::CreateRefused(const grpc::Status& status, absl::string_view request_id) const {
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    io_.err << RestrictionFailureText(status);
    return kExitCallFailed;
  }
  // The record may exist and only the answer was lost.
  return CreateFailure(status, RetryWithRequestIdHint(request_id));
}

}  // namespace velknee::cli
