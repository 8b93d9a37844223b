#include "lodestone/parallel/mpi_ranks.hpp"

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include <mpi.h>

namespace lodestone::parallel {

namespace {

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) {
        throw std::runtime_error(std::string("MPI: ") + what + " failed");
    }
}

class MpiRanks final : public Ranks {
public:
    MpiRanks(int& argc, char**& argv) {
        check(MPI_Init(&argc, &argv), "MPI_Init");
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    ~MpiRanks() override { MPI_Finalize(); }
    MpiRanks(const MpiRanks&) = delete;
    MpiRanks& operator=(const MpiRanks&) = delete;

    [[nodiscard]] int rank() const override { return rank_; }
    [[nodiscard]] int size() const override { return size_; }

    [[nodiscard]] std::vector<std::string> gather(const std::string& bytes) override {
        if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
            throw std::runtime_error("MPI: a rank's partial result exceeds 2 GiB");
        }
        int mine = static_cast<int>(bytes.size());
        std::vector<int> sizes(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
        check(MPI_Gather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD),
              "MPI_Gather");
        std::vector<int> offsets(sizes.size());
        std::size_t total = 0;
        for (std::size_t r = 0; r < sizes.size(); ++r) {
            if (total > static_cast<std::size_t>(INT_MAX)) {
                throw std::runtime_error("MPI: the gathered partial results exceed 2 GiB");
            }
            offsets[r] = static_cast<int>(total);
            total += static_cast<std::size_t>(sizes[r]);
        }
        std::string all(total, '\0');
        check(MPI_Gatherv(bytes.data(), mine, MPI_CHAR, all.data(), sizes.data(), offsets.data(),
                          MPI_CHAR, 0, MPI_COMM_WORLD),
              "MPI_Gatherv");
        std::vector<std::string> out;
        for (std::size_t r = 0; r < sizes.size(); ++r) {
            out.push_back(all.substr(static_cast<std::size_t>(offsets[r]),
                                     static_cast<std::size_t>(sizes[r])));
        }
        return out;
    }

    [[nodiscard]] int broadcast(int value) override {
        check(MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
        return value;
    }

private:
    int rank_ = 0;
    int size_ = 1;
};

}  // namespace

std::unique_ptr<Ranks> start_mpi_job(int& argc, char**& argv) {
    if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr) {
        return std::make_unique<SingleProcess>();
    }
    return std::make_unique<MpiRanks>(argc, argv);
}

}  // namespace lodestone::parallel
