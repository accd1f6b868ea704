#ifndef VELKNEE_TESTS_SUPPORT_TEMP_DIR_H_
#define VELKNEE_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace velknee::test {

// A fresh, empty directory under testing::TempDir() (which honours $TEST_TMPDIR and $TMPDIR),
// removed with everything in it when the object goes away. Aborts the test program when the
// directory cannot be made, since no test can run without it.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  // The directory, without a trailing '/'.
  const std::string& path() const { return path_; }

  // The path of `name` inside the directory (not created).
  std::string File(absl::string_view name) const;

 private:
  std::string path_;
};

}  // namespace velknee::test

#endif  // VELKNEE_TESTS_SUPPORT_TEMP_DIR_H_
