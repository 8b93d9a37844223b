// lodestone/sim/mpi_monte_carlo.hpp: Monte Carlo across MPI ranks (Open MPI). Chunk k of the runs
// (kChunkRuns consecutive runs) is folded on rank k mod size; rank 0 gathers every chunk and
// merges them in chunk order with merge_chunks, so the result is byte-identical to
// run_monte_carlo in one process with the same seed and runs. Built only when MPI is found.
// Example (every rank): auto mc = run_monte_carlo_mpi(sim, {.runs = 1000, .seed = 1, .threads = 2});
#pragma once

#include <optional>

#include "lodestone/sim/monte_carlo.hpp"

namespace lodestone::sim {

/// True when the process was started by mpirun with more than one rank (MPI_Init already done).
[[nodiscard]] bool mpi_active();
/// This process's rank (0 without MPI).
[[nodiscard]] int mpi_rank();

/// Collective: every rank calls it. Rank 0 returns the merged result, the others nullopt. Threads
/// inside a rank fold its chunks in parallel. Progress and cancellation are not supported.
[[nodiscard]] std::optional<MonteCarloResult> run_monte_carlo_mpi(const Simulation& sim,
                                                                  const MonteCarloOptions& options);

/// Starts MPI when launched by mpirun (OMPI_COMM_WORLD_SIZE set); finalizes on destruction.
class MpiSession {
public:
    MpiSession(int* argc, char*** argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;

private:
    bool started_ = false;
};

}  // namespace lodestone::sim
