#pragma once
// Access to the read-only public conformance vectors (TESSERA_VECTORS_DIR).
// A missing or unreadable vector file fails the test: vectors must be present,
// a conformance test never passes by skipping.
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#ifndef TESSERA_VECTORS_DIR
#error "TESSERA_VECTORS_DIR must point at the shared vectors directory"
#endif

namespace tessera::identity::jose {

inline std::string VectorPath(std::string_view relative_path) {
  return std::string(TESSERA_VECTORS_DIR) + "/" + std::string(relative_path);
}

// The file's bytes; ADD_FAILURE and "" when it cannot be read.
inline std::string ReadVectorFile(std::string_view relative_path) {
  const std::string path = VectorPath(relative_path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "conformance vector file missing: " << path;
    return {};
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The file parsed as JSON (plain Boost.JSON: vectors are trusted input);
// ADD_FAILURE and null when missing or malformed.
inline boost::json::value LoadVectorJson(std::string_view relative_path) {
  const std::string text = ReadVectorFile(relative_path);
  if (text.empty()) return nullptr;
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) {
    ADD_FAILURE() << "conformance vector file is not JSON: " << VectorPath(relative_path) << ": "
                  << ec.message();
    return nullptr;
  }
  return v;
}

}  // namespace tessera::identity::jose
