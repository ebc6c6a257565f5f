#include "http/session.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>

#include "http/error_responses.h"
#include "http/read_buffer.h"
#include "http/request_reader.h"
#include "http/responder.h"
#include "http/response_writer.h"
#include "spdlog/spdlog.h"

namespace tessera::http {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

constexpr size_t kReadChunk = 16 * 1024;
// Requests read ahead of their responses. Beyond this the connection stops
// reading, so a client cannot queue unbounded work by pipelining.
constexpr size_t kMaxPipelined = 32;
// Responses sent by one gather write (two buffers each, well under IOV_MAX).
constexpr size_t kMaxWriteBatch = 16;
// After our last response on a connection we stop sending and read what
// the client still sends for a moment, so that unread request bytes do not
// make the kernel reset the connection before the client reads the answer.
constexpr std::chrono::seconds kMaxLinger{2};
constexpr size_t kMaxLingerBytes = 1 << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// A response slot, created when its request is read and written once it
// and every earlier slot are ready.
struct PendingResponse {
  PendingResponse(std::string id, bool keep_alive_after, bool head_request)
      : request_id(std::move(id)), keep_alive(keep_alive_after), is_head(head_request) {}

  std::string request_id;
  bool keep_alive;
  bool is_head;
  bool ready = false;
  std::string head;
  std::string body;
};

// A view of a fixed array of buffers, so a gather write does not copy a
// std::vector (and allocate) for every batch.
struct BufferRange {
  using value_type = asio::const_buffer;
  using const_iterator = const asio::const_buffer*;
  const asio::const_buffer* first;
  const asio::const_buffer* last;
  const_iterator begin() const { return first; }
  const_iterator end() const { return last; }
};

class Session final : public LaneMember, public ResponseSink, public std::enable_shared_from_this<Session> {
 public:
  Session(TcpSocket socket, std::shared_ptr<IoLane> lane, std::shared_ptr<const SessionConfig> config)
      : socket_(std::move(socket)),
        lane_(std::move(lane)),
        config_(std::move(config)),
        options_(config_->options),
        reader_(RequestLimits{options_.max_target_bytes, options_.max_header_bytes, options_.max_body_bytes}) {
    if (options_.open_connections) options_.open_connections->fetch_add(1, std::memory_order_relaxed);
  }
  ~Session() override {
    if (options_.open_connections) options_.open_connections->fetch_sub(1, std::memory_order_relaxed);
  }

  void Start() {
    ErrorCode ec;
    const auto endpoint = socket_.remote_endpoint(ec);
    if (ec) {  // the client left before we got to it
      Close();
      return;
    }
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    client_address_ = address.to_string();
    // Responses are written whole; Nagle would only delay the next one.
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
    if (!lane_->Adopt(weak_from_this())) {  // the server is stopping
      Close();
      return;
    }
    ContinueReading();
  }

  Clock::time_point deadline() const override { return std::min(read_deadline_, write_deadline_); }
  void OnDeadline() override { Close(); }
  void Abort() override { Close(); }

  void Deliver(uint64_t sequence, Response response) override {
    // After the server stopped nobody runs the lane; a posted handler would
    // only sit in its queue holding this session.
    if (lane_->context().stopped()) return;
    // Runs inline when the handler answers on this connection's own thread,
    // otherwise hops onto it: connection state is only touched there.
    asio::dispatch(lane_->executor(), [self = shared_from_this(), sequence, response = std::move(response)]() mutable {
      self->Guarded([&] { self->Complete(sequence, std::move(response)); });
    });
  }

 private:
  // The boundary of every completion handler: nothing escapes to the
  // io_context; a failure costs this connection, never the thread.
  template <typename Fn>
  void Guarded(Fn&& fn) noexcept {
    try {
      fn();
    } catch (const std::exception& e) {
      spdlog::error("http: connection from {} failed: {}", client_address_, e.what());
      Close();
    } catch (...) {
      spdlog::error("http: connection from {} failed with an unknown exception", client_address_);
      Close();
    }
  }

