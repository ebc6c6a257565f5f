// The JWE primitives against the RFCs' own examples: RFC 3394 §4 (AES key
// wrap), RFC 7518 Appendix B (AES_CBC_HMAC_SHA2) and Appendix C (ECDH-ES
// Concat KDF), RFC 7520 §5.3 (PBES2), RFC 7748 §6.1 (X25519), plus the
// failure paths a decrypter relies on (tag checks, unwrap integrity, the
// RSA1_5 substitute CEK, the inflate cap).
#include <memory>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "identity/jose/jwe_crypto.h"
#include "identity/jose/jwk.h"

namespace tessera::identity::jose::crypto {
namespace {

std::string Hex(std::string_view hex) {
  std::string out;
  std::string digits;
  for (char c : hex) {
    if (c != ' ' && c != '\n') digits.push_back(c);
  }
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string Range(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(i));
  return out;
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// ---------------------------------------------------------------- RFC 3394 §4

struct WrapVector {
  const char* name;
  int kek_bytes;
  int data_bytes;
  const char* wrapped;
};

TEST(JweCryptoTest, AesKeyWrapRfc3394Section4) {
  const std::string kek_all = Hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  const std::string data_all = Hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
  const WrapVector vectors[] = {
      {"4.1 128-bit data, 128-bit KEK", 16, 16, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"},
      {"4.2 128-bit data, 192-bit KEK", 24, 16, "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D"},
      {"4.3 128-bit data, 256-bit KEK", 32, 16, "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7"},
      {"4.4 192-bit data, 192-bit KEK", 24, 24, "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2"},
      {"4.5 192-bit data, 256-bit KEK", 32, 24, "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1"},
      {"4.6 256-bit data, 256-bit KEK", 32, 32,
       "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"},
  };
  for (const WrapVector& v : vectors) {
    const std::string kek = kek_all.substr(0, static_cast<std::size_t>(v.kek_bytes));
    const std::string data = data_all.substr(0, static_cast<std::size_t>(v.data_bytes));
    auto wrapped = AesKeyWrap(kek, data);
    ASSERT_TRUE(wrapped.ok()) << v.name << ": " << wrapped.status();
    EXPECT_EQ(*wrapped, Hex(v.wrapped)) << v.name;
    auto unwrapped = AesKeyUnwrap(kek, Hex(v.wrapped));
    ASSERT_TRUE(unwrapped.ok()) << v.name << ": " << unwrapped.status();
    EXPECT_EQ(*unwrapped, data) << v.name;
  }
}

TEST(JweCryptoTest, AesKeyUnwrapRejectsTamperingAndBadSizes) {
  const std::string kek = Range(16);
  std::string wrapped = Hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
  std::string flipped = wrapped;
  flipped[5] = static_cast<char>(flipped[5] ^ 1);
  EXPECT_FALSE(AesKeyUnwrap(kek, flipped).ok()) << "integrity check value must catch a modified key";
  std::string other_kek = kek;
  other_kek[0] = 'x';
  EXPECT_FALSE(AesKeyUnwrap(other_kek, wrapped).ok()) << "wrong KEK";
  EXPECT_FALSE(AesKeyUnwrap(kek, wrapped.substr(0, 16)).ok()) << "too short";
  EXPECT_FALSE(AesKeyUnwrap(kek, wrapped.substr(0, 23)).ok()) << "not a multiple of 8";
  EXPECT_FALSE(AesKeyUnwrap(Range(15), wrapped).ok()) << "KEK size";
  EXPECT_FALSE(AesKeyWrap(kek, Range(8)).ok()) << "RFC 3394 needs two blocks";
  EXPECT_FALSE(AesKeyWrap(kek, Range(20)).ok()) << "not a multiple of 8";
}

// ------------------------------------------------------- RFC 7518 Appendix B

constexpr char kPlaintextB[] =
    "A cipher system must not be required to be secret, and it must be able to fall into the hands of "
    "the enemy without inconvenience";
constexpr char kAadB[] = "The second principle of Auguste Kerckhoffs";
constexpr char kIvB[] = "1af38c2dc2b96ffdd86694092341bc04";

struct CbcVector {
  const char* name;
  int key_bytes;
  const char* ciphertext;
  const char* tag;
};

const CbcVector kCbcVectors[] = {
    {"B.1 AES_128_CBC_HMAC_SHA_256", 32,
     "c80edfa32ddf39d5ef00c0b468834279a2e46a1b8049f792f76bfe54b903a9c9a94ac9b47ad2655c5f10f9aef71427e2"
     "fc6f9b3f399a221489f16362c703233609d45ac69864e3321cf82935ac4096c86e133314c54019e8ca7980dfa4b9cf1b"
     "384c486f3a54c51078158ee5d79de59fbd34d848b3d69550a67646344427ade54b8851ffb598f7f80074b9473c82e2db",
     "652c3fa36b0a7c5b3219fab3a30bc1c4"},
    {"B.2 AES_192_CBC_HMAC_SHA_384", 48,
     "ea65da6b59e61edb419be62d19712ae5d303eeb50052d0dfd6697f77224c8edb000d279bdc14c1072654bd30944230c6"
     "57bed4ca0c9f4a8466f22b226d1746214bf8cfc2400add9f5126e479663fc90b3bed787a2f0ffcbf3904be2a641d5c21"
     "05bfe591bae23b1d7449e532eef60a9ac8bb6c6b01d35d49787bcd57ef484927f280adc91ac0c4e79c7b11efc60054e3",
     "8490ac0e58949bfe51875d733f93ac2075168039ccc733d7"},
    {"B.3 AES_256_CBC_HMAC_SHA_512", 64,
     "4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd822c301dd67c373bccb584ad3e9279c2"
     "e6d12a1374b77f077553df829410446b36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3"
     "a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950bbe2638d09dd7a4930930806d0703b1f6",
     "4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5"},
};

TEST(JweCryptoTest, AesCbcHmacRfc7518AppendixB) {
  for (const CbcVector& v : kCbcVectors) {
    const std::string key = Range(v.key_bytes);
    auto sealed = AesCbcHmacEncrypt(key, Hex(kIvB), kAadB, kPlaintextB);
    ASSERT_TRUE(sealed.ok()) << v.name << ": " << sealed.status();
    EXPECT_EQ(sealed->ciphertext, Hex(v.ciphertext)) << v.name;
    EXPECT_EQ(sealed->tag, Hex(v.tag)) << v.name;
    auto opened = AesCbcHmacDecrypt(key, Hex(kIvB), kAadB, Hex(v.ciphertext), Hex(v.tag));
    ASSERT_TRUE(opened.ok()) << v.name << ": " << opened.status();
    EXPECT_EQ(*opened, kPlaintextB) << v.name;
  }
}

TEST(JweCryptoTest, AesCbcHmacTagFailures) {
  for (const CbcVector& v : kCbcVectors) {
    const std::string key = Range(v.key_bytes);
    const std::string iv = Hex(kIvB);
    const std::string ct = Hex(v.ciphertext);
    const std::string tag = Hex(v.tag);
    std::string bad_tag = tag;
    bad_tag.back() = static_cast<char>(bad_tag.back() ^ 0x80);
    EXPECT_FALSE(AesCbcHmacDecrypt(key, iv, kAadB, ct, bad_tag).ok()) << v.name << " modified tag";
    EXPECT_FALSE(AesCbcHmacDecrypt(key, iv, kAadB, ct, tag.substr(0, tag.size() - 1)).ok())
        << v.name << " truncated tag";
    EXPECT_FALSE(AesCbcHmacDecrypt(key, iv, kAadB, ct, tag + "x").ok()) << v.name << " extended tag";
    EXPECT_FALSE(AesCbcHmacDecrypt(key, iv, kAadB, ct, "").ok()) << v.name << " empty tag";
    std::string bad_ct = ct;
    bad_ct[3] = static_cast<char>(bad_ct[3] ^ 1);
    EXPECT_FALSE(AesCbcHmacDecrypt(key, iv, kAadB, bad_ct, tag).ok()) << v.name << " modified ciphertext";
    std::string bad_iv = iv;
    bad_iv[0] = static_cast<char>(bad_iv[0] ^ 1);
    EXPECT_FALSE(AesCbcHmacDecrypt(key, bad_iv, kAadB, ct, tag).ok()) << v.name << " modified IV";
    EXPECT_FALSE(AesCbcHmacDecrypt(key, iv, "The second principle of Auguste Kerckhoffz", ct, tag).ok())
        << v.name << " modified AAD";
    EXPECT_FALSE(AesCbcHmacDecrypt(key, iv.substr(0, 12), kAadB, ct, tag).ok()) << v.name << " 12-byte IV";
  }
  EXPECT_FALSE(AesCbcHmacEncrypt(Range(16), Hex(kIvB), "", "x").ok()) << "key too short";
}

// ------------------------------------------------------------------- AES-GCM

TEST(JweCryptoTest, AesGcmRoundTripAndTagFailures) {
  for (int key_bytes : {16, 24, 32}) {
    const std::string key = Range(key_bytes);
    const std::string iv = Range(12);
    auto sealed = AesGcmEncrypt(key, iv, "header", "attack at dawn");
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    ASSERT_EQ(sealed->tag.size(), 16u);
    auto opened = AesGcmDecrypt(key, iv, "header", sealed->ciphertext, sealed->tag);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, "attack at dawn");

    // A truncated tag must not be compared as a shorter tag (OpenSSL would).
    for (std::size_t len : {15u, 12u, 8u, 4u, 0u}) {
      EXPECT_FALSE(AesGcmDecrypt(key, iv, "header", sealed->ciphertext, sealed->tag.substr(0, len)).ok())
          << "tag truncated to " << len;
    }
    std::string bad_tag = sealed->tag;
    bad_tag[0] = static_cast<char>(bad_tag[0] ^ 1);
    EXPECT_FALSE(AesGcmDecrypt(key, iv, "header", sealed->ciphertext, bad_tag).ok());
    std::string bad_ct = sealed->ciphertext;
    bad_ct[0] = static_cast<char>(bad_ct[0] ^ 1);
    EXPECT_FALSE(AesGcmDecrypt(key, iv, "header", bad_ct, sealed->tag).ok());
    EXPECT_FALSE(AesGcmDecrypt(key, iv, "headeR", sealed->ciphertext, sealed->tag).ok());
    std::string bad_iv = iv;
    bad_iv[11] = static_cast<char>(bad_iv[11] ^ 1);
    EXPECT_FALSE(AesGcmDecrypt(key, bad_iv, "header", sealed->ciphertext, sealed->tag).ok());
    EXPECT_FALSE(AesGcmDecrypt(key, Range(16), "header", sealed->ciphertext, sealed->tag).ok()) << "16-byte IV";
  }
  EXPECT_FALSE(AesGcmEncrypt(Range(20), Range(12), "", "x").ok()) << "key size";
  auto empty = AesGcmEncrypt(Range(16), Range(12), "aad", "");
  ASSERT_TRUE(empty.ok());
  auto opened = AesGcmDecrypt(Range(16), Range(12), "aad", "", empty->tag);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "");
}

// ------------------------------------------------------- RFC 7518 Appendix C

const unsigned char kAppendixCZ[] = {158, 86,  217, 29,  129, 113, 53,  211, 114, 131, 66,
                                     131, 191, 132, 38,  156, 251, 49,  110, 163, 218, 128,
                                     106, 72,  246, 218, 167, 121, 140, 254, 144, 196};

TEST(JweCryptoTest, ConcatKdfRfc7518AppendixC) {
  const std::string z(reinterpret_cast<const char*>(kAppendixCZ), sizeof(kAppendixCZ));
  auto key = ConcatKdf(z, "A128GCM", "Alice", "Bob", 16);
  ASSERT_TRUE(key.ok()) << key.status();
  // base64url "VqqN6vgjbSBcIijNcacQGg"
  EXPECT_EQ(*key, Hex("56aa8deaf8236d205c2228cd71a7101a"));
  // Every input is bound into the key.
  EXPECT_NE(*ConcatKdf(z, "A256GCM", "Alice", "Bob", 16), *key);
  EXPECT_NE(*ConcatKdf(z, "A128GCM", "Alicf", "Bob", 16), *key);
  EXPECT_NE(*ConcatKdf(z, "A128GCM", "Alice", "Bop", 16), *key);
  // More than one hash block: the first 32 bytes are block 1 alone.
  auto long_key = ConcatKdf(z, "A256CBC-HS512", "", "", 64);
  ASSERT_TRUE(long_key.ok());
  EXPECT_EQ(long_key->size(), 64u);
}

TEST(JweCryptoTest, EcdhRfc7518AppendixCSharedSecret) {
  auto alice = ParseJwk(boost::json::parse(R"({"kty":"EC","crv":"P-256",
      "x":"gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0","y":"SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps",
      "d":"0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo"})").as_object());
  auto bob = ParseJwk(boost::json::parse(R"({"kty":"EC","crv":"P-256",
      "x":"weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ","y":"e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck",
      "d":"VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw"})").as_object());
  ASSERT_TRUE(alice.ok()) << alice.status();
  ASSERT_TRUE(bob.ok()) << bob.status();
  const std::string expected(reinterpret_cast<const char*>(kAppendixCZ), sizeof(kAppendixCZ));
  auto z_alice = EcdhSharedSecret(alice->pkey.get(), bob->pkey.get());
  auto z_bob = EcdhSharedSecret(bob->pkey.get(), alice->pkey.get());
  ASSERT_TRUE(z_alice.ok()) << z_alice.status();
  ASSERT_TRUE(z_bob.ok()) << z_bob.status();
  EXPECT_EQ(*z_alice, expected);
  EXPECT_EQ(*z_bob, expected);
}

TEST(JweCryptoTest, X25519Rfc7748Section61AndSmallOrderPoint) {
  const std::string alice_priv = Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const std::string bob_pub = Hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  PkeyPtr alice(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr,
                                             reinterpret_cast<const unsigned char*>(alice_priv.data()), 32));
  PkeyPtr bob(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(bob_pub.data()), 32));
  ASSERT_TRUE(alice && bob);
  auto z = EcdhSharedSecret(alice.get(), bob.get());
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(*z, Hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));

  // u = 0 has small order: the "shared" secret would be all zeros.
  const std::string zero(32, '\0');
  PkeyPtr small(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr,
                                            reinterpret_cast<const unsigned char*>(zero.data()), 32));
  ASSERT_TRUE(small);
  EXPECT_FALSE(EcdhSharedSecret(alice.get(), small.get()).ok());
}

