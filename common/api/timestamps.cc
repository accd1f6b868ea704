#include "common/api/timestamps.h"

namespace velknee {

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  const int64_t micros = absl::ToUnixMicros(time);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(micros >= 0 ? micros / 1'000'000 : (micros - 999'999) / 1'000'000);
  timestamp.set_nanos(static_cast<int32_t>((micros - timestamp.seconds() * 1'000'000) * 1000));
  return timestamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

}  // namespace velknee
