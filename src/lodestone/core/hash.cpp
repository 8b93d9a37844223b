#include "lodestone/core/hash.hpp"

#include <cstdio>

namespace lodestone {

std::string Fnv1a64::hex() const {
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(state_));
    return buf;
}

std::string fnv1a_hex(std::string_view bytes) {
    Fnv1a64 h;
    h.add(bytes);
    return h.hex();
}

}  // namespace lodestone
