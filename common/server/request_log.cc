#include "common/server/request_log.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"

namespace velknee {
namespace {

constexpr absl::string_view kTimeFormat = "%Y-%m-%d%ET%H:%M:%E3SZ";

std::string FormatLogTime(absl::Time time) {
  return absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone());
}

// `text` as a JSON string literal, quotes included.
void AppendJsonString(std::string* out, absl::string_view text) {
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// The line saying that `count` records were dropped, in `format`.
std::string DroppedLine(LogFormat format, uint64_t count) {
  const std::string message =
      absl::StrCat("request log: ", count, " lines dropped, the output could not keep up");
  if (format == LogFormat::kText) {
    return absl::StrCat(FormatLogTime(absl::Now()), " velknee: ", message, "\n");
  }
  std::string line = "{\"time\":";
  AppendJsonString(&line, FormatLogTime(absl::Now()));
  absl::StrAppend(&line, ",\"message\":");
  AppendJsonString(&line, message);
  absl::StrAppend(&line, ",\"dropped\":", count, "}\n");
  return line;
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return InvalidField("log_format", absl::StrCat("must be text or json, not \"", name, "\""));
}

std::string FormatRequestRecord(LogFormat format, const RequestRecord& record) {
  const double latency_ms = absl::ToDoubleMilliseconds(record.latency);
  const std::string code = absl::StatusCodeToString(record.code);
  if (format == LogFormat::kText) {
    return absl::StrFormat("%s rpc=%s principal=%s code=%s latency_ms=%.2f peer=%s\n",
                           FormatLogTime(record.time), record.method,
                           record.principal.empty() ? "-" : record.principal, code, latency_ms,
                           record.peer.empty() ? "-" : record.peer);
  }
  std::string line = "{\"time\":";
  AppendJsonString(&line, FormatLogTime(record.time));
  absl::StrAppend(&line, ",\"method\":");
  AppendJsonString(&line, record.method);
  absl::StrAppend(&line, ",\"principal\":");
  if (record.principal.empty()) {
    absl::StrAppend(&line, "null");
  } else {
    AppendJsonString(&line, record.principal);
  }
  absl::StrAppend(&line, ",\"code\":");
  AppendJsonString(&line, code);
  absl::StrAppendFormat(&line, ",\"latency_ms\":%.3f,\"peer\":", latency_ms);
  AppendJsonString(&line, record.peer);
  absl::StrAppend(&line, "}\n");
  return line;
}

RequestLog::RequestLog(LogFormat format, std::FILE* out)
    : out_(out), format_(format), writer_([this] { WriteLoop(); }) {}

RequestLog::~RequestLog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

RequestLog& RequestLog::OfProcess() {
  static RequestLog* const log = new RequestLog(LogFormat::kText, stderr);
  return *log;
}

void RequestLog::Record(RequestRecord record) {
  absl::MutexLock lock(&mu_);
  if (buffered_.size() >= kCapacity) {
    ++dropped_;
    return;
  }
  buffered_.push_back(std::move(record));
}

void RequestLog::Flush() {
  absl::MutexLock lock(&mu_);
  std::pair<RequestLog*, uint64_t> wait_for(this, ++flushes_requested_);
  mu_.Await(absl::Condition(
      +[](std::pair<RequestLog*, uint64_t>* args)
           ABSL_NO_THREAD_SAFETY_ANALYSIS { return args->first->flushes_done_ >= args->second; },
      &wait_for));
}

bool RequestLog::ShouldDrain() const {
  return stopping_ || buffered_.size() >= kCapacity / 2 || flushes_requested_ > flushes_done_;
}

void RequestLog::WriteLoop() {
  std::vector<RequestRecord> batch;
  std::string text;
  while (true) {
    uint64_t dropped = 0;
    uint64_t flush_ticket = 0;
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      // Asleep while there is nothing to write; then records gather for up to kDrainInterval,
      // so a busy server writes a batch of lines in one system call instead of one per call.
      mu_.Await(absl::Condition(
          +[](RequestLog* log) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return !log->buffered_.empty() || log->dropped_ > 0 || log->ShouldDrain();
          },
          this));
      mu_.AwaitWithTimeout(absl::Condition(this, &RequestLog::ShouldDrain), kDrainInterval);
      batch.swap(buffered_);
      dropped = std::exchange(dropped_, 0);
      flush_ticket = flushes_requested_;
      stopping = stopping_;
    }
    const LogFormat format = format_.load(std::memory_order_relaxed);
    text.clear();
    for (const RequestRecord& record : batch) text += FormatRequestRecord(format, record);
    if (dropped > 0) text += DroppedLine(format, dropped);
    if (!text.empty()) std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
    batch.clear();
    absl::MutexLock lock(&mu_);
    flushes_done_ = flush_ticket;
    if (stopping && buffered_.empty() && dropped_ == 0) return;
  }
}

}  // namespace velknee
