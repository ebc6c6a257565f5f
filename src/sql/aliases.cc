#include "sql/aliases.h"

#include <cctype>

namespace tessera::sql {

std::string Underscore(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 4);
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c)) {
      bool after_word = i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                                  std::isdigit(static_cast<unsigned char>(name[i - 1])));
      bool acronym_end = i > 0 && i + 1 < name.size() &&
                         std::isupper(static_cast<unsigned char>(name[i - 1])) &&
                         std::islower(static_cast<unsigned char>(name[i + 1]));
      if (after_word || acronym_end) out.push_back('_');
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string MemberAlias(std::string_view cube, std::string_view member) {
  return Underscore(cube) + "__" + Underscore(member);
}

}  // namespace tessera::sql
