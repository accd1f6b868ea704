#ifndef VELKNEE_SERVICES_SERVER_FLAGS_H_
#define VELKNEE_SERVICES_SERVER_FLAGS_H_

// Command-line flags of velknee-server, shared by its subcommands.

#include <string>

#include "absl/flags/declare.h"
#include "absl/time/time.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, health_listen);
ABSL_DECLARE_FLAG(std::string, metrics_listen);
ABSL_DECLARE_FLAG(std::string, data_dir);
ABSL_DECLARE_FLAG(std::string, tokens_file);
ABSL_DECLARE_FLAG(std::string, service_token_file);
ABSL_DECLARE_FLAG(std::string, services);
ABSL_DECLARE_FLAG(std::string, intake_target);
ABSL_DECLARE_FLAG(std::string, plans_target);
ABSL_DECLARE_FLAG(std::string, scheduling_target);
ABSL_DECLARE_FLAG(bool, peer_allow_insecure);
ABSL_DECLARE_FLAG(std::string, peer_tls_ca_file);
ABSL_DECLARE_FLAG(std::string, peer_tls_cert_file);
ABSL_DECLARE_FLAG(std::string, peer_tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_client_ca_file);
ABSL_DECLARE_FLAG(bool, allow_insecure);
ABSL_DECLARE_FLAG(std::string, sqlite_synchronous);
ABSL_DECLARE_FLAG(absl::Duration, drain_timeout);
ABSL_DECLARE_FLAG(absl::Duration, default_call_timeout);
ABSL_DECLARE_FLAG(std::string, clinic_time_zone);
ABSL_DECLARE_FLAG(std::string, log_format);
ABSL_DECLARE_FLAG(std::string, role);
ABSL_DECLARE_FLAG(std::string, principal);
ABSL_DECLARE_FLAG(std::string, therapist);

#endif  // VELKNEE_SERVICES_SERVER_FLAGS_H_
