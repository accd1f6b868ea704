#ifndef VELKNEE_COMMON_AUDIT_AUDIT_QUEUE_H_
#define VELKNEE_COMMON_AUDIT_AUDIT_QUEUE_H_

// Audit events that belong to no write transaction — reads of records and denied calls — are
// handed to this queue and appended by one background thread in batches, one transaction per
// batch. A read thus never waits for the database writer, and a flood of calls with bad tokens
// costs one transaction per batch instead of one fsync each.
//
// Thread-safe. Events that writes make are appended inside the write's own transaction instead
// (AppendAuditEvent), so they commit together with the change they record.

#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/audit/audit_log.h"
#include "common/storage/database.h"

namespace velknee {

class AuditQueue {
 public:
  // Past this many unwritten events, Add waits for the writer (back-pressure, not loss).
  static constexpr size_t kMaxPending = 10000;

  // Starts the writer thread for `db` (not owned; must outlive the queue).
  explicit AuditQueue(Database* db);
  // Writes every queued event, then stops the writer thread.
  ~AuditQueue();
  AuditQueue(const AuditQueue&) = delete;
  AuditQueue& operator=(const AuditQueue&) = delete;

  // Queues `event` for writing.
  void Add(AuditEvent event) ABSL_LOCKS_EXCLUDED(mu_);

  // How many events are queued and not yet written (for metrics).
  size_t depth() ABSL_LOCKS_EXCLUDED(mu_);

  // Returns once every event added before the call has been written (or given up on after the
  // database refused it, which is reported on stderr).
  void Flush() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void WriteLoop() ABSL_LOCKS_EXCLUDED(mu_);

  Database* const db_;

  absl::Mutex mu_;
  std::deque<AuditEvent> pending_ ABSL_GUARDED_BY(mu_);
  uint64_t added_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t written_ ABSL_GUARDED_BY(mu_) = 0;  // Includes events given up on.
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  std::thread writer_;  // Last member: starts after the rest is initialised.
};

}  // namespace velknee

#endif  // VELKNEE_COMMON_AUDIT_AUDIT_QUEUE_H_
