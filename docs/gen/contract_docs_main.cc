// velknee-contract-docs: writes docs/contracts.md, the reference page of velknee's gRPC
// contracts, from the comments in the proto files.
//
//   velknee-contract-docs DESCRIPTOR_SET [OUTPUT]
//
// DESCRIPTOR_SET is what `protoc --include_imports --include_source_info --descriptor_set_out`
// writes for proto/velknee/** (the build makes it; see proto/CMakeLists.txt). The page goes to
// OUTPUT, or to stdout without one. Exit status: 0 written; 1 OUTPUT could not be written; 2 bad
// usage or an unusable DESCRIPTOR_SET, with one line on stderr saying which.

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/status/statusor.h"
#include "docs/gen/contract_docs.h"
#include "google/protobuf/descriptor.pb.h"

namespace {

constexpr char kProgram[] = "velknee-contract-docs";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: " << kProgram << " DESCRIPTOR_SET [OUTPUT]\n";
    return 2;
  }
  const std::string input_path = argv[1];
  std::ifstream input(input_path, std::ios::binary);
  if (!input) {
    std::cerr << kProgram << ": cannot read " << input_path << ": " << std::strerror(errno) << "\n";
    return 2;
  }
  google::protobuf::FileDescriptorSet files;
  if (!files.ParseFromIstream(&input)) {
    if (input.bad()) {
      std::cerr << kProgram << ": cannot read " << input_path << ": " << std::strerror(errno)
                << "\n";
      return 2;
    }
    std::cerr << kProgram << ": " << input_path
              << " is not a FileDescriptorSet (protoc --descriptor_set_out writes one)\n";
    return 2;
  }
  const absl::StatusOr<std::string> page = velknee::RenderContractDocs(files);
  if (!page.ok()) {
    std::cerr << kProgram << ": " << input_path << ": " << page.status().message() << "\n";
    return 2;
  }

  if (argc == 2) {
    std::cout << *page << std::flush;
    return std::cout ? 0 : 1;
  }
  const std::string output_path = argv[2];
  std::ofstream output(output_path, std::ios::binary | std::ios::trunc);
  output << *page;
  output.close();
  if (!output) {
    std::cerr << kProgram << ": cannot write " << output_path << ": " << std::strerror(errno)
              << "\n";
    return 1;
  }
  return 0;
}
