#ifndef VELKNEE_CLIENTS_CLI_CONNECTION_H_
#define VELKNEE_CLIENTS_CLI_CONNECTION_H_

// The connection flags every reference client takes (--target and the
// per-service --intake_target/--plans_target/--notes_target/
// --scheduling_target, TLS files, --token_file or VELKNEE_TOKEN, --timeout,
// --json), and the channels and per-call contexts built from them. Kept in
// one place so the desk and the tablet connect, authenticate and time out the
// same way.
//
// All services answer at --target when velknee runs as one process (the
// default); when each service runs as its own process, the per-service flags
// say where each one is. A call that fails before any velknee service
// answered it (nothing listening, TLS refused, no answer before the deadline)
// names the service, its address and the flag that set it.
//
// The token is read from a file or the environment rather than a flag value
// so it never shows in a process list or shell history, and it is never
// printed.

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/cli/flag_spec.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

ABSL_DECLARE_FLAG(std::string, target);
ABSL_DECLARE_FLAG(std::string, intake_target);
ABSL_DECLARE_FLAG(std::string, plans_target);
ABSL_DECLARE_FLAG(std::string, notes_target);
ABSL_DECLARE_FLAG(std::string, scheduling_target);
ABSL_DECLARE_FLAG(std::string, tls_ca_file);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(bool, allow_insecure);
ABSL_DECLARE_FLAG(std::string, token_file);
ABSL_DECLARE_FLAG(absl::Duration, timeout);
ABSL_DECLARE_FLAG(bool, json);

namespace velknee::cli {

// The flags above as every command takes them, in the order --help lists
// them. Defined beside the flags, so a new connection flag is accepted and
// shown by adding it there.
const std::vector<FlagSpec>& ConnectionFlags();

// The services a reference client calls, each reachable at its own address.
enum class Service { kIntake, kPlans, kNotes, kScheduling };

// A channel to each service plus what every call needs. Thread-compatible;
// immutable after Open.
class Connection {
 public:
  // Builds the channels and loads the token from the flags. INVALID_ARGUMENT
  // for a missing token or a non-positive --timeout; NOT_FOUND or
  // INVALID_ARGUMENT for unreadable TLS or token files. Channels connect
  // lazily, so a service that is down shows up as UNAVAILABLE on the first
  // call to it.
  static absl::StatusOr<std::unique_ptr<Connection>> OpenFromFlags();

  // A context for one call attempt: bearer token and a deadline --timeout from
  // now. A retry needs a fresh context (gRPC contexts are single-use).
  std::unique_ptr<grpc::ClientContext> NewCallContext() const;

  // Runs `attempt` with a fresh context; on UNAVAILABLE or DEADLINE_EXCEEDED
  // runs it again, up to `max_retries` more times with a short backoff.
  // Only for calls that are safe to repeat: reads, and creates that carry a
  // request_id (the server then answers a repeat with the first result).
  // Returns the status of the last attempt.
  grpc::Status CallWithRetries(absl::FunctionRef<grpc::Status(grpc::ClientContext*)> attempt,
                               int max_retries = 2) const;

  const std::shared_ptr<grpc::Channel>& channel(Service service) const {
    return channels_[static_cast<size_t>(service)];
  }

 private:
  using Channels = std::array<std::shared_ptr<grpc::Channel>, 4>;

  Connection(Channels channels, std::string token, absl::Duration timeout)
      : channels_(std::move(channels)), token_(std::move(token)), timeout_(timeout) {}

  const Channels channels_;
  const std::string token_;
  const absl::Duration timeout_;
};

// Reads a bearer token: the trimmed contents of `token_file` when set,
// otherwise the environment variable VELKNEE_TOKEN. INVALID_ARGUMENT when
// neither yields a token; the error never contains the token.
absl::StatusOr<std::string> LoadToken(const std::string& token_file);

// Keeps gRPC's own log lines (e.g. "Handshake failed ...") off the user's
// terminal: every failed call already prints one error line carrying the same
// reason, and scripts rely on stderr being that one line. Setting
// GRPC_VERBOSITY brings them back for debugging. Call once, at the start of
// main.
void QuietGrpcLogging();

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_CONNECTION_H_
