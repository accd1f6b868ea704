#include "tools/bench/clinic.h"

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace velknee::bench {
namespace {

// `velknee-server tokens add` with `flags`; the token is the last line it prints.
absl::StatusOr<std::string> AddToken(const std::string& server_binary,
                                     const std::string& tokens_file,
                                     const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {server_binary, "tokens", "add",
                                   absl::StrCat("--tokens_file=", tokens_file)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(argv);
  if (!child.ok()) return child.status();
  absl::StatusOr<std::string> output = (*child)->WaitForExit(absl::Seconds(30));
  if (!output.ok()) return output.status();
  const std::vector<absl::string_view> lines =
      absl::StrSplit(absl::StripTrailingAsciiWhitespace(*output), '\n');
  return std::string(lines.back());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Clinic>> Clinic::Start(const std::string& server_binary,
                                                      const std::vector<std::string>& server_flags,
                                                      const ScratchDir& scratch) {
  const std::string tokens_file = absl::StrCat(scratch.path(), "/tokens");
  const std::string service_token_file = absl::StrCat(scratch.path(), "/service.token");
  Tokens tokens;
  std::string service_token;
  const std::vector<std::pair<std::vector<std::string>, std::string*>> roles = {
      {{"--role=admin", "--principal=bench-admin"}, &tokens.admin},
      {{"--role=front_desk", "--principal=bench-desk"}, &tokens.front_desk},
      {{"--role=therapist", "--principal=bench-therapist", "--therapist=therapists/bench"},
       &tokens.therapist},
      {{"--role=service", "--principal=bench-services"}, &service_token}};
  for (const auto& [flags, token] : roles) {
    absl::StatusOr<std::string> added = AddToken(server_binary, tokens_file, flags);
    if (!added.ok()) return added.status();
    *token = *std::move(added);
  }
  if (absl::Status written = WriteSecretFile(service_token_file, service_token); !written.ok()) {
    return written;
  }

  std::vector<std::string> argv = {server_binary, "--listen=127.0.0.1:0",
                                   absl::StrCat("--data_dir=", scratch.path(), "/data"),
                                   absl::StrCat("--tokens_file=", tokens_file),
                                   absl::StrCat("--service_token_file=", service_token_file)};
  argv.insert(argv.end(), server_flags.begin(), server_flags.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> server = ChildProcess::Start(argv);
  if (!server.ok()) return server.status();
  absl::StatusOr<std::string> target = (*server)->WaitForListening(absl::Seconds(30));
  if (!target.ok()) return target.status();
  return std::unique_ptr<Clinic>(new Clinic(*target, std::move(tokens), std::move(*server)));
}

absl::StatusOr<std::unique_ptr<Clinic>> Clinic::Target(const std::string& target,
                                                       const std::string& token_file) {
  std::ifstream file(token_file);
  if (!file) return absl::NotFoundError(absl::StrCat("--token_file: cannot read ", token_file));
  Tokens tokens;
  const std::vector<std::pair<absl::string_view, std::string*>> wanted = {
      {"VELKNEE_ADMIN_TOKEN=", &tokens.admin},
      {"VELKNEE_DESK_TOKEN=", &tokens.front_desk},
      {"VELKNEE_THERAPIST_TOKEN=", &tokens.therapist}};
  std::string line;
  while (std::getline(file, line)) {
    absl::string_view rest = absl::StripAsciiWhitespace(line);
    for (const auto& [prefix, token] : wanted) {
      if (absl::ConsumePrefix(&rest, prefix)) *token = std::string(rest);
    }
  }
  for (const auto& [prefix, token] : wanted) {
    if (token->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_file: ", token_file, " has no ", prefix, "... line"));
    }
  }
  return std::unique_ptr<Clinic>(new Clinic(target, std::move(tokens), nullptr));
}

std::optional<pid_t> Clinic::server_pid() const {
  if (server_ == nullptr) return std::nullopt;
  return server_->pid();
}

std::string Clinic::ServerOutput() const { return server_ == nullptr ? "" : server_->OutputTail(); }

}  // namespace velknee::bench
