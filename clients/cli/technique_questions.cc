#include "clients/cli/technique_questions.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/plain_words.h"

namespace velknee::cli {

std::vector<Choice> TechniqueChoices() {
  std::vector<Choice> choices;
  for (int t = 1; t <= common::v1::Technique_MAX; ++t) {
    if (!common::v1::Technique_IsValid(t)) continue;
    choices.push_back({t, TechniqueInPlainWords(static_cast<common::v1::Technique>(t)), {}});
  }
  return choices;
}

std::vector<Choice> PressureChoices() {
  std::vector<Choice> choices;
  for (int p = 1; p <= common::v1::Pressure_MAX; ++p) {
    if (!common::v1::Pressure_IsValid(p)) continue;
    choices.push_back({p, PressureInPlainWords(static_cast<common::v1::Pressure>(p)), {}});
  }
  return choices;
}

std::vector<std::string> RestrictionsBlocking(const TechniqueUse& use,
                                              const common::v1::Screening& screening) {
  std::vector<std::string> blocking;
  // One restriction at a time, so each breach is tied to its restriction.
  for (const common::v1::Restriction& restriction : screening.restrictions()) {
    common::v1::Screening one;
    *one.add_restrictions() = restriction;
    if (!FindRestrictionBreaches({use}, one, "techniques").empty()) {
      blocking.push_back(RestrictionInPlainWords(restriction));
    }
  }
  return blocking;
}

std::string TechniqueUseInPlainWords(const TechniqueUse& use) {
  std::vector<std::string> regions;
  if (use.regions != nullptr) {
    for (const common::v1::Region& region : *use.regions) {
      regions.push_back(RegionInPlainWords(region));
    }
  }
  return absl::StrCat(TechniqueInPlainWords(use.technique), " on ",
                      regions.empty() ? "no region" : absl::StrJoin(regions, " and "), ", ",
                      PressureInPlainWords(use.pressure), " pressure");
}

}  // namespace velknee::cli
