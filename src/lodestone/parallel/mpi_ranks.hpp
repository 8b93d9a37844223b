// lodestone/parallel/mpi_ranks.hpp: the Ranks of an Open MPI job (built only when CMake finds MPI;
// LODE_MPI). MPI is started only when the process was launched by mpirun/mpiexec (Open MPI sets
// OMPI_COMM_WORLD_SIZE): a plain `lodestone ...` never initialises MPI and runs as one process.
// Example: auto ranks = start_mpi_job(argc, argv);  // MPI_Finalize when it goes out of scope
#pragma once

#include <memory>

#include "lodestone/parallel/ranks.hpp"

namespace lodestone::parallel {

/// MPI_COMM_WORLD when launched by mpirun, else SingleProcess. MPI is finalised by the destructor.
[[nodiscard]] std::unique_ptr<Ranks> start_mpi_job(int& argc, char**& argv);

}  // namespace lodestone::parallel
