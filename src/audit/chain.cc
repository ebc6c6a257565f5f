#include "audit/chain.h"

#include <openssl/evp.h>

#include <memory>

#include <boost/json/parse.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tessera::audit {
namespace {

constexpr std::string_view kHashMember = ",\"hash\":\"";

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

// SHA-256 through one context per thread and an implementation fetched
// once: EVP_Digest(EVP_sha256()) looks the algorithm up in the provider
// (under a lock) on every call, which costs as much as hashing a record.
void AppendHexSha256(std::string_view data, std::string& out) {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // None of these fails for a fetched digest and memory input short of
  // memory exhaustion, which the allocations before it would meet first.
  EVP_DigestInit_ex(ctx.get(), kSha256, nullptr);
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t at = out.size();
  out.resize(at + size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out[at + 2 * i] = kHex[digest[i] >> 4];
    out[at + 2 * i + 1] = kHex[digest[i] & 15];
  }
}

std::string HexSha256(std::string_view data) {
  std::string out;
  AppendHexSha256(data, out);
  return out;
}

void SealInto(int64_t prev_seq, std::string_view prev_hash, std::string_view fields, SealedRecord& out) {
  out.seq = prev_seq + 1;
  std::string& line = out.line;
  line.clear();
  line.reserve(fields.size() + 180);
  char digits[24];
  char* end = absl::numbers_internal::FastIntToBuffer(out.seq, digits);
  line.append("{\"seq\":").append(digits, static_cast<size_t>(end - digits)).append(",\"prev\":\"");
  line.append(prev_hash).append("\"");
  if (!fields.empty()) {
    line += ',';
    line.append(fields.data(), fields.size());
  }
  out.hash.clear();
  AppendHexSha256(line, out.hash);
  line.append(kHashMember.data(), kHashMember.size());
  line.append(out.hash).append("\"}\n");
}

SealedRecord Seal(const ChainPoint& prev, std::string_view fields) {
  SealedRecord r;
  SealInto(prev.seq, prev.hash, fields, r);
  return r;
}

absl::StatusOr<OpenedRecord> OpenLine(std::string_view line) {
  // The hash member is the last one, in a fixed spelling, so the hashed
  // prefix can be found without trusting the parser's view of the text.
  if (line.size() < kHashMember.size() + 64 + 2 || line.substr(line.size() - 2) != "\"}") {
    return absl::DataLossError("not a complete record (it does not end with its hash)");
  }
  size_t at = line.size() - 2 - 64 - kHashMember.size();
  if (line.substr(at, kHashMember.size()) != kHashMember) {
    return absl::DataLossError("not a complete record (it does not end with its hash)");
  }
  std::string_view written = line.substr(at + kHashMember.size(), 64);
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return absl::DataLossError("not a JSON object");
  OpenedRecord r;
  r.fields = std::move(v.as_object());
  const boost::json::value* seq = r.fields.if_contains("seq");
  const boost::json::value* prev = r.fields.if_contains("prev");
  const boost::json::value* hash = r.fields.if_contains("hash");
  if (seq == nullptr || !seq->is_int64() || seq->as_int64() < 1) return absl::DataLossError("no valid seq");
  if (prev == nullptr || !prev->is_string() || !IsLowerHex64(prev->as_string())) {
    return absl::DataLossError("no valid prev");
  }
  if (hash == nullptr || !hash->is_string() || hash->as_string() != written || !IsLowerHex64(written)) {
    return absl::DataLossError("no valid hash");
  }
  // The line must start exactly as Seal writes it, so that the seq and prev
  // the parser saw are the ones that were hashed (no duplicate members).
  std::string head = absl::StrCat("{\"seq\":", seq->as_int64(), ",\"prev\":\"", std::string(prev->as_string()), "\"");
  if (line.substr(0, head.size()) != head) return absl::DataLossError("seq and prev are not where they belong");
  r.seq = seq->as_int64();
  r.prev = std::string(prev->as_string());
  r.hash = std::string(written);
  if (HexSha256(line.substr(0, at)) != r.hash) return absl::DataLossError("its hash does not match its content");
  return r;
}

}  // namespace tessera::audit
