#include "clients/cli/connection.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "common/status/macros.h"
#include "grpc/support/log.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address, host:port.");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM roots that verify the server (TLS); empty uses the system "
          "roots when TLS is on. TLS is on for any non-loopback --target or "
          "when a --tls_* file is given.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM client certificate, for servers that require mutual TLS.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(bool, allow_insecure, false,
          "Talk plaintext to a non-loopback --target (only for a server "
          "started with --allow_insecure on a trusted network).");
ABSL_FLAG(std::string, token_file, "",
          "File holding the bearer token. When empty, the token comes from "
          "the VELKNEE_TOKEN environment variable.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10),
          "Deadline of each call attempt, e.g. 10s or 500ms.");
ABSL_FLAG(bool, json, false, "Print results as proto JSON (for scripts) instead of text.");

namespace velknee::cli {

absl::StatusOr<std::string> LoadToken(const std::string& token_file) {
  std::string token;
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) {
      return absl::NotFoundError(absl::StrCat("--token_file: cannot read ", token_file));
    }
    std::stringstream contents;
    contents << in.rdbuf();
    token = std::string(absl::StripAsciiWhitespace(contents.str()));
    if (token.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--token_file: ", token_file, " is empty"));
    }
    return token;
  }
  if (const char* env = std::getenv("VELKNEE_TOKEN"); env != nullptr) {
    token = std::string(absl::StripAsciiWhitespace(env));
  }
  if (token.empty()) {
    return absl::InvalidArgumentError("no token: pass --token_file=FILE or set VELKNEE_TOKEN");
  }
  return token;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::OpenFromFlags() {
  const absl::Duration timeout = absl::GetFlag(FLAGS_timeout);
  if (timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--timeout: must be positive");
  }
  VELKNEE_ASSIGN_OR_RETURN(std::string token, LoadToken(absl::GetFlag(FLAGS_token_file)));
  ChannelOptions options;
  options.target = absl::GetFlag(FLAGS_target);
  options.tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.allow_insecure = absl::GetFlag(FLAGS_allow_insecure);
  if (options.tls.cert_file.empty() != options.tls.key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert_file and --tls_key_file go together");
  }
  VELKNEE_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, MakeChannel(options));
  return std::unique_ptr<Connection>(new Connection(std::move(channel), std::move(token), timeout));
}

std::unique_ptr<grpc::ClientContext> Connection::NewCallContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  PrepareContext(*context, token_, absl::Now() + timeout_);
  return context;
}

grpc::Status Connection::CallWithRetries(
    absl::FunctionRef<grpc::Status(grpc::ClientContext*)> attempt, int max_retries) const {
  absl::Duration backoff = absl::Milliseconds(250);
  for (int tries = 0;; ++tries) {
    std::unique_ptr<grpc::ClientContext> context = NewCallContext();
    grpc::Status status = attempt(context.get());
    const bool transient = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
    if (!transient || tries >= max_retries) return status;
    absl::SleepFor(backoff);
    backoff *= 4;
  }
}

void QuietGrpcLogging() {
  if (std::getenv("GRPC_VERBOSITY") != nullptr) return;
  gpr_set_log_function([](gpr_log_func_args*) {});
}

}  // namespace velknee::cli
