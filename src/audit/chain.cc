#include "audit/chain.h"

#include <openssl/evp.h>

#include <boost/json/parse.hpp>

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

std::string HexSha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

SealedRecord Seal(const ChainPoint& prev, std::string_view fields) {
  SealedRecord r;
  r.seq = prev.seq + 1;
  std::string& line = r.line;
  line.reserve(fields.size() + 180);
  absl::StrAppend(&line, "{\"seq\":", r.seq, ",\"prev\":\"", prev.hash, "\"");
  if (!fields.empty()) {
    line += ',';
    line.append(fields.data(), fields.size());
  }
  r.hash = HexSha256(line);
  line.append(kHashMember.data(), kHashMember.size());
  absl::StrAppend(&line, r.hash, "\"}\n");
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
