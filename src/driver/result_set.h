#pragma once
// Rows as the database returned them, as text (nullopt for NULL). The API
// layer formats each cell by the member's type.
#include <optional>
#include <string>
#include <vector>

namespace tessera::driver {

using Cell = std::optional<std::string>;

struct ResultSet {
  std::vector<std::string> column_names;
  std::vector<std::vector<Cell>> rows;
};

}  // namespace tessera::driver
