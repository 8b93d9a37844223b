#include "lodestone/firmnet/propagate_set.hpp"

#include <cstdint>
#include <string>

#include "lodestone/parallel/bytes.hpp"

namespace lodestone::firmnet {

namespace {

std::string pack(const PropagateResult& r) {
    parallel::ByteWriter w;
    w.put_vector(r.production);
    w.put_vector(r.value_added);
    w.put_vector(r.final_consumption);
    w.put_vector(r.firm_loss);
    w.put_vector(r.firm_min_ratio);
    w.put_vector(r.firm_min_day);
    w.put_vector(r.value_added_share);
    w.put<std::uint64_t>(r.snapshots.size());
    for (const auto& s : r.snapshots) {
        w.put<std::int32_t>(s.day);
        w.put_vector(s.production);
    }
    w.put(r.max_delivery_residual);
    return w.take();
}

PropagateResult unpack(const std::string& bytes) {
    parallel::ByteReader rd(bytes);
    PropagateResult r;
    r.production = rd.get_vector<double>();
    r.value_added = rd.get_vector<double>();
    r.final_consumption = rd.get_vector<double>();
    r.firm_loss = rd.get_vector<double>();
    r.firm_min_ratio = rd.get_vector<double>();
    r.firm_min_day = rd.get_vector<int>();
    r.value_added_share = rd.get_vector<double>();
    r.snapshots.resize(rd.get<std::uint64_t>());
    for (auto& s : r.snapshots) {
        s.day = rd.get<std::int32_t>();
        s.production = rd.get_vector<double>();
    }
    r.max_delivery_residual = rd.get<double>();
    return r;
}

}  // namespace

std::vector<PropagateResult> propagate_set(const FirmNetwork& net,
                                           const std::vector<std::vector<Shock>>& shock_sets,
                                           const PropagateOptions& options,
                                           parallel::Ranks* ranks) {
    std::vector<PropagateResult> out;
    if (ranks == nullptr || ranks->size() == 1) {
        for (const auto& shocks : shock_sets) {
            out.push_back(propagate(net, shocks, options));
        }
        return out;
    }
    const auto parts =
        parallel::split_items(*ranks, shock_sets.size(), [&](const std::vector<std::size_t>& mine) {
            std::vector<std::string> packed;
            packed.reserve(mine.size());
            for (const std::size_t s : mine) {
                packed.push_back(pack(propagate(net, shock_sets[s], options)));
            }
            return packed;
        });
    for (const auto& p : parts) {
        out.push_back(unpack(p));
    }
    return out;
}

}  // namespace lodestone::firmnet
