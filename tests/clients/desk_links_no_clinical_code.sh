#!/bin/sh
# The front desk never shows clinical content, and velknee-desk does not even
# contain the code that could: none of the functions defined in the clinical
# commands' library (intake, plan, note and progress commands, the guided
# forms, the plain words of the clinical enums) is linked into it. The tablet
# must contain some of them, so a change that empties the list or renames the
# library fails here instead of passing silently. The desk must define its
# own RegisterBookingCommands, so a stripped or empty binary fails too.
#
# The screening code of common/ (ScreenAssessment, the restriction check, the
# screening rules and their plain words) and the clinical plain words are
# forbidden by name as well, whatever library they come from.
#
# usage: desk_links_no_clinical_code.sh DESK_BINARY TABLET_BINARY CLINICAL_LIBRARY
set -eu
desk=$1
tablet=$2
clinical=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Functions a file defines (text symbols), demangled, one per line.
functions() {
  nm -C --defined-only "$1" | awk '$2 == "T" { $1 = ""; $2 = ""; sub(/^  /, ""); print }' |
    grep '^velknee::cli::' | sort -u
}

functions "$clinical" >"$work/clinical"
functions "$desk" >"$work/desk"
functions "$tablet" >"$work/tablet"

if ! grep -q '^velknee::cli::RegisterBookingCommands(' "$work/desk"; then
  echo "FAIL: $desk does not define RegisterBookingCommands; nm found no desk functions to check"
  exit 1
fi
forbidden='^velknee::(ScreenAssessment|FindRestrictionBreaches|RestrictionsBreached|CheckAgainstRestrictions|RegionsOverlap|ScreeningRules|FindScreeningRule|LowerLimbRegions|ConditionInPlainWords|cli::[A-Za-z]*InPlainWords|cli::ConditionQuestion|cli::DispositionLabel)[(<]'
# Every defined function, local and inline ones included.
nm -C --defined-only "$desk" | awk '$2 ~ /^[TtWw]$/ { $1 = ""; $2 = ""; sub(/^  /, ""); print }' |
  grep -E "$forbidden" >"$work/forbidden" || true
if [ -s "$work/forbidden" ]; then
  echo "FAIL: velknee-desk links screening or clinical plain-words code:"
  cat "$work/forbidden"
  exit 1
fi

if ! grep -q 'velknee::cli::RegisterIntakeCommands' "$work/clinical"; then
  echo "FAIL: $clinical does not define RegisterIntakeCommands; is it the clinical library?"
  exit 1
fi
if [ "$(comm -12 "$work/clinical" "$work/tablet" | wc -l)" -eq 0 ]; then
  echo "FAIL: $tablet links none of the clinical functions; the check would prove nothing"
  exit 1
fi
comm -12 "$work/clinical" "$work/desk" >"$work/both"
if [ -s "$work/both" ]; then
  echo "FAIL: velknee-desk links clinical code:"
  cat "$work/both"
  exit 1
fi
echo "velknee-desk links none of the $(wc -l <"$work/clinical") clinical functions"
