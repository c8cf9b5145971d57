#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace jack::core {

// A 32-byte key for one purpose, derived from a longer-lived secret with HKDF-SHA256
// (RFC 5869, no salt); `purpose` is the HKDF info, so keys for different uses never coincide.
std::string DeriveKey(std::string_view secret, std::string_view purpose);

// AES-256-GCM with a random 96-bit nonce. The result is text, "enc:v1:" then base64url of
// nonce | ciphertext | 16-byte tag. `context` is authenticated but not stored (associated
// data): a sealed value opens only under the same context, so it cannot be moved to
// another row. `key` must be 32 bytes.
std::string Seal(std::string_view key, std::string_view plaintext, std::string_view context);
// The plaintext of a Seal() result; an error for another key, another context, a modified
// value or text that was never sealed.
Result<std::string> Open(std::string_view key, std::string_view sealed, std::string_view context);
bool IsSealed(std::string_view text);

}  // namespace jack::core
