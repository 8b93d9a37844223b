// lodestone/parallel/bytes.hpp: exact binary packing of partial results sent between processes
// (ranks.hpp). Numbers are copied bit for bit, so a merged result is the same bytes whichever
// process computed a part. Both ends run the same binary on the same kind of machine (mpirun on
// one cluster): no byte-order conversion.
// Example: ByteWriter w; w.put(1.5); w.put_vector(v); ByteReader r(w.bytes()); r.get<double>();
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace lodestone::parallel {

class ByteWriter {
public:
    template <class T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
    }
    void put_string(std::string_view s) {
        put<std::uint64_t>(s.size());
        bytes_.append(s);
    }
    template <class T>
    void put_vector(const std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        put<std::uint64_t>(v.size());
        bytes_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
    [[nodiscard]] const std::string& bytes() const { return bytes_; }
    [[nodiscard]] std::string take() { return std::move(bytes_); }

private:
    std::string bytes_;
};

/// Reads what ByteWriter wrote, in the same order; throws std::runtime_error past the end.
class ByteReader {
public:
    explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
    template <class T>
    [[nodiscard]] T get() {
        static_assert(std::is_trivially_copyable_v<T>);
        T value;
        std::memcpy(&value, take(sizeof(T)), sizeof(T));
        return value;
    }
    [[nodiscard]] std::string get_string() {
        const auto n = get<std::uint64_t>();
        return std::string(take(n), n);
    }
    template <class T>
    [[nodiscard]] std::vector<T> get_vector() {
        const auto n = get<std::uint64_t>();
        if (n > bytes_.size() / sizeof(T) + 1) {
            throw std::runtime_error("ByteReader: a vector longer than the bytes left");
        }
        std::vector<T> v(n);
        if (n > 0) {
            std::memcpy(v.data(), take(n * sizeof(T)), n * sizeof(T));
        }
        return v;
    }
    [[nodiscard]] bool done() const { return pos_ == bytes_.size(); }

private:
    const char* take(std::size_t n) {
        if (n > bytes_.size() - pos_) {
            throw std::runtime_error("ByteReader: read past the end of a packed result");
        }
        const char* p = bytes_.data() + pos_;
        pos_ += n;
        return p;
    }
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

}  // namespace lodestone::parallel
