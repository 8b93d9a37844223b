#include "lodestone/sim/mpi_monte_carlo.hpp"

#include <mpi.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lodestone::sim {

namespace {

bool g_active = false;
int g_rank = 0;
int g_size = 1;

/// Appends and reads plain values and strings in the machine's byte order (all ranks run the
/// same binary on the same kind of machine).
class Writer {
public:
    template <class T>
    void put(const T& v) {
        const auto* p = reinterpret_cast<const char*>(&v);
        bytes.insert(bytes.end(), p, p + sizeof(T));
    }
    void put_string(const std::string& s) {
        put<std::uint64_t>(s.size());
        bytes.insert(bytes.end(), s.begin(), s.end());
    }
    std::vector<char> bytes;
};

class Reader {
public:
    Reader(const char* p, std::size_t n) : p_(p), end_(p + n) {}
    template <class T>
    T get() {
        if (static_cast<std::size_t>(end_ - p_) < sizeof(T)) {
            throw std::runtime_error("MPI chunk message truncated");
        }
        T v;
        std::memcpy(&v, p_, sizeof(T));
        p_ += sizeof(T);
        return v;
    }
    std::string get_string() {
        const auto n = get<std::uint64_t>();
        if (static_cast<std::uint64_t>(end_ - p_) < n) {
            throw std::runtime_error("MPI chunk message truncated");
        }
        std::string s(p_, p_ + n);
        p_ += n;
        return s;
    }
    [[nodiscard]] bool done() const { return p_ == end_; }

private:
    const char* p_;
    const char* end_;
};

void write_chunk(Writer& w, std::uint64_t k, const ChunkResult& c) {
    w.put(k);
    w.put<std::uint64_t>(c.runs);
    w.put(c.residual);
    w.put<std::uint64_t>(c.first_draws.size());
    for (const auto& d : c.first_draws) {
        w.put_string(d.path);
        w.put(d.value);
    }
    w.put<std::uint64_t>(c.summary_values.size());
    for (const auto& v : c.summary_values) {
        w.put<std::uint64_t>(v.size());
        for (const double x : v) {
            w.put(x);
        }
    }
    w.put<std::uint64_t>(c.bands.size());
    for (const auto& series : c.bands) {
        w.put<std::uint64_t>(series.size());
        for (const auto& b : series) {
            const auto& st = b.stats();
            w.put(st.count);
            w.put(st.mean);
            w.put(st.m2);
            w.put(st.min);
            w.put(st.max);
            w.put<std::uint64_t>(b.bins().size());
            for (const auto& [bin, n] : b.bins()) {
                w.put(bin);
                w.put(n);
            }
        }
    }
}

ChunkResult read_chunk(Reader& r, std::uint64_t& k) {
    ChunkResult c;
    k = r.get<std::uint64_t>();
    c.runs = r.get<std::uint64_t>();
    c.residual = r.get<double>();
    const auto draws = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < draws; ++i) {
        ParamDraw d;
        d.path = r.get_string();
        d.value = r.get<double>();
        c.first_draws.push_back(std::move(d));
    }
    c.summary_values.resize(r.get<std::uint64_t>());
    for (auto& v : c.summary_values) {
        v.resize(r.get<std::uint64_t>());
        for (auto& x : v) {
            x = r.get<double>();
        }
    }
    c.bands.resize(r.get<std::uint64_t>());
    for (auto& series : c.bands) {
        const auto weeks = r.get<std::uint64_t>();
        series.reserve(weeks);
        for (std::uint64_t t = 0; t < weeks; ++t) {
            RunningStats st;
            st.count = r.get<std::uint64_t>();
            st.mean = r.get<double>();
            st.m2 = r.get<double>();
            st.min = r.get<double>();
            st.max = r.get<double>();
            std::vector<std::pair<std::uint32_t, std::uint64_t>> bins(r.get<std::uint64_t>());
            for (auto& [bin, n] : bins) {
                bin = r.get<std::uint32_t>();
                n = r.get<std::uint64_t>();
            }
            series.push_back(BinnedQuantiles::from_parts(st, std::move(bins)));
        }
    }
    return c;
}

}  // namespace

bool mpi_active() { return g_active && g_size > 1; }
int mpi_rank() { return g_rank; }

MpiSession::MpiSession(int* argc, char*** argv) {
    if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr) {
        return;
    }
    MPI_Init(argc, argv);
    started_ = true;
    g_active = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
}

MpiSession::~MpiSession() {
    if (started_) {
        MPI_Finalize();
    }
}

std::optional<MonteCarloResult> run_monte_carlo_mpi(const Simulation& sim, const MonteCarloOptions& options) {
    const std::uint64_t seed = options.seed.value_or(sim.spec.seed);
    const std::size_t runs = options.runs > 0 ? options.runs : static_cast<std::size_t>(sim.spec.runs);
    const std::size_t chunks = chunk_count(runs);
    const auto rank = static_cast<std::size_t>(g_rank);
    const auto size = static_cast<std::size_t>(g_size);

    // This rank's chunks: k = rank, rank + size, ...; folded by `threads` workers.
    std::vector<std::size_t> mine;
    for (std::size_t k = rank; k < chunks; k += size) {
        mine.push_back(k);
    }
    std::vector<ChunkResult> folded(mine.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t q = next.fetch_add(1); q < mine.size(); q = next.fetch_add(1)) {
            folded[q] = fold_chunk(sim, seed, runs, mine[q]);
        }
    };
    {
        std::vector<std::thread> pool;
        for (int t = 1; t < std::max(1, options.threads); ++t) {
            pool.emplace_back(work);
        }
        work();
        for (auto& t : pool) {
            t.join();
        }
    }
    Writer w;
    for (std::size_t q = 0; q < mine.size(); ++q) {
        write_chunk(w, mine[q], folded[q]);
    }
    if (w.bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw std::runtime_error("MPI: a rank's results exceed 2 GB; use more ranks or fewer runs");
    }
    int my_bytes = static_cast<int>(w.bytes.size());
    std::vector<int> sizes(size, 0);
    MPI_Gather(&my_bytes, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<int> offsets(size, 0);
    long long total = 0;
    for (std::size_t r = 0; r < size; ++r) {
        offsets[r] = static_cast<int>(total);
        total += sizes[r];
    }
    if (rank == 0 && total > std::numeric_limits<int>::max()) {
        throw std::runtime_error("MPI: gathered results exceed 2 GB");
    }
    std::vector<char> all(rank == 0 ? static_cast<std::size_t>(total) : 0);
    MPI_Gatherv(w.bytes.data(), my_bytes, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, 0,
                MPI_COMM_WORLD);
    if (rank != 0) {
        return std::nullopt;
    }
    std::vector<ChunkResult> ordered(chunks);
    Reader r(all.data(), all.size());
    while (!r.done()) {
        std::uint64_t k = 0;
        auto c = read_chunk(r, k);
        ordered.at(k) = std::move(c);
    }
    return merge_chunks(sim, seed, runs, std::move(ordered));
}

}  // namespace lodestone::sim
