#ifndef VELKNEE_TESTS_CLIENTS_ANTICOAGULANT_SCREENING_H_
#define VELKNEE_TESTS_CLIENTS_ANTICOAGULANT_SCREENING_H_

// The office worker's screening (issues 3 and 4): blood thinners, so no deep
// tissue anywhere and pressure at most moderate, with the server's rationales.

#include "velknee/common/v1/screening.pb.h"

namespace velknee::cli {

inline common::v1::Screening AnticoagulantScreening() {
  common::v1::Screening screening;
  screening.set_disposition(common::v1::DISPOSITION_TREAT_WITH_PRECAUTIONS);
  common::v1::Restriction* no_deep = screening.add_restrictions();
  no_deep->set_condition(common::v1::CONDITION_ANTICOAGULANT_USE);
  no_deep->set_technique(common::v1::TECHNIQUE_DEEP_TISSUE);
  no_deep->set_rationale("No deep tissue anywhere: client takes blood thinners (bruising risk)");
  common::v1::Restriction* cap = screening.add_restrictions();
  cap->set_condition(common::v1::CONDITION_ANTICOAGULANT_USE);
  cap->set_max_pressure(common::v1::PRESSURE_MODERATE);
  cap->set_rationale("Pressure at most moderate: client takes blood thinners (bruising risk)");
  return screening;
}

}  // namespace velknee::cli

#endif  // VELKNEE_TESTS_CLIENTS_ANTICOAGULANT_SCREENING_H_
