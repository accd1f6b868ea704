#ifndef VELKNEE_TESTS_SUPPORT_PROTO_BUILDERS_H_
#define VELKNEE_TESTS_SUPPORT_PROTO_BUILDERS_H_

// Small messages the clinic's tests build again and again: a body region, a condition flag, a
// calendar date.

#include <vector>

#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"
#include "velknee/common/v1/region.pb.h"
#include "velknee/intake/v1/assessment.pb.h"

namespace velknee::test {

common::v1::Region Where(common::v1::BodyRegion body_region, common::v1::Side side);

// A condition flag, on `regions` when given.
intake::v1::ConditionFlag Flag(common::v1::Condition condition,
                               std::vector<common::v1::Region> regions = {});

google::type::Date DateOf(int year, int month, int day);
google::type::Date DateOf(absl::CivilDay day);

// Today in UTC.
absl::CivilDay TodayUtc();

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_SUPPORT_PROTO_BUILDERS_H_
