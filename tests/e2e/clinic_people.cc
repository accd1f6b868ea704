#include "tests/e2e/clinic_people.h"

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"

namespace velknee::test {

const char kGardenerIntakeJson[] = R"json({
  "chiefComplaint": "Pain at the front of both knees after kneeling to weed the vegetable beds",
  "pain": {"regions": [{"region": "BODY_REGION_KNEE_ANTERIOR", "side": "SIDE_BILATERAL"}],
           "current": 6, "worst": 8},
  "healthScreenCompleted": true,
  "consent": {"informedConsent": true, "signerName": "Hazel Thornbury"}
})json";

const char kGardenerPlanJson[] = R"json({
  "goals": [{"description": "Kneel in the garden for an hour", "targetPain": 2}],
  "techniques": [
    {"technique": "TECHNIQUE_TRIGGER_POINT", "pressure": "PRESSURE_MODERATE", "minutes": 20,
     "regions": [{"region": "BODY_REGION_QUADRICEPS", "side": "SIDE_BILATERAL"}]},
    {"technique": "TECHNIQUE_MYOFASCIAL_RELEASE", "pressure": "PRESSURE_LIGHT", "minutes": 15,
     "regions": [{"region": "BODY_REGION_IT_BAND", "side": "SIDE_BILATERAL"}]},
    {"technique": "TECHNIQUE_DEEP_TISSUE", "pressure": "PRESSURE_FIRM", "minutes": 15,
     "regions": [{"region": "BODY_REGION_HIP_FLEXORS", "side": "SIDE_BILATERAL"}]}
  ],
  "cadence": {"intervalDays": 7, "plannedSessions": 6, "sessionMinutes": 60},
  "homeCare": [
    {"name": "Quadriceps stretch", "instructions": "Standing, heel to buttock", "sets": 3,
     "reps": 1, "holdSeconds": 30, "timesPerWeek": 7},
    {"name": "Kneeling hip-flexor stretch", "sets": 2, "reps": 1, "holdSeconds": 45,
     "timesPerWeek": 7}
  ]
})json";

std::string GardenerSessionJson(absl::Time session_time, int pain_before, int pain_after) {
  const std::string time =
      absl::FormatTime("%Y-%m-%dT%H:%M:00Z", session_time, absl::UTCTimeZone());
  return absl::StrFormat(R"json({
  "sessionTime": "%s",
  "durationMinutes": 60,
  "subjective": {"report": "Knees a little easier each week", "painBefore": %d},
  "objective": {"observations": "Kneels with less hesitation"},
  "applied": [
    {"technique": "TECHNIQUE_TRIGGER_POINT", "pressure": "PRESSURE_MODERATE", "minutes": 20,
     "regions": [{"region": "BODY_REGION_QUADRICEPS", "side": "SIDE_BILATERAL"}]},
    {"technique": "TECHNIQUE_MYOFASCIAL_RELEASE", "pressure": "PRESSURE_LIGHT", "minutes": 15,
     "regions": [{"region": "BODY_REGION_IT_BAND", "side": "SIDE_BILATERAL"}]}
  ],
  "assessment": {"painAfter": %d, "response": "Quadriceps softer"},
  "nextSteps": "Continue weekly"
})json",
                         time, pain_before, pain_after);
}

absl::Time TenUtcDaysAgo(int days) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  return absl::FromCivil(absl::CivilHour(today - days) + 10, absl::UTCTimeZone());
}

const char kOfficeWorkerIntakeJson[] = R"json({
  "chiefComplaint": "Ache behind the right knee after long days sitting at a desk",
  "pain": {
    "regions": [{"region": "BODY_REGION_KNEE_POSTERIOR", "side": "SIDE_RIGHT"}],
    "current": 5,
    "worst": 6,
    "onset": "ONSET_GRADUAL",
    "aggravatingActivities": ["sitting all day", "standing up after sitting"],
    "easingFactors": ["walking"]
  },
  "medications": ["warfarin 5 mg daily"],
  "healthScreenCompleted": true,
  "conditions": [{"condition": "CONDITION_ANTICOAGULANT_USE", "details": "warfarin"}],
  "findings": [
    {"region": {"region": "BODY_REGION_HAMSTRINGS", "side": "SIDE_BILATERAL"},
     "kind": "KIND_TIGHTNESS", "severity": 2},
    {"region": {"region": "BODY_REGION_CALF", "side": "SIDE_BILATERAL"},
     "kind": "KIND_TIGHTNESS", "severity": 2}
  ],
  "goals": ["sit through a working day without knee pain"],
  "consent": {"informedConsent": true, "signerName": "Oskar Lindqvist"}
})json";

const char kOfficeWorkerDeepTissuePlanJson[] = R"json({
  "goals": [{"description": "Sit through a working day without knee pain", "targetPain": 2}],
  "techniques": [
    {"technique": "TECHNIQUE_DEEP_TISSUE", "pressure": "PRESSURE_DEEP", "minutes": 25,
     "regions": [{"region": "BODY_REGION_HAMSTRINGS", "side": "SIDE_BILATERAL"}]}
  ],
  "cadence": {"intervalDays": 14, "plannedSessions": 4, "sessionMinutes": 45}
})json";

const char kOfficeWorkerPlanJson[] = R"json({
  "goals": [{"description": "Sit through a working day without knee pain", "targetPain": 2}],
  "techniques": [
    {"technique": "TECHNIQUE_MYOFASCIAL_RELEASE", "pressure": "PRESSURE_LIGHT", "minutes": 20,
     "regions": [{"region": "BODY_REGION_HAMSTRINGS", "side": "SIDE_BILATERAL"}]},
    {"technique": "TECHNIQUE_TRIGGER_POINT", "pressure": "PRESSURE_MODERATE", "minutes": 15,
     "regions": [{"region": "BODY_REGION_CALF", "side": "SIDE_BILATERAL"}]}
  ],
  "cadence": {"intervalDays": 14, "plannedSessions": 4, "sessionMinutes": 45}
})json";

}  // namespace velknee::test
