#include "common/server/request_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/status_matchers.h"

namespace velknee {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::velknee::test::StatusIs;

RequestRecord DeskRead() {
  return RequestRecord{absl::FromUnixMillis(1714555800123),
                       absl::Microseconds(1250),
                       "/velknee.intake.v1.IntakeService/GetClient",
                       "desk-1",
                       absl::StatusCode::kOk,
                       "ipv4:127.0.0.1:50312"};
}

TEST(LogFormatTest, NamesTheFlagAndItsChoicesForAnUnknownFormat) {
  EXPECT_EQ(*ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_THAT(ParseLogFormat("yaml"), StatusIs(absl::StatusCode::kInvalidArgument,
                                               HasSubstr("log_format: must be text or json")));
}

TEST(FormatRequestRecordTest, TextLineHasEveryFieldAsKeyValue) {
  EXPECT_EQ(FormatRequestRecord(LogFormat::kText, DeskRead()),
            "2024-05-01T09:30:00.123Z rpc=/velknee.intake.v1.IntakeService/GetClient "
            "principal=desk-1 code=OK latency_ms=1.25 peer=ipv4:127.0.0.1:50312\n");
}

TEST(FormatRequestRecordTest, TextLineShowsADashForACallerWithoutAValidToken) {
  RequestRecord record = DeskRead();
  record.principal.clear();
  record.code = absl::StatusCode::kUnauthenticated;
  EXPECT_THAT(FormatRequestRecord(LogFormat::kText, record),
              HasSubstr("principal=- code=UNAUTHENTICATED"));
}

TEST(FormatRequestRecordTest, JsonLineIsOneObjectWithEveryField) {
  EXPECT_EQ(FormatRequestRecord(LogFormat::kJson, DeskRead()),
            "{\"time\":\"2024-05-01T09:30:00.123Z\","
            "\"method\":\"/velknee.intake.v1.IntakeService/GetClient\","
            "\"principal\":\"desk-1\",\"code\":\"OK\",\"latency_ms\":1.250,"
            "\"peer\":\"ipv4:127.0.0.1:50312\"}\n");
}

TEST(FormatRequestRecordTest, JsonEscapesQuotesBackslashesAndControlCharacters) {
  RequestRecord record = DeskRead();
  record.principal.clear();
  record.peer = "unix:/run/\"velknee\"\\sock\n";
  EXPECT_THAT(FormatRequestRecord(LogFormat::kJson, record),
              HasSubstr("\"principal\":null,"
                        "\"code\":\"OK\",\"latency_ms\":1.250,"
                        "\"peer\":\"unix:/run/\\\"velknee\\\"\\\\sock\\u000a\"}\n"));
}

// A pipe the test reads the log from; the log writes to its other end.
class Pipe {
 public:
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read_fd_ = fds[0];
    write_end_ = ::fdopen(fds[1], "w");
  }
  ~Pipe() {
    std::fclose(write_end_);
    ::close(read_fd_);
  }
  std::FILE* write_end() { return write_end_; }

  // Everything written so far, without waiting for more.
  std::string Drain() {
    const int flags = ::fcntl(read_fd_, F_GETFL);
    ::fcntl(read_fd_, F_SETFL, flags | O_NONBLOCK);
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(read_fd_, buffer, sizeof buffer)) > 0) text.append(buffer, n);
    ::fcntl(read_fd_, F_SETFL, flags);
    return text;
  }

 private:
  int read_fd_ = -1;
  std::FILE* write_end_ = nullptr;
};

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST(RequestLogTest, FlushWritesEveryRecordInTheOrderGiven) {
  Pipe pipe;
  RequestLog log(LogFormat::kText, pipe.write_end());
  RequestRecord first = DeskRead();
  RequestRecord second = DeskRead();
  second.method = "/velknee.intake.v1.IntakeService/ListClients";
  log.Record(first);
  log.Record(second);
  log.Flush();
  const std::vector<std::string> lines = Lines(pipe.Drain());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr("rpc=/velknee.intake.v1.IntakeService/GetClient"));
  EXPECT_THAT(lines[1], HasSubstr("rpc=/velknee.intake.v1.IntakeService/ListClients"));
}

TEST(RequestLogTest, RecordsAreWrittenWithoutAFlushWithinTheDrainInterval) {
  Pipe pipe;
  RequestLog log(LogFormat::kJson, pipe.write_end());
  log.Record(DeskRead());
  std::string text;
  const absl::Time give_up = absl::Now() + RequestLog::kDrainInterval + absl::Seconds(5);
  while (text.empty() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
    text = pipe.Drain();
  }
  EXPECT_THAT(Lines(text), ElementsAre(HasSubstr("\"principal\":\"desk-1\"")));
}

TEST(RequestLogTest, DestroyingTheLogWritesWhatIsBuffered) {
  Pipe pipe;
  {
    RequestLog log(LogFormat::kText, pipe.write_end());
    for (int i = 0; i < 10; ++i) log.Record(DeskRead());
  }
  EXPECT_EQ(Lines(pipe.Drain()).size(), 10u);
}

TEST(RequestLogTest, AStuckOutputDropsAndCountsRecordsInsteadOfStallingCalls) {
  Pipe pipe;
  RequestLog log(LogFormat::kText, pipe.write_end());
  // Nobody reads the pipe, so the writer soon blocks on a full pipe; Record must keep returning
  // at once (were it to wait for the output, this loop would never end).
  const int kRecords = 4 * static_cast<int>(RequestLog::kCapacity);
  for (int i = 0; i < kRecords; ++i) log.Record(DeskRead());
  // Now read everything, which unblocks the writer, until a Flush (which counts on every
  // earlier record and drop being written) returns; the drops are reported in the log itself.
  std::atomic<bool> flushed = false;
  std::thread flusher([&] {
    log.Flush();
    flushed = true;
  });
  std::string text;
  while (!flushed) {
    text += pipe.Drain();
    absl::SleepFor(absl::Milliseconds(5));
  }
  flusher.join();
  text += pipe.Drain();
  int calls = 0;
  int64_t dropped = 0;
  for (const std::string& line : Lines(text)) {
    int64_t count = 0;
    if (absl::StrContains(line, " rpc=")) {
      ++calls;
    } else if (std::sscanf(line.c_str(), "%*s velknee: request log: %" SCNd64 " lines dropped",
                           &count) == 1) {
      dropped += count;
    } else {
      ADD_FAILURE() << "unexpected line: " << line;
    }
  }
  EXPECT_GT(dropped, 0);
  EXPECT_GE(calls, static_cast<int>(RequestLog::kCapacity));
  EXPECT_EQ(calls + dropped, kRecords) << "every record is either written or counted as dropped";
}

}  // namespace
}  // namespace velknee
