#ifndef VELKNEE_TOOLS_BENCH_CHILD_PROCESS_H_
#define VELKNEE_TOOLS_BENCH_CHILD_PROCESS_H_

// The processes velknee-bench starts (velknee-server, its own echo server, `velknee-server
// tokens add`) and the scratch directory they work in. Nothing the benchmark starts outlives
// it: a child is stopped when its ChildProcess goes, and the kernel kills it (PR_SET_PDEATHSIG)
// if the benchmark itself is killed.
//
// Thread-compatible: one thread starts and stops a child; OutputTail() may be called from any.

#include <sys/types.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace velknee::bench {

// A child whose stdout and stderr are read by a thread of ours, so a chatty child (the server's
// request log) never blocks on a full pipe; only the last lines are kept, for error messages.
class ChildProcess {
 public:
  // Starts `argv` (argv[0] is a path). INTERNAL when it cannot be started.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv);

  // Stops the child: SIGTERM, then SIGKILL if it has not exited within 10 s.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits for the child's `listening on HOST:PORT` line and returns HOST:PORT. UNAVAILABLE,
  // naming the child's last output, when it exits or `timeout` passes first.
  absl::StatusOr<std::string> WaitForListening(absl::Duration timeout);

  // Waits for the child to exit (killing it after `timeout`) and returns everything it wrote.
  // INTERNAL, with that output, when it did not exit with status 0.
  absl::StatusOr<std::string> WaitForExit(absl::Duration timeout);

  // The last lines the child wrote (at most about 8 KB).
  std::string OutputTail() const;

  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int output_fd);
  void ReadOutput();
  // Sends `signal` and reaps the child within `timeout`; false when it is still running.
  bool SignalAndReap(int signal, absl::Duration timeout);

  const pid_t pid_;
  const int output_fd_;
  bool reaped_ = false;
  int exit_status_ = -1;
  mutable absl::Mutex mu_;
  std::string output_ ABSL_GUARDED_BY(mu_);
  bool keep_all_output_ ABSL_GUARDED_BY(mu_) = true;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::thread reader_;
};

// A fresh directory (mode 0700) under `parent` that is removed with everything in it when this
// object goes. INTERNAL when it cannot be made.
class ScratchDir {
 public:
  static absl::StatusOr<std::unique_ptr<ScratchDir>> Make(const std::string& parent);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  const std::string path_;
};

// The path of the running executable (/proc/self/exe).
std::string OwnExecutable();

// The resident set (VmRSS) of process `pid` in bytes; NOT_FOUND when it has gone.
absl::StatusOr<int64_t> ResidentBytes(pid_t pid);

// Writes `text` to `path` with mode 0600 (a secret the server refuses if others can read it).
absl::Status WriteSecretFile(const std::string& path, const std::string& text);

// Makes SIGINT and SIGTERM set Interrupted() instead of killing the benchmark, so that it
// stops its load, then its children, and removes its scratch directory. Call before starting
// any thread.
void CatchInterrupts();
bool Interrupted();

}  // namespace velknee::bench

#endif  // VELKNEE_TOOLS_BENCH_CHILD_PROCESS_H_
