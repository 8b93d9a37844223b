// lodestone/parallel/ranks.hpp: the processes of one job (MPI ranks) as the library sees them,
// behind a small interface so that the library builds and runs without MPI (SingleProcess); the
// MPI implementation is mpi_ranks.hpp, linked by the CLI when Open MPI is found (docs/parallel.md).
// Work is split by item: item i is computed by rank i mod K, every item's bytes are gathered at
// rank 0 and merged there in item order, so a result is the same bytes for any number of ranks.
// Failures: a rank that fails (in split_items or before it) makes every rank stop with the same
// exit code, and rank 0 alone prints the first failing rank's message.
// Example: auto parts = split_items(ranks, chunks, [&](const auto& mine) { ... one string per item
// });
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lodestone::parallel {

class Ranks {
public:
    virtual ~Ranks() = default;
    [[nodiscard]] virtual int rank() const = 0;
    [[nodiscard]] virtual int size() const = 0;
    [[nodiscard]] bool root() const { return rank() == 0; }

    /// Collective: every rank sends `bytes`; rank 0 returns all of them in rank order, the others
    /// {}.
    [[nodiscard]] virtual std::vector<std::string> gather(const std::string& bytes) = 0;
    /// Collective: every rank returns rank 0's `value`.
    [[nodiscard]] virtual int broadcast(int value) = 0;
};

/// One process: rank 0 of 1. Collectives return their own input.
class SingleProcess final : public Ranks {
public:
    [[nodiscard]] int rank() const override { return 0; }
    [[nodiscard]] int size() const override { return 1; }
    [[nodiscard]] std::vector<std::string> gather(const std::string& bytes) override {
        return {bytes};
    }
    [[nodiscard]] int broadcast(int value) override { return value; }
};

/// What the CLI prints and returns for an exception: InputError -> 2 with every diagnostic, any
/// other std::exception -> 1 with "lodestone: internal error: ... (E-INTERNAL)".
struct Failure {
    int exit_code = 1;
    std::string text;  ///< lines to print on stderr, each ending in '\n'
};
[[nodiscard]] Failure describe_failure(std::exception_ptr error);

/// Thrown on every rank once the ranks have agreed that the job failed: the CLI prints `text`
/// (non-empty on rank 0 only) and exits with `exit_code`, with no further collective call.
class AgreedFailure : public std::runtime_error {
public:
    AgreedFailure(int exit_code, std::string text)
        : std::runtime_error("the job failed on a rank"),
          exit_code_(exit_code),
          text_(std::move(text)) {}
    [[nodiscard]] int exit_code() const { return exit_code_; }
    [[nodiscard]] const std::string& text() const { return text_; }

private:
    int exit_code_;
    std::string text_;
};

/// Collective. Items 0..count-1; this rank computes items rank, rank+K, ... by calling
/// compute(its item indices, ascending), which returns one byte string per item (a shorter vector
/// when it stopped early, e.g. cancelled: the missing items come back empty). Rank 0 returns every
/// item's bytes in item order; the other ranks return {}. With one rank, compute's exceptions pass
/// through unchanged; with several, any failure ends every rank with AgreedFailure.
[[nodiscard]] std::vector<std::string> split_items(
    Ranks& ranks,
    std::size_t count,
    const std::function<std::vector<std::string>(const std::vector<std::size_t>&)>& compute);

/// Collective, the last call of every rank (the CLI's main): agrees on the exit code. Rank 0
/// prints the message of the first rank with a non-zero code; returns that code on every rank.
[[nodiscard]] int finish(Ranks& ranks, int exit_code, const std::string& text);

}  // namespace lodestone::parallel
