#ifndef VELKNEE_COMMON_SERVER_REQUEST_LOG_H_
#define VELKNEE_COMMON_SERVER_REQUEST_LOG_H_

// The request log: one line per call (time, method, principal id, status code, latency, peer),
// as text or as one JSON object per line. Never request content (clinical data) or tokens.
//
// A call only hands its record to a bounded buffer; a background thread formats the buffered
// records and writes them out in one write every kDrainInterval (or sooner once the buffer is
// half full). A call therefore never waits for the output: when the output cannot keep up and
// the buffer is full, records are dropped, counted, and the writer reports how many in the
// log itself once it can write again. The log is for operators; the audit trail, which is
// never dropped, is the record of who read what.
//
// Thread-safe.

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace velknee {

enum class LogFormat {
  kText,  // 2026-05-01T09:30:00.123Z rpc=/pkg.Service/Method principal=desk-1 code=OK ...
  kJson,  // {"time":"2026-05-01T09:30:00.123Z","method":"/pkg.Service/Method",...}
};

// The format named by --log_format ("text" or "json"); INVALID_ARGUMENT naming the flag and
// its choices otherwise.
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// What the log says about one call.
struct RequestRecord {
  absl::Time time;         // When the call arrived.
  absl::Duration latency;  // From arrival to the answer.
  std::string method;      // Full gRPC method name.
  std::string principal;   // The caller's principal id; empty without a valid token.
  absl::StatusCode code = absl::StatusCode::kOk;
  std::string peer;  // The caller's address as gRPC names it ("ipv4:127.0.0.1:50312").
};

// `record` as one line (with its newline) in `format`.
std::string FormatRequestRecord(LogFormat format, const RequestRecord& record);

class RequestLog {
 public:
  // Records buffered before the writer drains them; past this, records are dropped.
  static constexpr size_t kCapacity = 8192;
  // How long a record may wait in the buffer while the buffer is less than half full.
  static constexpr absl::Duration kDrainInterval = absl::Milliseconds(100);

  // Starts the writer thread, which writes to `out` (not owned; must outlive the log).
  RequestLog(LogFormat format, std::FILE* out);
  // Writes every buffered record, then stops the writer thread.
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  // The log of this process, which every RpcRunner writes to: stderr, in text until
  // set_format says otherwise. Never destroyed (calls may still finish while the process
  // exits); call Flush before exiting to write what is buffered.
  static RequestLog& OfProcess();

  // Changes the format of the records written from now on.
  void set_format(LogFormat format) { format_.store(format, std::memory_order_relaxed); }

  // Buffers `record` for writing, or drops it when kCapacity records are waiting. Never waits
  // for the output.
  void Record(RequestRecord record) ABSL_LOCKS_EXCLUDED(mu_);

  // Returns once every record buffered before the call has been written and `out` flushed.
  void Flush() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void WriteLoop() ABSL_LOCKS_EXCLUDED(mu_);
  bool ShouldDrain() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::FILE* const out_;
  std::atomic<LogFormat> format_;

  absl::Mutex mu_;
  // Swapped whole with the writer's batch, so buffering a record is a push_back.
  std::vector<RequestRecord> buffered_ ABSL_GUARDED_BY(mu_);
  uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;  // Since the writer last reported drops.
  uint64_t flushes_requested_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t flushes_done_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  std::thread writer_;  // Last member: starts after the rest is initialised.
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_SERVER_REQUEST_LOG_H_
