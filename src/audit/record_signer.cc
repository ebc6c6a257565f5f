#include "audit/record_signer.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace tessera::audit {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

std::string KeyId(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  if (n <= 0) return "";
  std::string id = HexSha256(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n))).substr(0, 16);
  OPENSSL_free(der);
  return id;
}

std::string PublicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string Base64UrlNoPad(std::string_view bytes) {
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(bytes.data(), bytes.size()), &out);
  return out;
}

}  // namespace

std::string SignedMessage(const ChainPoint& point) {
  return absl::StrCat("tessera-audit-v1\n", point.seq, "\n", point.hash);
}

struct RecordSigner::Key {
  PkeyPtr pkey;
};
struct SignatureChecker::Key {
  PkeyPtr pkey;
};

RecordSigner::~RecordSigner() = default;
SignatureChecker::~SignatureChecker() = default;

absl::StatusOr<std::unique_ptr<RecordSigner>> RecordSigner::FromPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the audit signing key ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<std::unique_ptr<RecordSigner>> signer = FromPem(text.str());
  if (!signer.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", signer.status().message()));
  return signer;
}

absl::StatusOr<std::unique_ptr<RecordSigner>> RecordSigner::FromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM private key");
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("the audit signing key must be an Ed25519 key (openssl genpkey -algorithm ed25519)");
  }
  std::unique_ptr<RecordSigner> s(new RecordSigner());
  s->key_id_ = KeyId(key.get());
  s->public_pem_ = PublicPem(key.get());
  s->key_ = std::make_unique<Key>();
  s->key_->pkey = std::move(key);
  return s;
}

std::string RecordSigner::Sign(const ChainPoint& point) const {
  std::string message = SignedMessage(point);
  unsigned char sig[64];
  size_t sig_len = sizeof sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_->pkey.get()) == 1 &&
            EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return "";
  return Base64UrlNoPad(std::string_view(reinterpret_cast<char*>(sig), sig_len));
}

absl::StatusOr<std::unique_ptr<SignatureChecker>> SignatureChecker::FromPem(std::string_view pem) {
  if (pem.find("PRIVATE KEY") != std::string_view::npos) {
    return absl::InvalidArgumentError("give the public key, not the private one");
  }
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  PkeyPtr key(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM public key");
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("not an Ed25519 public key");
  }
  std::unique_ptr<SignatureChecker> c(new SignatureChecker());
  c->key_id_ = KeyId(key.get());
  c->key_ = std::make_unique<Key>();
  c->key_->pkey = std::move(key);
  return c;
}

bool SignatureChecker::Verify(const ChainPoint& point, std::string_view signature_b64url) const {
  std::string sig;
  if (!absl::WebSafeBase64Unescape(absl::string_view(signature_b64url.data(), signature_b64url.size()), &sig) || sig.size() != 64) return false;
  std::string message = SignedMessage(point);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key_->pkey.get()) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace tessera::audit
