#ifndef VELKNEE_CLIENTS_CLI_RECORD_RUNNER_H_
#define VELKNEE_CLIENTS_CLI_RECORD_RUNNER_H_

// What the clinical record commands (`intake`, `plan`, `note`) do the same
// way, written once: how a refused create is shown, and the `edit` flow (the
// patch from --from_file or from the guided form, the etag, one update call,
// a refusal with its restriction breaches).

#include <span>
#include <string>

#include "absl/flags/flag.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "clients/cli/command.h"
#include "clients/cli/restriction_failure.h"
#include "clients/cli/update_mask.h"
#include "google/protobuf/field_mask.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace velknee::cli {

class RecordRunner : public CommandRunner {
 public:
  using CommandRunner::CommandRunner;

 protected:
  // For a create call that carries `request_id` and failed: a refusal for
  // breaking screening restrictions as RestrictionFailureText, anything else
  // as CreateFailure with the hint to retry with the same id. kExitCallFailed.
  int CreateRefused(const grpc::Status& status, absl::string_view request_id) const;

  // `edit NAME` of a record: with --from_file, the file's fields
  // (ReadPatchFile) and --etag when given; otherwise `take_form(patch, etag)`
  // fills `patch` from the guided form and `etag` with the etag of the record
  // it read, returning kExitOk (or the exit code of a failure it printed),
  // and the update changes `form_paths` only if the record still has --etag,
  // or else that etag. Then `update` makes the one call (not retried: a
  // repeat after a lost answer could overwrite a change made in between when
  // no etag was given). kExitOk when it succeeded (the caller prints the
  // result); kExitCallFailed after the failure's text, restriction breaches
  // included; kExitUsage for an unreadable patch file.
  template <typename Record>
  int EditRecord(absl::string_view name, Record& patch, google::protobuf::FieldMask& mask,
                 std::span<const char* const> form_paths,
                 absl::FunctionRef<int(Record& patch, std::string& etag)> take_form,
                 absl::FunctionRef<grpc::Status(grpc::ClientContext*)> update) const {
    const TextFlag etag = absl::GetFlag(FLAGS_etag);
    if (absl::GetFlag(FLAGS_from_file).given) {
      absl::StatusOr<google::protobuf::FieldMask> read = ReadPatchFile(patch);
      if (!read.ok()) return LocalFailure(read.status());
      mask = *std::move(read);
      if (etag.given) patch.set_etag(etag.value);
    } else {
      std::string current_etag;
      if (const int exit = take_form(patch, current_etag); exit != kExitOk) return exit;
      for (const char* path : form_paths) mask.add_paths(path);
      patch.set_etag(etag.given ? etag.value : current_etag);
    }
    patch.set_name(std::string(name));
    const grpc::Status status = update(connection_.NewCallContext().get());
    if (!status.ok()) {
      io_.err << RestrictionFailureText(status);
      return kExitCallFailed;
    }
    return kExitOk;
  }
};

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_RECORD_RUNNER_H_
