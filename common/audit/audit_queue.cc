#include "common/audit/audit_queue.h"

#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace velknee {
namespace {

constexpr int kAttempts = 5;

}  // namespace

AuditQueue::AuditQueue(Database* db) : db_(db), writer_([this] { WriteLoop(); }) {}

AuditQueue::~AuditQueue() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

void AuditQueue::Add(AuditEvent event) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](AuditQueue* q)
           ABSL_EXCLUSIVE_LOCKS_REQUIRED(q->mu_) { return q->pending_.size() < kMaxPending; },
      this));
  pending_.push_back(std::move(event));
  ++added_;
}

size_t AuditQueue::depth() {
  absl::MutexLock lock(&mu_);
  return added_ - written_;
}

void AuditQueue::Flush() {
  absl::MutexLock lock(&mu_);
  std::pair<AuditQueue*, uint64_t> wait_for(this, added_);
  mu_.Await(absl::Condition(
      +[](std::pair<AuditQueue*, uint64_t>* args)
           ABSL_NO_THREAD_SAFETY_ANALYSIS { return args->first->written_ >= args->second; },
      &wait_for));
}

void AuditQueue::WriteLoop() {
  while (true) {
    std::vector<AuditEvent> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AuditQueue* q) ABSL_EXCLUSIVE_LOCKS_REQUIRED(q->mu_) {
            return !q->pending_.empty() || q->stopping_;
          },
          this));
      if (pending_.empty()) return;  // Stopping, and everything is written.
      batch.assign(std::make_move_iterator(pending_.begin()),
                   std::make_move_iterator(pending_.end()));
      pending_.clear();
    }
    absl::Status status;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      status = db_->Write([&](SQLite::Database& db) {
        for (const AuditEvent& event : batch) AppendAuditEvent(db, event);
        return absl::OkStatus();
      });
      if (status.ok()) break;
      absl::SleepFor(absl::Milliseconds(100) * attempt);
    }
    if (!status.ok()) {
      absl::FPrintF(stderr, "velknee: could not write %d audit events to %s: %s\n", batch.size(),
                    db_->path(), status.message());
    }
    absl::MutexLock lock(&mu_);
    written_ += batch.size();
  }
}

}  // namespace velknee