  // Parses buffered requests, dispatches them, and reads when it needs bytes.
  void ContinueReading() {
    while (!closed_ && !read_stopped_ && !reading_) {
      if (pending_.size() >= kMaxPipelined) return;  // OnWrite resumes
      if (buffer_.empty()) {
        StartRead();
        return;
      }
      if (!in_request_) {
        // The first byte of a request starts its read timeout: a client
        // trickling a header (slow loris) gets read_timeout, not forever.
        in_request_ = true;
        first_request_ = false;
        continue_sent_ = false;
        read_deadline_ = Clock::now() + options_.read_timeout;
      }
      const size_t consumed = reader_.Feed(buffer_.readable());
      buffer_.Consume(consumed);
      switch (reader_.state()) {
        case RequestReader::State::kNeedMore:
          MaybeSendContinue();
          StartRead();
          return;
        case RequestReader::State::kComplete:
          in_request_ = false;
          read_deadline_ = Clock::time_point::max();
          Dispatch(reader_.TakeRequest());
          break;  // a pipelined request may already be buffered
        case RequestReader::State::kRejected:
          in_request_ = false;
          Reject(reader_.rejection());
          return;
      }
    }
  }

  void StartRead() {
    if (reading_ || closed_ || read_stopped_) return;
    if (!in_request_) {
      // Between requests the idle timeout applies, but only while we owe the
      // client nothing: a slow handler must not get the connection closed.
      if (!pending_.empty()) {
        read_deadline_ = Clock::time_point::max();
      } else {
        read_deadline_ = Clock::now() + (first_request_ ? options_.read_timeout : options_.idle_timeout);
      }
    }
    IssueRead();
  }

  void IssueRead() {
    reading_ = true;
    const std::span<char> room = buffer_.Prepare(kReadChunk);
    socket_.async_read_some(asio::buffer(room.data(), room.size()),
                            [self = shared_from_this()](const ErrorCode& ec, size_t n) {
                              self->Guarded([&] { self->OnRead(ec, n); });
                            });
  }

  void OnRead(const ErrorCode& ec, size_t n) {
    reading_ = false;
    if (closed_) return;
    if (lingering_) {
      buffer_.Clear();
      drained_bytes_ += n;
      if (ec || drained_bytes_ > kMaxLingerBytes) {
        Close();
      } else {
        IssueRead();
      }
      return;
    }
    if (ec) {
      if (ec == asio::error::eof) {
        // The client finished sending; answer what it asked for, then close.
        peer_closed_ = true;
        read_stopped_ = true;
        if (pending_.empty()) Close();
        return;
      }
      Close();
      return;
    }
    buffer_.Commit(n);
    ContinueReading();
  }

  void Dispatch(ParsedRequest parsed) {
    parsed.request.client_address = client_address_;
    const uint64_t sequence = next_sequence_++;
    pending_.emplace_back(parsed.request.request_id, parsed.keep_alive, parsed.is_head);
    if (!parsed.keep_alive) read_stopped_ = true;
    Responder responder = MakeResponder(shared_from_this(), sequence);
    try {
      config_->handler->Handle(std::move(parsed.request), std::move(responder));
    } catch (const std::exception& e) {
      // The responder copies died while unwinding; if none was called the
      // client gets a 500 from the responder guard.
      spdlog::error("http: handler threw: {}", e.what());
    } catch (...) {
      spdlog::error("http: handler threw an unknown exception");
    }
  }

  void Reject(const Rejection& rejection) {
    spdlog::debug("http: rejected request from {}: {} {}", client_address_, rejection.status, rejection.message);
    read_stopped_ = true;
    read_deadline_ = Clock::time_point::max();
    pending_.emplace_back(rejection.request_id, /*keep_alive_after=*/false, /*head_request=*/false);
    ++next_sequence_;
    Finalize(pending_.back(), JsonErrorResponse(rejection.status, rejection.message));
    WriteReady();
  }

  void Complete(uint64_t sequence, Response response) {
    if (closed_ || sequence < first_sequence_) return;
    const uint64_t index = sequence - first_sequence_;
    if (index >= pending_.size() || pending_[index].ready) return;
    Finalize(pending_[index], std::move(response));
    WriteReady();
  }

  void Finalize(PendingResponse& slot, Response response) {
    const ResponseFraming framing{slot.request_id, slot.keep_alive, options_.idle_timeout};
    auto head = SerializeResponseHead(response, framing);
    if (!head.ok()) {
      spdlog::error("http: handler built an invalid response ({}); sending 500", head.status().ToString());
      response = InternalErrorResponse();
      head = SerializeResponseHead(response, framing);
    }
    slot.head = std::move(*head);
    if (!slot.is_head && StatusAllowsBody(response.status)) slot.body = std::move(response.body);
    slot.ready = true;
  }

