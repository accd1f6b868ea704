#include "tests/support/proto_builders.h"

#include "absl/time/clock.h"

namespace velknee::test {

common::v1::Region Where(common::v1::BodyRegion body_region, common::v1::Side side) {
  common::v1::Region region;
  region.set_region(body_region);
  region.set_side(side);
  return region;
}

intake::v1::ConditionFlag Flag(common::v1::Condition condition,
                               std::vector<common::v1::Region> regions) {
  intake::v1::ConditionFlag flag;
  flag.set_condition(condition);
  for (const common::v1::Region& region : regions) *flag.add_regions() = region;
  return flag;
}

google::type::Date DateOf(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

google::type::Date DateOf(absl::CivilDay day) {
  return DateOf(static_cast<int>(day.year()), day.month(), day.day());
}

absl::CivilDay TodayUtc() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

}  // namespace velknee::test
