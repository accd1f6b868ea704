#ifndef VELKNEE_COMMON_API_SERIALIZATION_H_
#define VELKNEE_COMMON_API_SERIALIZATION_H_

#include <string>

#include "google/protobuf/message.h"

namespace velknee {

// Serializes `message` with deterministic map ordering, so equal messages give equal bytes
// (used for etags, idempotency fingerprints and page-token query binding).
std::string DeterministicBytes(const google::protobuf::Message& message);

}  // namespace velknee

#endif  // VELKNEE_COMMON_API_SERIALIZATION_H_
