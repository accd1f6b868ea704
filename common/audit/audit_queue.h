#ifndef VELKNEE_COMMON_AUDIT_AUDIT_QUEUE_H_
#define VELKNEE_COMMON_AUDIT_AUDIT_QUEUE_H_

// Audit events that belong to no write transaction — reads of records and denied calls — are
// handed to this queue and appended by one background thread in batches, one transaction per
// batch. A read thus never waits for the database writer, and a flood of calls with bad tokens
// costs one transaction per batch instead of one fsync each.
//
// What is promised: an event added to the queue is committed to the database (durable under
// synchronous=FULL) within kDurableWithin, as long as the database accepts writes. The writer
// lets events gather for at most kGatherWindow after its last commit began (so a busy server
// commits a few large batches a second rather than one per handful of reads), then commits
// everything queued; a caller that would queue more than kMaxPending waits instead
// (back-pressure), so an event waits for at most the window, the batch being written and its
// own batch.
//
// Thread-safe. Events that writes make are appended inside the write's own transaction instead
// (AppendAuditEvent), so they commit together with the change they record.

#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"

namespace velknee {

class AuditQueue {
 public:
  // Past this many unwritten events, Add waits for the writer (back-pressure, not loss).
  static constexpr size_t kMaxPending = 10000;
  // How soon after Add an event is durable (see the promise above). A batch of kMaxPending
  // events takes well under a tenth of this on the build machine; the rest is headroom for a
  // slow disk.
  static constexpr absl::Duration kDurableWithin = absl::Seconds(1);
  // How long events may gather into one batch (see above); a batch reaching kMaxPending / 2,
  // Flush, or the destructor ends the wait early.
  static constexpr absl::Duration kGatherWindow = absl::Milliseconds(10);

  // Starts the writer thread for `db` (not owned; must outlive the queue).
  explicit AuditQueue(Database* db);
  // Writes every queued event, then stops the writer thread.
  ~AuditQueue();
  AuditQueue(const AuditQueue&) = delete;
  AuditQueue& operator=(const AuditQueue&) = delete;

  // Queues `event` for writing. Returns at once unless kMaxPending events are waiting.
  void Add(AuditEvent event) ABSL_LOCKS_EXCLUDED(mu_);

  // How many events are queued and not yet written (for metrics).
  size_t depth() ABSL_LOCKS_EXCLUDED(mu_);

  // Returns once every event added before the call has been written (or given up on after the
  // database refused it, which is reported on stderr).
  void Flush() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void WriteLoop() ABSL_LOCKS_EXCLUDED(mu_);
  // Whether the writer should write now rather than let the batch gather.
  bool BatchReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Database* const db_;

  absl::Mutex mu_;
  // Events waiting for the writer; swapped whole with the writer's batch, so adding one is a
  // push_back and no event is copied or moved again before it is written.
  std::vector<AuditEvent> pending_ ABSL_GUARDED_BY(mu_);
  uint64_t added_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t written_ ABSL_GUARDED_BY(mu_) = 0;  // Includes events given up on.
  int flushes_waiting_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  std::thread writer_;  // Last member: starts after the rest is initialised.
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_AUDIT_AUDIT_QUEUE_H_
