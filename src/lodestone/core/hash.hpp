// lodestone/core/hash.hpp: FNV-1a 64, the content hash of datasets, scenarios and stored events
// (16 lowercase hex digits). Not cryptographic: it tells versions apart in provenance records.
// Example: Fnv1a64 h; h.add("countries.csv"); h.add(bytes); auto id = h.hex();
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lodestone {

class Fnv1a64 {
public:
    void add(std::string_view bytes) {
        for (const char c : bytes) {
            state_ ^= static_cast<unsigned char>(c);
            state_ *= 1099511628211ULL;  // FNV prime
        }
    }
    [[nodiscard]] std::uint64_t value() const { return state_; }
    /// 16 lowercase hex digits.
    [[nodiscard]] std::string hex() const;

private:
    std::uint64_t state_ = 14695981039346656037ULL;  // FNV-1a 64 offset basis
};

/// FNV-1a 64 of bytes as 16 lowercase hex digits.
[[nodiscard]] std::string fnv1a_hex(std::string_view bytes);

}  // namespace lodestone
