#pragma once
// The "query" object Cube echoes back in /load, /dry-run and /sql responses.
#include <boost/json/object.hpp>

#include "query/query.h"

namespace tessera::query {

boost::json::object NormalizedJson(const Query& q);

}  // namespace tessera::query