  // "100 Continue" may only go out when it cannot overtake a response to an
  // earlier pipelined request.
  void MaybeSendContinue() {
    if (continue_sent_ || writing_ || closed_ || !pending_.empty() || !reader_.expects_continue()) return;
    continue_sent_ = true;
    writing_ = true;
    write_deadline_ = Clock::now() + options_.read_timeout;
    asio::async_write(socket_, asio::buffer(kContinue), [self = shared_from_this()](const ErrorCode& ec, size_t) {
      self->Guarded([&] { self->OnWrite(ec, 0); });
    });
  }

  // Writes every response that is ready and has no unanswered request
  // before it, in one gather write.
  void WriteReady() {
    if (writing_ || closed_) return;
    size_t count = 0;
    size_t buffers = 0;
    for (const PendingResponse& slot : pending_) {
      if (!slot.ready || count == kMaxWriteBatch) break;
      write_buffers_[buffers++] = asio::buffer(slot.head);
      if (!slot.body.empty()) write_buffers_[buffers++] = asio::buffer(slot.body);
      ++count;
    }
    if (count == 0) return;
    writing_ = true;
    // A client that stops reading its responses is cut off like one that
    // stops sending its request.
    write_deadline_ = Clock::now() + options_.read_timeout;
    asio::async_write(socket_, BufferRange{write_buffers_.data(), write_buffers_.data() + buffers},
                      [self = shared_from_this(), count](const ErrorCode& ec, size_t) {
                        self->Guarded([&] { self->OnWrite(ec, count); });
                      });
  }

  void OnWrite(const ErrorCode& ec, size_t count) {
    writing_ = false;
    write_deadline_ = Clock::time_point::max();
    if (closed_) return;
    if (ec) {
      Close();
      return;
    }
    bool close_after = false;
    for (size_t i = 0; i < count; ++i) {
      close_after |= !pending_.front().keep_alive;
      pending_.pop_front();
      ++first_sequence_;
    }
    if (close_after || (peer_closed_ && pending_.empty())) {
      FinishConnection();
      return;
    }
    WriteReady();
    if (pending_.empty()) MaybeSendContinue();
    if (reading_) {
      // Nothing owed any more: the idle timeout starts now.
      if (pending_.empty() && !in_request_) read_deadline_ = Clock::now() + options_.idle_timeout;
    } else {
      ContinueReading();  // reading paused while too many responses were owed
    }
  }

  // Ends the connection after our last response (Connection: close, an
  // HTTP/1.0 client, a rejected request).
  void FinishConnection() {
    if (lingering_ || closed_) return;
    read_stopped_ = true;
    if (peer_closed_) {
      Close();
      return;
    }
    lingering_ = true;
    ErrorCode ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (ec) {
      Close();
      return;
    }
    read_deadline_ = Clock::now() + std::min<Clock::duration>(options_.read_timeout, kMaxLinger);
    if (!reading_) IssueRead();  // otherwise the outstanding read drains
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    read_deadline_ = write_deadline_ = Clock::time_point::max();
    ErrorCode ignored;
    // Cancels outstanding operations; their handlers see closed_ and the
    // last one releases the session.
    socket_.close(ignored);
  }

  TcpSocket socket_;
  std::shared_ptr<IoLane> lane_;  // keeps the io_context alive as long as the socket
  std::shared_ptr<const SessionConfig> config_;
  const ServerOptions& options_;
  std::string client_address_;
  ReadBuffer buffer_;
  RequestReader reader_;
  std::deque<PendingResponse> pending_;  // references stay valid across push/pop
  uint64_t first_sequence_ = 0;          // sequence of pending_.front()
  uint64_t next_sequence_ = 0;
  std::array<asio::const_buffer, 2 * kMaxWriteBatch> write_buffers_;
  bool first_request_ = true;
  bool in_request_ = false;  // bytes of an unfinished request have arrived
  bool continue_sent_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool read_stopped_ = false;  // no further requests will be read
  bool peer_closed_ = false;   // the client shut down its sending side
  bool lingering_ = false;
  bool closed_ = false;
  size_t drained_bytes_ = 0;
  Clock::time_point read_deadline_ = Clock::now() + options_.read_timeout;
  Clock::time_point write_deadline_ = Clock::time_point::max();
};

}  // namespace

void StartSession(TcpSocket socket, std::shared_ptr<IoLane> lane, std::shared_ptr<const SessionConfig> config) {
  auto executor = lane->executor();
  asio::dispatch(executor, [socket = std::move(socket), lane = std::move(lane), config = std::move(config)]() mutable {
    try {
      std::make_shared<Session>(std::move(socket), std::move(lane), std::move(config))->Start();
    } catch (const std::exception& e) {
      spdlog::error("http: could not start a connection: {}", e.what());
    }
  });
}

}  // namespace tessera::http
