#include "core/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <memory>

#include "core/hash.hpp"

namespace jack::core {
namespace {

constexpr std::string_view kPrefix = "enc:v1:";
constexpr size_t kNonce = 12, kTag = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string DeriveKey(std::string_view secret, std::string_view purpose) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> pctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  std::string out(32, '\0');
  size_t len = out.size();
  if (!pctx || EVP_PKEY_derive_init(pctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_hkdf_md(pctx.get(), EVP_sha256()) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_key(pctx.get(), U(secret), static_cast<int>(secret.size())) <= 0 ||
      EVP_PKEY_CTX_add1_hkdf_info(pctx.get(), U(purpose), static_cast<int>(purpose.size())) <= 0 ||
      EVP_PKEY_derive(pctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len) <= 0 ||
      len != out.size())
    std::abort();  // only an OpenSSL without HKDF fails here: not a state to run in
  return out;
}

bool IsSealed(std::string_view text) { return text.substr(0, kPrefix.size()) == kPrefix; }

std::string Seal(std::string_view key, std::string_view plaintext, std::string_view context) {
  std::string raw(kNonce + plaintext.size() + kTag, '\0');
  auto* p = reinterpret_cast<unsigned char*>(raw.data());
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> c(EVP_CIPHER_CTX_new());
  int n = 0;
  if (key.size() != 32 || !c || RAND_bytes(p, kNonce) != 1 ||
      EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, U(key), p) != 1 ||
      EVP_EncryptUpdate(c.get(), nullptr, &n, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(c.get(), p + kNonce, &n, U(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(c.get(), p + kNonce + n, &n) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, kTag, p + kNonce + plaintext.size()) != 1)
    std::abort();  // a wrong key size is a programming error; the rest cannot fail
  return std::string(kPrefix) + Base64UrlEncode(raw);
}

Result<std::string> Open(std::string_view key, std::string_view sealed, std::string_view context) {
  std::string raw;
  if (!IsSealed(sealed) || !Base64UrlDecode(sealed.substr(kPrefix.size()), raw) ||
      raw.size() < kNonce + kTag || key.size() != 32)
    return Error::Invalid("not a sealed value");
  const size_t len = raw.size() - kNonce - kTag;
  auto* p = reinterpret_cast<unsigned char*>(raw.data());
  std::string out(len, '\0');
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> c(EVP_CIPHER_CTX_new());
  int n = 0;
  if (!c || EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, U(key), p) != 1 ||
      EVP_DecryptUpdate(c.get(), nullptr, &n, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(c.get(), reinterpret_cast<unsigned char*>(out.data()), &n, p + kNonce,
                        static_cast<int>(len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, kTag, p + kNonce + len) != 1 ||
      EVP_DecryptFinal_ex(c.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &n) != 1)
    return Error::Invalid("the sealed value does not open with this key");
  return out;
}

}  // namespace jack::core
