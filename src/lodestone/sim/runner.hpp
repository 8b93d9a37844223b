// lodestone/sim/runner.hpp: deterministic parallel reduction for Monte Carlo (docs/scenarios.md).
// Runs are cut into fixed chunks (independent of the thread count); each chunk folds its runs in
// run order into a fresh accumulator, and chunk accumulators are merged in chunk order on the
// calling thread. With per-run random streams (run_stream(seed, i)) the result is therefore the
// same bytes for 1 or N threads. Progress and cancellation are checked between runs.
// Example: auto acc = run_chunked<Acc>(runs, {.threads = 4}, init, fold, merge);
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace lodestone::sim {

struct ChunkOptions {
    int threads = 1;              ///< worker threads (1 = run on the calling thread)
    std::size_t chunk_runs = 16;  ///< runs per chunk; part of the result's definition, keep fixed
    /// Called on the calling thread with (runs merged so far, total runs), in order.
    std::function<void(std::size_t, std::size_t)> progress;
    const std::atomic<bool>* cancel = nullptr;  ///< set to stop between runs
};

/// Result of run_chunked: the merged accumulator of the first `runs_done` runs (a prefix).
template <class Acc>
struct ChunkedResult {
    Acc acc;
    std::size_t runs_done = 0;
    bool cancelled = false;
};

/// init() -> Acc; fold(Acc&, run index); merge(Acc& into, Acc&& chunk). fold may throw: the first
/// exception is rethrown on the calling thread after the workers stop.
template <class Acc, class Init, class Fold, class Merge>
[[nodiscard]] ChunkedResult<Acc> run_chunked(
    std::size_t runs, const ChunkOptions& options, Init init, Fold fold, Merge merge) {
    const std::size_t chunk = std::max<std::size_t>(1, options.chunk_runs);
    const std::size_t chunks = (runs + chunk - 1) / chunk;
    auto cancelled = [&] { return options.cancel != nullptr && options.cancel->load(); };
    ChunkedResult<Acc> out{init(), 0, false};

    // Folds chunk k; returns the number of runs folded (less than the chunk when cancelled).
    auto do_chunk = [&](std::size_t k, Acc& acc) {
        const std::size_t first = k * chunk;
        const std::size_t last = std::min(runs, first + chunk);
        for (std::size_t i = first; i < last; ++i) {
            if (cancelled()) {
                return i - first;
            }
            fold(acc, i);
        }
        return last - first;
    };

    if (options.threads <= 1 || chunks <= 1) {
        for (std::size_t k = 0; k < chunks; ++k) {
            Acc acc = init();
            const std::size_t n = do_chunk(k, acc);
            merge(out.acc, std::move(acc));
            out.runs_done += n;
            if (options.progress) {
                options.progress(out.runs_done, runs);
            }
            if (n < std::min(runs, (k + 1) * chunk) - k * chunk) {
                out.cancelled = true;
                break;
            }
        }
        return out;
    }

    struct Slot {
        std::optional<Acc> acc;
        std::size_t runs = 0;
        bool full = false;
    };
    std::vector<Slot> slots(chunks);
    std::mutex mutex;
    std::condition_variable ready;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    int alive = 0;           // workers still running, guarded by mutex
    std::size_t merged = 0;  // chunks merged so far, guarded by mutex
    const std::size_t window = 4 * static_cast<std::size_t>(std::max(1, options.threads));

    auto worker = [&] {
        for (;;) {
            const std::size_t k = next.fetch_add(1);
            if (k >= chunks || stop.load()) {
                break;
            }
            {
                // Back-pressure: stay at most `window` chunks ahead of the in-order merge.
                std::unique_lock lock(mutex);
                ready.wait(lock, [&] { return k < merged + window || stop.load(); });
            }
            Acc acc = init();
            std::size_t n = 0;
            try {
                n = do_chunk(k, acc);
            } catch (...) {
                const std::lock_guard lock(mutex);
                if (!failure) {
                    failure = std::current_exception();
                }
                stop = true;
            }
            const std::size_t expected = std::min(runs, (k + 1) * chunk) - k * chunk;
            {
                const std::lock_guard lock(mutex);
                slots[k].acc.emplace(std::move(acc));
                slots[k].runs = n;
                slots[k].full = n == expected && !stop.load();
                if (!slots[k].full) {
                    stop = true;
                }
            }
            ready.notify_all();
        }
        {
            const std::lock_guard lock(mutex);
            --alive;
        }
        ready.notify_all();
    };

    const int n_threads =
        static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(options.threads), chunks));
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(n_threads));
    alive = n_threads;
    for (int t = 0; t < n_threads; ++t) {
        pool.emplace_back(worker);
    }
    // Merge chunks in order as they complete; stop at the first incomplete one.
    for (std::size_t k = 0; k < chunks; ++k) {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return slots[k].acc.has_value() || alive == 0; });
        if (!slots[k].acc) {
            out.cancelled = true;
            break;
        }
        Acc acc = std::move(*slots[k].acc);
        slots[k].acc.reset();
        const std::size_t n = slots[k].runs;
        const bool full = slots[k].full;
        lock.unlock();
        merge(out.acc, std::move(acc));
        {
            const std::lock_guard relock(mutex);
            merged = k + 1;
        }
        ready.notify_all();
        out.runs_done += n;
        if (options.progress) {
            options.progress(out.runs_done, runs);
        }
        if (!full) {
            out.cancelled = true;
            break;
        }
    }
    {
        const std::lock_guard lock(mutex);
        stop = true;
    }
    ready.notify_all();
    for (auto& th : pool) {
        th.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    return out;
}

}  // namespace lodestone::sim