TEST(JweCryptoTest, EcdhRefusesMismatchedCurves) {
  PkeyPtr p256(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  PkeyPtr p384(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  PkeyPtr x25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
  ASSERT_TRUE(p256 && p384 && x25519);
  EXPECT_FALSE(EcdhSharedSecret(p256.get(), p384.get()).ok());
  EXPECT_FALSE(EcdhSharedSecret(p256.get(), x25519.get()).ok());
  EXPECT_FALSE(EcdhSharedSecret(p256.get(), nullptr).ok());
}

// ------------------------------------------------------------ RFC 7520 §5.3

TEST(JweCryptoTest, Pbes2Rfc7520Section53) {
  const std::string password = "entrap_o\xe2\x80\x93peter_long\xe2\x80\x93" "credit_tun";
  const std::string p2s = Hex("f10d52ce29dab11df1721633e9965c1c");  // "8Q1SzinasR3xchYz6ZZcHA"
  auto kek = Pbes2DeriveKey(password, "PBES2-HS512+A256KW", p2s, 8192, 32);
  ASSERT_TRUE(kek.ok()) << kek.status();
  auto cek = AesKeyUnwrap(*kek, Hex("777a8d85459faa17b23e9e07f2c8ce5ac0d86a3a1e8f873925eeab954b453d6760b5446d99e0d5d6"));
  ASSERT_TRUE(cek.ok()) << cek.status();
  // "uwsjJXaBK407Qaf0_zpcpmr1Cs0CC50hIUEyGNEt3m0"
  EXPECT_EQ(*cek, Hex("bb0b232576812b8d3b41a7f4ff3a5ca66af50acd020b9d2121413218d12dde6d"));

  EXPECT_FALSE(Pbes2DeriveKey(password, "PBES2-HS512+A256KW", p2s.substr(0, 7), 8192, 32).ok()) << "short salt";
  EXPECT_FALSE(Pbes2DeriveKey(password, "PBES2-HS512+A256KW", p2s, 0, 32).ok()) << "zero iterations";
  EXPECT_FALSE(Pbes2DeriveKey(password, "PBES2-HS999+A256KW", p2s, 1000, 32).ok()) << "unknown alg";
  // The algorithm name is part of the salt.
  EXPECT_NE(*Pbes2DeriveKey(password, "PBES2-HS256+A128KW", p2s, 1000, 16),
            Pbes2DeriveKey(password, "PBES2-HS512+A256KW", p2s, 1000, 32)->substr(0, 16));
}

// ----------------------------------------------------------------------- RSA

TEST(JweCryptoTest, RsaKeyTransport) {
  PkeyPtr rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  ASSERT_TRUE(rsa);
  const std::string cek = Range(32);
  for (RsaPadding padding : {RsaPadding::kOaepSha1, RsaPadding::kOaepSha256, RsaPadding::kPkcs1v15}) {
    auto encrypted = RsaEncryptKey(rsa.get(), padding, cek);
    ASSERT_TRUE(encrypted.ok()) << encrypted.status();
    EXPECT_EQ(encrypted->size(), 256u);
    auto decrypted = RsaDecryptKey(rsa.get(), padding, *encrypted, 32);
    ASSERT_TRUE(decrypted.ok()) << decrypted.status();
    EXPECT_EQ(*decrypted, cek);
  }
  // OAEP with the other hash fails; OAEP with the wrong expected size fails.
  auto oaep1 = RsaEncryptKey(rsa.get(), RsaPadding::kOaepSha1, cek);
  ASSERT_TRUE(oaep1.ok());
  EXPECT_FALSE(RsaDecryptKey(rsa.get(), RsaPadding::kOaepSha256, *oaep1, 32).ok());
  EXPECT_FALSE(RsaDecryptKey(rsa.get(), RsaPadding::kOaepSha1, *oaep1, 16).ok());
}

TEST(JweCryptoTest, Rsa1_5PaddingFailureYieldsRandomCekOfTheRightSize) {
  PkeyPtr rsa(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  ASSERT_TRUE(rsa);
  // An OAEP ciphertext is not valid PKCS#1 v1.5 padding; garbage is neither.
  auto oaep = RsaEncryptKey(rsa.get(), RsaPadding::kOaepSha1, Range(16));
  ASSERT_TRUE(oaep.ok());
  auto first = RsaDecryptKey(rsa.get(), RsaPadding::kPkcs1v15, *oaep, 16);
  auto second = RsaDecryptKey(rsa.get(), RsaPadding::kPkcs1v15, *oaep, 16);
  ASSERT_TRUE(first.ok()) << "padding failure must not be reported";
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->size(), 16u);
  EXPECT_NE(*first, *second) << "a fresh random CEK each time";
  EXPECT_NE(*first, Range(16));
  // A valid encryption of a CEK of another size also yields a random CEK.
  auto wrong_size = RsaEncryptKey(rsa.get(), RsaPadding::kPkcs1v15, Range(24));
  ASSERT_TRUE(wrong_size.ok());
  auto substituted = RsaDecryptKey(rsa.get(), RsaPadding::kPkcs1v15, *wrong_size, 16);
  ASSERT_TRUE(substituted.ok());
  EXPECT_EQ(substituted->size(), 16u);
  auto garbage = RsaDecryptKey(rsa.get(), RsaPadding::kPkcs1v15, std::string(256, 'z'), 32);
  ASSERT_TRUE(garbage.ok());
  EXPECT_EQ(garbage->size(), 32u);
}

// ------------------------------------------------------------------- DEFLATE

TEST(JweCryptoTest, InflateRoundTripAndCap) {
  const std::string text(5000, 'a');
  auto deflated = Deflate(text);
  ASSERT_TRUE(deflated.ok()) << deflated.status();
  EXPECT_LT(deflated->size(), text.size());
  auto inflated = Inflate(*deflated, 5000);
  ASSERT_TRUE(inflated.ok()) << inflated.status();
  EXPECT_EQ(*inflated, text);
  EXPECT_FALSE(Inflate(*deflated, 4999).ok()) << "one byte over the cap";

  // A decompression bomb: 4 MiB of zeros compress to a few KiB.
  auto bomb = Deflate(std::string(4 << 20, '\0'));
  ASSERT_TRUE(bomb.ok());
  auto exploded = Inflate(*bomb, 64 * 1024);
  EXPECT_FALSE(exploded.ok());

  EXPECT_FALSE(Inflate(deflated->substr(0, deflated->size() / 2), 1 << 20).ok()) << "truncated";
  EXPECT_FALSE(Inflate(*deflated + "trailing", 1 << 20).ok()) << "data after the stream";
  EXPECT_FALSE(Inflate("", 1 << 20).ok()) << "empty";
  EXPECT_FALSE(Inflate("\xff\xff\xff\xff", 1 << 20).ok()) << "not DEFLATE";
}

TEST(JweCryptoTest, ConstantTimeEqualsAndRandomBytes) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
}

}  // namespace
}  // namespace tessera::identity::jose::crypto
