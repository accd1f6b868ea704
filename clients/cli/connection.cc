#include "clients/cli/connection.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client/channel.h"
#include "common/status/macros.h"
#include "grpc/support/log.h"
#include "grpcpp/support/client_interceptor.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051",
          "Server address, host:port: where every service answers when velknee runs as one "
          "process.");
ABSL_FLAG(std::string, intake_target, "",
          "Address of the intake service (clients, assessments) when it runs as its own "
          "process; empty uses --target.");
ABSL_FLAG(std::string, plans_target, "",
          "Address of the treatment plans service when it runs as its own process; empty uses "
          "--target.");
ABSL_FLAG(std::string, notes_target, "",
          "Address of the session notes service when it runs as its own process; empty uses "
          "--target.");
ABSL_FLAG(std::string, scheduling_target, "",
          "Address of the scheduling service when it runs as its own process; empty uses "
          "--target.");
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

const std::vector<FlagSpec>& ConnectionFlags() {
  static const std::vector<FlagSpec>* const flags = new std::vector<FlagSpec>{
      {"target", "HOST:PORT"},
      {"intake_target", "HOST:PORT"},
      {"plans_target", "HOST:PORT"},
      {"notes_target", "HOST:PORT"},
      {"scheduling_target", "HOST:PORT"},
      {"token_file", "FILE"},
      {"tls_ca_file", "FILE"},
      {"tls_cert_file", "FILE"},
      {"tls_key_file", "FILE"},
      {"allow_insecure", ""},
      {"timeout", "DURATION"},
      {"json", ""},
  };
  return *flags;
}

namespace {

struct ServiceAddress {
  Service service;
  const char* words;  // as the servers name their peers: "the plans service"
  const absl::Flag<std::string>* flag;
  const char* flag_name;
};

const ServiceAddress kServiceAddresses[] = {
    {Service::kIntake, "intake", &FLAGS_intake_target, "intake_target"},
    {Service::kPlans, "plans", &FLAGS_plans_target, "plans_target"},
    {Service::kNotes, "notes", &FLAGS_notes_target, "notes_target"},
    {Service::kScheduling, "scheduling", &FLAGS_scheduling_target, "scheduling_target"},
};

// Says which service a call failed to get an answer from. A velknee service always answers
// with google.rpc details, so a failure without them came from the transport (nothing
// listening, TLS refused, the server draining) or from the client's own deadline; the bare
// gRPC message ("failed to connect to all addresses") does not say which of several addresses
// that was.
class ServiceNamingInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ServiceNamingInterceptor(std::string who) : who_(std::move(who)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::POST_RECV_STATUS)) {
      grpc::Status* status = methods->GetRecvStatus();
      if (status->error_details().empty()) {
        if (status->error_code() == grpc::StatusCode::UNAVAILABLE) {
          *status = grpc::Status(status->error_code(),
                                 absl::StrCat(who_, " is unavailable: ", status->error_message()));
        } else if (status->error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
          *status = grpc::Status(
              status->error_code(),
              absl::StrCat(who_, " did not answer within --timeout: ", status->error_message()));
        }
      }
    }
    methods->Proceed();
  }

 private:
  const std::string who_;
};

class ServiceNamingFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit ServiceNamingFactory(std::string who) : who_(std::move(who)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new ServiceNamingInterceptor(who_);
  }

 private:
  const std::string who_;
};

// "the plans service at 127.0.0.1:50062 (--plans_target)"
std::string Who(const ServiceAddress& address, const std::string& target, bool own_flag) {
  return absl::StrCat("the ", address.words, " service at ", target, " (--",
                      own_flag ? address.flag_name : "target", ")");
}

}  // namespace

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
  options.tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.allow_insecure = absl::GetFlag(FLAGS_allow_insecure);
  if (options.tls.cert_file.empty() != options.tls.key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert_file and --tls_key_file go together");
  }
  Channels channels;
  for (const ServiceAddress& address : kServiceAddresses) {
    const std::string own_target = absl::GetFlag(*address.flag);
    options.target = own_target.empty() ? absl::GetFlag(FLAGS_target) : own_target;
    if (options.target.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", own_target.empty() ? "target" : address.flag_name,
                       ": must be an address, host:port"));
    }
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> naming;
    naming.push_back(
        std::make_unique<ServiceNamingFactory>(Who(address, options.target, !own_target.empty())));
    VELKNEE_ASSIGN_OR_RETURN(channels[static_cast<size_t>(address.service)],
                             MakeChannel(options, std::move(naming)));
  }
  return std::unique_ptr<Connection>(
      new Connection(std::move(channels), std::move(token), timeout));
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
