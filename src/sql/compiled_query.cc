#include "sql/compiled_query.h"

#include "absl/strings/str_cat.h"

namespace tessera::sql {

std::vector<std::string> OutputColumn::RowKeys() const {
  if (kind == Kind::kTimeDimension && granularity) {
    return {absl::StrCat(member, ".", std::string(GranularityName(*granularity))), member};
  }
  return {member};
}

}  // namespace tessera::sql
