#ifndef VELKNEE_CLIENTS_CLI_JSON_FILE_H_
#define VELKNEE_CLIENTS_CLI_JSON_FILE_H_

// Scripted input of the reference clients: a resource written as proto JSON
// in a file (`--from_file form.json`), the same form `--json` prints, so a
// script can take a record from one command, change it and feed it back.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace velknee::cli {

// Reads `path` ("-" for standard input is not supported: the forms own stdin)
// and parses it as proto JSON into `message`, which is cleared first. Unknown
// fields are an error, so a misspelt field is never silently dropped.
//
// NOT_FOUND when the file cannot be read; INVALID_ARGUMENT, naming `flag`,
// the file and the parser's reason (e.g. the unknown field), when it is not
// proto JSON of the message's type.
absl::Status ReadProtoJsonFile(absl::string_view flag, const std::string& path,
                               google::protobuf::Message& message);

}  // namespace velknee::cli

#endif  // VELKNEE_CLIENTS_CLI_JSON_FILE_H_
