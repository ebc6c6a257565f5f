#include "http/request_id.h"

#include <cstdint>
#include <random>

namespace tessera::http {
namespace {

constexpr size_t kMaxRequestIdLength = 128;

bool IsRequestIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == ':' || c == '-';
}

// Ids need to be unique, not unpredictable (they are echoed to the client
// anyway), so a per-thread PRNG seeded once from the OS is enough and keeps
// the hot path free of locks and system calls.
std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  return engine;
}

void AppendHex(std::string& out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out.push_back(kHex[(value >> shift) & 0xf]);
  }
}

}  // namespace

bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!IsRequestIdChar(c)) return false;
  }
  return true;
}

std::string NewRequestId() {
  auto& random = ThreadRandom();
  uint64_t high = random();
  uint64_t low = random();
  // RFC 9562 version 4 / variant 10 bits, so the id reads as a UUID.
  high = (high & ~0xf000ULL) | 0x4000ULL;
  low = (low & ~(0x3ULL << 62)) | (0x2ULL << 62);
  std::string id;
  id.reserve(36 + 7);
  AppendHex(id, high >> 32, 8);
  id.push_back('-');
  AppendHex(id, (high >> 16) & 0xffff, 4);
  id.push_back('-');
  AppendHex(id, high & 0xffff, 4);
  id.push_back('-');
  AppendHex(id, low >> 48, 4);
  id.push_back('-');
  AppendHex(id, low & 0xffffffffffffULL, 12);
  id += "-span-1";
  return id;
}

std::string ChooseRequestId(const std::string* client_id) {
  if (client_id != nullptr && IsAcceptableRequestId(*client_id)) return *client_id;
  return NewRequestId();
}

}  // namespace tessera::http
