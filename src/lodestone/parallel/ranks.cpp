#include "lodestone/parallel/ranks.hpp"

#include <cstdint>
#include <cstdio>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/parallel/bytes.hpp"

namespace lodestone::parallel {

namespace {

// A rank's packet in split_items and finish: a status (0 = fine), the failure text, then items.
std::string packet(int code, const std::string& text, const std::vector<std::string>& items) {
    ByteWriter w;
    w.put<std::int32_t>(code);
    w.put_string(text);
    w.put<std::uint64_t>(items.size());
    for (const auto& item : items) {
        w.put_string(item);
    }
    return w.take();
}

struct Packet {
    int code = 0;
    std::string text;
    std::vector<std::string> items;
};

Packet unpack(const std::string& bytes) {
    ByteReader r(bytes);
    Packet p;
    p.code = r.get<std::int32_t>();
    p.text = r.get_string();
    const auto n = r.get<std::uint64_t>();
    for (std::uint64_t k = 0; k < n; ++k) {
        p.items.push_back(r.get_string());
    }
    return p;
}

/// Rank 0: the first failing packet's code and text, {0, ""} when every rank is fine.
Failure first_failure(const std::vector<Packet>& packets) {
    for (const auto& p : packets) {
        if (p.code != 0) {
            return {p.code, p.text};
        }
    }
    return {0, {}};
}

}  // namespace

Failure describe_failure(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const InputError& e) {
        Failure f{2, {}};
        for (const auto& d : e.diagnostics()) {
            f.text += d.to_string() + "\n";
        }
        return f;
    } catch (const AgreedFailure& e) {
        return {e.exit_code(), e.text()};
    } catch (const std::exception& e) {
        return {1, std::string("lodestone: internal error: ") + e.what() + " (E-INTERNAL)\n"};
    } catch (...) {
        return {1, "lodestone: internal error: unknown exception (E-INTERNAL)\n"};
    }
}

std::vector<std::string> split_items(
    Ranks& ranks,
    std::size_t count,
    const std::function<std::vector<std::string>(const std::vector<std::size_t>&)>& compute) {
    const auto k = static_cast<std::size_t>(ranks.size());
    const auto me = static_cast<std::size_t>(ranks.rank());
    std::vector<std::size_t> mine;
    for (std::size_t i = me; i < count; i += k) {
        mine.push_back(i);
    }
    if (k == 1) {
        auto items = compute(mine);
        items.resize(count);
        return items;
    }
    std::string bytes;
    try {
        bytes = packet(0, {}, compute(mine));
    } catch (...) {
        const auto f = describe_failure(std::current_exception());
        bytes = packet(f.exit_code, f.text, {});
    }
    const auto gathered = ranks.gather(bytes);
    std::vector<Packet> packets;
    Failure failure;
    if (ranks.root()) {
        for (const auto& g : gathered) {
            packets.push_back(unpack(g));
        }
        failure = first_failure(packets);
    }
    const int code = ranks.broadcast(failure.exit_code);
    if (code != 0) {
        throw AgreedFailure(code, ranks.root() ? failure.text : std::string());
    }
    if (!ranks.root()) {
        return {};
    }
    std::vector<std::string> out(count);
    for (std::size_t r = 0; r < k; ++r) {
        auto& items = packets[r].items;
        for (std::size_t m = 0; m < items.size(); ++m) {
            out[r + m * k] = std::move(items[m]);
        }
    }
    return out;
}

int finish(Ranks& ranks, int exit_code, const std::string& text) {
    if (ranks.size() == 1) {
        std::fputs(text.c_str(), stderr);
        return exit_code;
    }
    const auto gathered = ranks.gather(packet(exit_code, text, {}));
    Failure failure;
    if (ranks.root()) {
        std::vector<Packet> packets;
        packets.reserve(gathered.size());
        for (const auto& g : gathered) {
            packets.push_back(unpack(g));
        }
        failure = first_failure(packets);
        std::fputs(failure.text.c_str(), stderr);
    }
    return ranks.broadcast(failure.exit_code);
}

}  // namespace lodestone::parallel
