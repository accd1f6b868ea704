#include "clients/cli/json_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace velknee::cli {

absl::Status ReadProtoJsonFile(absl::string_view flag, const std::string& path,
                               google::protobuf::Message& message) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("--", flag, ": cannot read ", path));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  message.Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(contents.str(), &message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", path, " is not a ", message.GetDescriptor()->full_name(),
                     " in proto JSON: ", status.message().ToString()));
  }
  return absl::OkStatus();
}

}  // namespace velknee::cli
