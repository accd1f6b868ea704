#ifndef VELKNEE_CLIENTS_CLI_PLAIN_WORDS_H_
#define VELKNEE_CLIENTS_CLI_PLAIN_WORDS_H_

// The clinical enums of the contracts in the words a therapist reads on a
// tablet ("front of the knee, both sides", "History of deep vein thrombosis
// (DVT)?"), and the screening written out as the list of what not to do.
// Every reference-client command that shows clinical content (intake now,
// plans and notes later) uses these, so one condition reads the same
// everywhere. A condition's own words, and whether it is a red flag or must
// name its regions, come from the screening table the server applies
// (common/screening/screening_rules.h: velknee::ConditionInPlainWords,
// velknee::FindScreeningRule), so the tablet and the server never disagree.

#include <string>
#include <vector>

#include "common/screening/screening_rules.h"
#include "velknee/common/v1/condition.pb.h"
#include "velknee/common/v1/muscle_finding.pb.h"
#include "velknee/common/v1/pressure.pb.h"
#include "velknee/common/v1/region.pb.h"
#include "velknee/common/v1/screening.pb.h"
#include "velknee/common/v1/technique.pb.h"
#include "velknee/intake/v1/assessment.pb.h"
#include "velknee/notes/v1/session_note.pb.h"

namespace velknee::cli {

// Every value of each enum except UNSPECIFIED, in proto order: the order of
// the numbered lists the forms show.
std::vector<common::v1::BodyRegion> AllBodyRegions();
std::vector<common::v1::Side> AllSides();
std::vector<common::v1::Condition> AllConditions();
std::vector<intake::v1::PriorCare> AllPriorCare();
std::vector<common::v1::MuscleFinding::Kind> AllFindingKinds();
std::vector<notes::v1::AdverseEffect> AllAdverseEffects();

// Lower-case noun phrases, e.g. "front of the knee", "both sides", "deep
// tissue", "moderate", "ice", "trigger points", "headache". An UNSPECIFIED or unknown
// value reads "unspecified".
std::string BodyRegionInPlainWords(common::v1::BodyRegion region);
std::string SideInPlainWords(common::v1::Side side);
std::string TechniqueInPlainWords(common::v1::Technique technique);
std::string PressureInPlainWords(common::v1::Pressure pressure);
std::string PriorCareInPlainWords(intake::v1::PriorCare care);
std::string FindingKindInPlainWords(common::v1::MuscleFinding::Kind kind);
std::string AdverseEffectInPlainWords(notes::v1::AdverseEffect effect);

// "front of the knee, both sides".
std::string RegionInPlainWords(const common::v1::Region& region);

// The yes/no question the health screen asks, e.g. "History of deep vein
// thrombosis (DVT)?".
std::string ConditionQuestion(common::v1::Condition condition);

// "CLEAR", "TREAT WITH PRECAUTIONS", "REFER OUT"; "NOT SCREENED" for
// UNSPECIFIED.
std::string DispositionLabel(common::v1::Disposition disposition);

// The sentence for one restriction: its `rationale` when the server gave one,
// otherwise one made from its fields, e.g. "No deep tissue anywhere: takes
// blood thinners (anticoagulants)".
std::string RestrictionInPlainWords(const common::v1::Restriction& restriction);

// The screening as the therapist reads it, one line per item, e.g.
//   Screening: TREAT WITH PRECAUTIONS
//     - No deep tissue anywhere: client takes blood thinners (bruising risk)
// For REFER_OUT it names each red flag and says to refer the client to a
// physician before treatment.
std::string ScreeningInPlainWords(const common::v1::Screening& screening);

// "trigger points in quadriceps, both sides (moderate), referring to front of
// the knee, both sides".
std::string FindingInPlainWords(const common::v1::MuscleFinding& finding);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_PLAIN_WORDS_H_
