// tests/unit/thread_ranks.hpp: K ranks inside one process, one thread each, for testing code that
// is collective over parallel::Ranks without MPI. Collectives meet at a std::barrier.
// Example: run_ranks(3, [&](parallel::Ranks& r) { ... the same collective calls on every rank ...
// });
#pragma once

#include <barrier>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lodestone/parallel/ranks.hpp"

namespace lodestone::testing {

struct RankBoard {
    explicit RankBoard(int k) : size(k), barrier(k), slots(static_cast<std::size_t>(k)) {}
    int size;
    std::barrier<> barrier;
    std::vector<std::string> slots;
    int value = 0;
};

class ThreadRank final : public parallel::Ranks {
public:
    ThreadRank(RankBoard& board, int rank) : board_(board), rank_(rank) {}
    [[nodiscard]] int rank() const override { return rank_; }
    [[nodiscard]] int size() const override { return board_.size; }
    [[nodiscard]] std::vector<std::string> gather(const std::string& bytes) override {
        board_.slots[static_cast<std::size_t>(rank_)] = bytes;
        board_.barrier.arrive_and_wait();
        std::vector<std::string> out;
        if (rank_ == 0) {
            out = board_.slots;
        }
        board_.barrier.arrive_and_wait();
        return out;
    }
    [[nodiscard]] int broadcast(int value) override {
        if (rank_ == 0) {
            board_.value = value;
        }
        board_.barrier.arrive_and_wait();
        const int v = board_.value;
        board_.barrier.arrive_and_wait();
        return v;
    }

private:
    RankBoard& board_;
    int rank_;
};

/// Runs body on k ranks (threads); rethrows nothing: body must catch what it expects.
inline void run_ranks(int k, const std::function<void(parallel::Ranks&)>& body) {
    RankBoard board(k);
    std::vector<std::thread> threads;
    for (int r = 0; r < k; ++r) {
        threads.emplace_back([&board, &body, r] {
            ThreadRank ranks(board, r);
            body(ranks);
        });
    }
    for (auto& t : threads) {
        t.join();
    }
}

}  // namespace lodestone::testing
