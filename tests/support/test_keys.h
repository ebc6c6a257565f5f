#pragma once
// Fresh key pairs for tests and benchmarks, as the PEM text an operator would
// configure (SPKI public keys, PKCS#8 private keys).
#include <cstddef>
#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>

namespace tessera::testing {

inline std::string PemText(EVP_PKEY* key, bool private_key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  int ok = private_key ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
                       : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1) return "";
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

struct PemKeyPair {
  std::string private_pem;
  std::string public_pem;
};

// kind: "RSA" (2048 bits), "RSA-1024", "P-256", "P-384", "P-521", "Ed25519", "X25519".
inline PemKeyPair GeneratePemKeyPair(const std::string& kind) {
  EVP_PKEY* key = nullptr;
  if (kind == "RSA") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else if (kind == "RSA-1024") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024));
  } else if (kind.rfind("P-", 0) == 0) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kind.c_str());
  } else if (kind == "Ed25519") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else if (kind == "X25519") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
  }
  if (key == nullptr) return {};
  PemKeyPair pair{PemText(key, true), PemText(key, false)};
  EVP_PKEY_free(key);
  return pair;
}

}  // namespace tessera::testing
