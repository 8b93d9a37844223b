#include "lodestone/network/basis.hpp"

namespace lodestone::network {

std::string_view to_string(Basis basis) {
    switch (basis) {
        case Basis::Derived:
            return "derived";
        case Basis::Partial:
            return "partial";
        case Basis::Observed:
            return "observed";
        case Basis::Published:
            return "published";
        case Basis::Usgs:
            return "usgs";
        case Basis::Mixed:
            return "mixed";
    }
    return "derived";
}

}  // namespace lodestone::network
