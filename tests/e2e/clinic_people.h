#ifndef VELKNEE_TESTS_E2E_CLINIC_PEOPLE_H_
#define VELKNEE_TESTS_E2E_CLINIC_PEOPLE_H_

// The invented people of the end-to-end tests, as a therapist's script hands them to
// velknee-tablet with --from_file: their intakes, plans and session notes as proto JSON. A test
// that asserts one of these facts says so where it uses the data.

#include <string>

#include "absl/time/time.h"

namespace velknee::test {

// Hazel Thornbury, the gardener (issue 3): pain at the front of both knees after kneeling to weed,
// pain now 6 (worst 8), no conditions: screened CLEAR.
extern const char kGardenerIntakeJson[];

// Her plan (issue 4): trigger point (moderate, 20 min) on the quadriceps, myofascial release
// (light) on the IT band, deep tissue (firm) on the hip flexors; weekly × 6 sessions of 60 minutes;
// the goal "Kneel in the garden for an hour" at pain ≤ 2; home care "Quadriceps stretch" and
// "Kneeling hip-flexor stretch".
extern const char kGardenerPlanJson[];

// One of her sessions at `session_time`, 60 minutes, pain `pain_before` → `pain_after`, the
// response "Quadriceps softer".
std::string GardenerSessionJson(absl::Time session_time, int pain_before, int pain_after);

// 10:00 UTC on the day `days` before today (UTC): when the tests' past sessions took place.
absl::Time TenUtcDaysAgo(int days);

// Oskar Lindqvist, the office worker (issue 3): an ache behind the right knee after long days
// sitting at a desk, tight hamstrings and calves, takes warfarin 5 mg daily: screened
// TREAT_WITH_PRECAUTIONS (no deep tissue anywhere, pressure at most moderate, both because of the
// blood thinners).
extern const char kOfficeWorkerIntakeJson[];

// His first plan (issue 4): deep tissue with deep pressure on the hamstrings, which his screening
// refuses.
extern const char kOfficeWorkerDeepTissuePlanJson[];

// His corrected plan: myofascial release (light) on the hamstrings, trigger point (moderate) on
// the calves; every 14 days × 4 sessions of 45 minutes.
extern const char kOfficeWorkerPlanJson[];

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_E2E_CLINIC_PEOPLE_H_
