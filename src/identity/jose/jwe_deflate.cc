// Raw DEFLATE (RFC 1951) for "zip":"DEF" (RFC 7516 §4.1.3). Inflation stops
// as soon as the output would exceed the cap, so a small token cannot expand
// into an unbounded plaintext (decompression bomb).
#include <array>

#include "absl/status/status.h"
#include <zlib.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {
namespace {

// Negative window bits select raw DEFLATE: no zlib header or checksum.
constexpr int kRawDeflateWindowBits = -15;

}  // namespace

absl::StatusOr<std::string> Inflate(std::string_view deflated, std::size_t max_output_bytes) {
  z_stream stream{};
  if (inflateInit2(&stream, kRawDeflateWindowBits) != Z_OK) return absl::InternalError("inflate: init failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  stream.avail_in = static_cast<uInt>(deflated.size());
  std::string out;
  std::array<unsigned char, 16384> chunk{};
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    stream.next_out = chunk.data();
    stream.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&stream);
      return absl::InvalidArgumentError("inflate: invalid DEFLATE data");
    }
    const std::size_t produced = chunk.size() - stream.avail_out;
    if (out.size() + produced > max_output_bytes) {
      inflateEnd(&stream);
      return absl::InvalidArgumentError("inflate: output exceeds the limit");
    }
    out.append(reinterpret_cast<const char*>(chunk.data()), produced);
    // No progress with input left means the stream is truncated.
    if (rc == Z_OK && produced == 0 && stream.avail_in == 0) {
      inflateEnd(&stream);
      return absl::InvalidArgumentError("inflate: truncated DEFLATE data");
    }
  }
  const bool trailing = stream.avail_in != 0;
  inflateEnd(&stream);
  // Bytes after the final block are not part of the plaintext; refuse them
  // rather than silently ignoring part of an authenticated message.
  if (trailing) return absl::InvalidArgumentError("inflate: data after the end of the stream");
  return out;
}

absl::StatusOr<std::string> Deflate(std::string_view data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kRawDeflateWindowBits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return absl::InternalError("deflate: init failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  const std::size_t written = out.size() - stream.avail_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return absl::InternalError("deflate failed");
  out.resize(written);
  return out;
}

}  // namespace tessera::identity::jose::crypto
