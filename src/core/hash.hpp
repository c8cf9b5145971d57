#pragma once

#include <string>
#include <string_view>

namespace jack::core {

std::string Sha256Hex(std::string_view data);
// Raw 32-byte HMAC-SHA256.
std::string HmacSha256(std::string_view key, std::string_view data);
// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
std::string Base64UrlEncode(std::string_view data);
bool Base64UrlDecode(std::string_view in, std::string& out);

}  // namespace jack::core
