#ifndef VELKNEE_TOOLS_BENCH_CLINIC_H_
#define VELKNEE_TOOLS_BENCH_CLINIC_H_

// The velknee-server under test: one velknee-bench starts (a child process on a free loopback
// port, in a fresh data directory, with a token per role made by `velknee-server tokens add`),
// or one already running that it is pointed at.

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/bench/child_process.h"
#include "tools/bench/seed.h"

namespace velknee::bench {

class Clinic {
 public:
  // Starts `server_binary` with `server_flags` added, its data and tokens in `scratch`.
  // UNAVAILABLE with the server's output when it does not start.
  static absl::StatusOr<std::unique_ptr<Clinic>> Start(const std::string& server_binary,
                                                       const std::vector<std::string>& server_flags,
                                                       const ScratchDir& scratch);

  // The server at `target`, with the tokens of `token_file`: VELKNEE_ADMIN_TOKEN=,
  // VELKNEE_DESK_TOKEN= and VELKNEE_THERAPIST_TOKEN= lines, as deploy/quickstart.sh writes
  // var/dev-tokens.env. INVALID_ARGUMENT naming a missing token; NOT_FOUND for no such file.
  static absl::StatusOr<std::unique_ptr<Clinic>> Target(const std::string& target,
                                                        const std::string& token_file);

  const std::string& target() const { return target_; }
  const Tokens& tokens() const { return tokens_; }
  // The server's process when the benchmark started it.
  std::optional<pid_t> server_pid() const;
  // What the server wrote last (its log), for error messages; empty for a targeted server.
  std::string ServerOutput() const;

 private:
  Clinic(std::string target, Tokens tokens, std::unique_ptr<ChildProcess> server)
      : target_(std::move(target)), tokens_(std::move(tokens)), server_(std::move(server)) {}

  const std::string target_;
  const Tokens tokens_;
  const std::unique_ptr<ChildProcess> server_;
};

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_CLINIC_H_
