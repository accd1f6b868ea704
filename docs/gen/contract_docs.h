#ifndef VELKNEE_DOCS_GEN_CONTRACT_DOCS_H_
#define VELKNEE_DOCS_GEN_CONTRACT_DOCS_H_

// Renders velknee's gRPC contracts as one Markdown page, from the comments the proto files
// already carry, so the reference page says exactly what the contracts say.

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.pb.h"

namespace velknee {

// The Markdown page for every file of `files` in a `velknee.*` package: first each service with
// its methods, then each package's messages, enums and extensions with their fields. Files come
// in path order and definitions in declaration order, so the same protos always give the same
// page. Types defined on the page are linked to their sections.
//
// `files` is what `protoc --include_imports --include_source_info --descriptor_set_out` writes:
// without the imports the pool cannot be built; without the source info every comment is empty.
//
// INVALID_ARGUMENT when the files do not form a valid descriptor pool (the message names the
// file and protobuf's complaint) or hold no `velknee.*` file.
absl::StatusOr<std::string> RenderContractDocs(const google::protobuf::FileDescriptorSet& files);

}  // namespace velknee

#endif  // VELKNEE_DOCS_GEN_CONTRACT_DOCS_H_
