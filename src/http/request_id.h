#pragma once
// Request ids tie a response, the logs and the audit record of one request
// together. A caller may bring its own (x-request-id) so that ids line up
// across services; anything unsafe to echo into headers and logs is replaced.
#include <string>
#include <string_view>

namespace tessera::http {

// True for 1-128 characters of [A-Za-z0-9._:-]: safe in a header, a log
// line and a JSON string without escaping.
bool IsAcceptableRequestId(std::string_view id);

// A fresh id in Cube's style: a random UUID followed by "-span-1".
std::string NewRequestId();

// The client's id when acceptable, else a fresh one.
std::string ChooseRequestId(const std::string* client_id);

}  // namespace tessera::http
