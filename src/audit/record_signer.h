#pragma once
// Signatures over a point of the chain, so that one rotated file can be
// checked by itself: its last record (kind "file_end") carries an Ed25519
// signature over the hash of the record before it, which commits to every
// record of the file. Verifying needs only the public key.
//
// The signed message is the text
//   "tessera-audit-v1\n" <seq> "\n" <hash>
// and the signature is base64url without padding; key_id is the first 16 hex
// digits of the SHA-256 of the public key's DER (SubjectPublicKeyInfo).
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/chain.h"

namespace tessera::audit {

std::string SignedMessage(const ChainPoint& point);

class RecordSigner {
 public:
  // An Ed25519 private key in PEM (PKCS#8) from `path`.
  static absl::StatusOr<std::unique_ptr<RecordSigner>> FromPemFile(const std::string& path);
  static absl::StatusOr<std::unique_ptr<RecordSigner>> FromPem(std::string_view pem);
  ~RecordSigner();

  std::string Sign(const ChainPoint& point) const;  // base64url
  const std::string& key_id() const { return key_id_; }
  // The matching public key, PEM (SubjectPublicKeyInfo), for `verify --public-key`.
  const std::string& public_pem() const { return public_pem_; }

 private:
  RecordSigner() = default;
  struct Key;
  std::unique_ptr<Key> key_;
  std::string key_id_;
  std::string public_pem_;
};

class SignatureChecker {
 public:
  // An Ed25519 public key in PEM (SubjectPublicKeyInfo); a private key's PEM
  // is refused (a verifier has no business holding it).
  static absl::StatusOr<std::unique_ptr<SignatureChecker>> FromPem(std::string_view pem);
  ~SignatureChecker();

  const std::string& key_id() const { return key_id_; }
  bool Verify(const ChainPoint& point, std::string_view signature_b64url) const;

 private:
  SignatureChecker() = default;
  struct Key;
  std::unique_ptr<Key> key_;
  std::string key_id_;
};

}  // namespace tessera::audit
