#include "common/audit/audit_queue.h"

#include <utility>

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
  ++flushes_waiting_;
  std::pair<AuditQueue*, uint64_t> wait_for(this, added_);
  mu_.Await(absl::Condition(
      +[](std::pair<AuditQueue*, uint64_t>* args)
           ABSL_NO_THREAD_SAFETY_ANALYSIS { return args->first->written_ >= args->second; },
      &wait_for));
  --flushes_waiting_;
}

bool AuditQueue::BatchReady() const {
  return stopping_ || flushes_waiting_ > 0 || pending_.size() >= kMaxPending / 2;
}

void AuditQueue::WriteLoop() {
  std::vector<AuditEvent> batch;
  absl::Time last_commit = absl::InfinitePast();
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AuditQueue* q) ABSL_EXCLUSIVE_LOCKS_REQUIRED(q->mu_) {
            return !q->pending_.empty() || q->stopping_;
          },
          this));
      mu_.AwaitWithDeadline(absl::Condition(this, &AuditQueue::BatchReady),
                            last_commit + kGatherWindow);
      if (pending_.empty()) return;  // Stopping, and everything is written.
      // The emptied vector of the last batch becomes the new pending_, capacity and all.
      batch.swap(pending_);
    }
    last_commit = absl::Now();
    absl::Status status;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      status = db_->Write([&](SQLite::Database& db) {
        AppendAuditEvents(db, batch);
        return absl::OkStatus();
      });
      if (status.ok()) break;
      absl::SleepFor(absl::Milliseconds(100) * attempt);
    }
    if (!status.ok()) {
      absl::FPrintF(stderr, "velknee: could not write %d audit events to %s: %s\n", batch.size(),
                    db_->path(), status.message());
    }
    const size_t count = batch.size();
    batch.clear();
    absl::MutexLock lock(&mu_);
    written_ += count;
  }
}

}  // namespace velknee
