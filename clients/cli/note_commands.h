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
// The commands read their flags (defined in note_commands.cc, command.cc and
// connection.cc) after absl::ParseCommandLine has run.

#include <istream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "velknee/notes/v1/session_note.pb.h"
#include "velknee/notes/v1/session_note_service.pb.h"

namespace velknee::cli {

// Runs one `note` command. `args` are the positional arguments after "note",
// e.g. {"sign", "clients/a/notes/b"}; `in` holds the form's answers for
// `note new` (and `note edit` without --from_file). Returns kExitOk;
// kExitCallFailed after an error on `io.err` when the server refused or
// failed a call; kExitUsage after a usage error, a bad --from_file or
// --time_zone, or a form that ended early or got too many bad answers
// (nothing is sent then).
int RunNoteCommand(const std::vector<std::string>& args, const CommandIo& io, std::istream& in);

// Runs `progress --plan=...`; `args` are the positional arguments after
// "progress" (there are none). Exit codes as RunNoteCommand.
int RunProgressCommand(const std::vector<std::string>& args, const CommandIo& io);

// The synopses of the `note` commands and of `progress`, one per line.
std::string NoteUsage(absl::string_view program);
std::string ProgressUsage(absl::string_view program);

// The note-only flags that were given ("--plan", "--appointment", "--text"),
// so other command groups can refuse them.
std::vector<std::string> NoteFlagsGiven();

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
