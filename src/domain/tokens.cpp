#include "domain/tokens.hpp"

#include <boost/json.hpp>

#include "core/hash.hpp"
#include "core/strings.hpp"

namespace jack::domain {
namespace json = boost::json;

std::string SignAccessToken(const AccessClaims& c, const std::string& secret) {
  std::string header = core::Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})");
  json::object p{{"sub", c.staff_id}, {"role", c.role},     {"sid", c.session_id},
                 {"typ", "access"},   {"iat", c.issued_at}, {"exp", c.expires_at}};
  std::string payload = core::Base64UrlEncode(json::serialize(p));
  std::string signing = header + "." + payload;
  return signing + "." + core::Base64UrlEncode(core::HmacSha256(secret, signing));
}

Result<AccessClaims> VerifyAccessToken(const std::string& token, const std::string& secret,
                                       core::TimePoint now) {
  auto bad = [] { return Error::Unauthorized("invalid or expired token"); };
  if (token.size() > 4096) return bad();
  auto parts = core::Split(token, '.');
  if (parts.size() != 3) return bad();
  std::string header_raw, payload_raw;
  if (!core::Base64UrlDecode(parts[0], header_raw) || !core::Base64UrlDecode(parts[1], payload_raw))
    return bad();
  boost::system::error_code ec;
  auto header = json::parse(header_raw, ec);
  if (ec || !header.is_object()) return bad();
  const auto* alg = header.as_object().if_contains("alg");
  if (!alg || !alg->is_string() || alg->as_string() != "HS256") return bad();
  std::string expected = core::Base64UrlEncode(core::HmacSha256(secret, parts[0] + "." + parts[1]));
  if (!core::ConstantTimeEquals(expected, parts[2])) return bad();
  auto payload = json::parse(payload_raw, ec);
  if (ec || !payload.is_object()) return bad();
  const auto& o = payload.as_object();
  const auto* typ = o.if_contains("typ");
  const auto* sub = o.if_contains("sub");
  const auto* exp = o.if_contains("exp");
  if (!typ || !typ->is_string() || typ->as_string() != "access") return bad();
  if (!sub || !sub->is_string() || !exp || !exp->is_int64()) return bad();
  int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (exp->as_int64() <= now_s) return bad();
  AccessClaims c;
  c.staff_id = std::string(sub->as_string());
  if (const auto* r = o.if_contains("role"); r && r->is_string())
    c.role = std::string(r->as_string());
  if (const auto* s = o.if_contains("sid"); s && s->is_string())
    c.session_id = std::string(s->as_string());
  if (const auto* i = o.if_contains("iat"); i && i->is_int64()) c.issued_at = i->as_int64();
  c.expires_at = exp->as_int64();
  return c;
}

}  // namespace jack::domain
