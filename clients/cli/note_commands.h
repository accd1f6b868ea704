#ifndef VELKNEE_CLIENTS_CLI_NOTE_COMMANDS_H_
#define VELKNEE_CLIENTS_CLI_NOTE_COMMANDS_H_

// `note new|show|edit|sign|addendum|list` and `progress`: the session-note
// commands of the therapist's reference client (velknee-tablet). `note new`
// reads the plan first and prints its techniques and screening restrictions,
// then takes the guided SOAP form (note_form.h) on standard input, or proto
// JSON from --from_file for scripts. A note the server refuses because an
// applied technique breaks a restriction is shown like a refused plan, each
// technique next to the restriction that blocks it. `progress` prints a
// plan's progress as a table and a text chart (progress_report.h).
//
// The commands read their flags (defined in note_commands.cc, command.cc,
// update_mask.cc and connection.cc) once program.h has parsed the command
// line.

#include <istream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/command_registry.h"
#include "velknee/notes/v1/session_note.pb.h"
#include "velknee/notes/v1/session_note_service.pb.h"

namespace velknee::cli {

// Registers `note new|show|edit|sign|addendum|list` and `progress`. `note
// new` (and `note edit` without --from_file) reads the form's answers from
// the command's input. A command exits kExitUsage after a bad --from_file or
// --time_zone, or a form that ended early or got too many bad answers
// (nothing is sent then).
void RegisterNoteCommands(CommandRegistry& registry);

// "clients/X" for "clients/X/plans/Y"; "" when `plan` is not a plan's
// resource name.
std::string ClientOfPlan(absl::string_view plan);

// The text form of one note, as `show`, `new`, `edit` and `addendum` print
// it: session, S, O, applied techniques, A, P, the signature and the addenda.
// Times are shown in `time_zone`.
std::string NoteBlock(const notes::v1::SessionNote& note, absl::TimeZone time_zone);

// What `sign` prints: who signed, when, and the content hash.
std::string SignatureBlock(const notes::v1::SessionNote& note, absl::TimeZone time_zone);

// The text form of one page of `list`, with a hint naming the command for
// the next page when there is one.
std::string NoteTable(const notes::v1::ListNotesResponse& page, absl::string_view program,
                      const notes::v1::ListNotesRequest& request, absl::TimeZone time_zone);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_NOTE_COMMANDS_H_
