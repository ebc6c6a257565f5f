#pragma once
// The bytes read from a connection and not yet parsed. Contiguous, because
// the HTTP parser needs a whole header in one piece; compacted instead of
// reallocated when parsed bytes free room at the front.
#include <cstddef>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace tessera::http {

class ReadBuffer {
 public:
  std::string_view readable() const { return {data_.data() + begin_, end_ - begin_}; }
  bool empty() const { return begin_ == end_; }

  void Consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) {
      begin_ = end_ = 0;
      // A rare huge header should not pin its memory for the whole life of
      // a keep-alive connection.
      if (data_.size() > kRetainedBytes) std::vector<char>().swap(data_);
    }
  }

  // Room for at least `n` more bytes after the readable ones. The span stays
  // valid until the next Prepare/Consume/Clear.
  std::span<char> Prepare(size_t n) {
    if (data_.size() - end_ < n && begin_ > 0) {
      std::memmove(data_.data(), data_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (data_.size() - end_ < n) data_.resize(end_ + n);
    return {data_.data() + end_, data_.size() - end_};
  }
  void Commit(size_t n) { end_ += n; }
  void Clear() { begin_ = end_ = 0; }

 private:
  static constexpr size_t kRetainedBytes = 64 * 1024;
  std::vector<char> data_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace tessera::http
