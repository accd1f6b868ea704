#include "services/notes/signature.h"

#include "common/api/serialization.h"
#include "common/crypto/sha256.h"

namespace velknee::notes {
namespace {

// Fields 1 (name) to 14 (sign_time) are signed; fields added later are not, unless a new
// signature version says so.
constexpr int kLastSignedField = v1::SessionNote::kSignTimeFieldNumber;

}  // namespace

std::string SignedContent(const v1::SessionNote& note) {
  v1::SessionNote content = note;
  const google::protobuf::Descriptor* type = content.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->number() > kLastSignedField) {
      content.GetReflection()->ClearField(&content, type->field(i));
    }
  }
  return DeterministicBytes(content);
}

std::string ContentSha256(const v1::SessionNote& note) { return Sha256Hex(SignedContent(note)); }

}  // namespace velknee::notes
