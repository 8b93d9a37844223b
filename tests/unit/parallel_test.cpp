// The split of items over ranks and the agreement on failures (parallel/ranks.hpp), on ranks
// simulated by threads (thread_ranks.hpp); the real MPI run is the CLI test mpi_ranks_identical.
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/parallel/bytes.hpp"
#include "lodestone/parallel/ranks.hpp"
#include "thread_ranks.hpp"

namespace lodestone {
namespace {

TEST(ParallelBytes, RoundTripIsExact) {
    parallel::ByteWriter w;
    w.put(0.1);
    w.put_string("a\0b");
    w.put_vector(std::vector<double>{1e-300, -0.0, 3.5});
    parallel::ByteReader r(w.bytes());
    EXPECT_EQ(r.get<double>(), 0.1);
    EXPECT_EQ(r.get_string(), "a");  // a C string literal stops at the NUL
    const auto v = r.get_vector<double>();
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0], 1e-300);
    EXPECT_TRUE(std::signbit(v[1]));
    EXPECT_TRUE(r.done());
    EXPECT_THROW((void)r.get<int>(), std::runtime_error);
}

TEST(SplitItems, ItemIGoesToRankIModKAndComesBackInOrder) {
    std::mutex m;
    std::vector<std::vector<std::size_t>> computed(3);
    std::vector<std::string> at_root;
    testing::run_ranks(3, [&](parallel::Ranks& ranks) {
        const auto out = parallel::split_items(ranks, 7, [&](const std::vector<std::size_t>& mine) {
            std::vector<std::string> items;
            for (const auto i : mine) {
                items.push_back("item" + std::to_string(i) + "@" + std::to_string(ranks.rank()));
            }
            const std::lock_guard lock(m);
            computed[static_cast<std::size_t>(ranks.rank())] = mine;
            return items;
        });
        if (ranks.root()) {
            at_root = out;
        } else {
            EXPECT_TRUE(out.empty());
        }
    });
    EXPECT_EQ(computed[0], (std::vector<std::size_t>{0, 3, 6}));
    EXPECT_EQ(computed[1], (std::vector<std::size_t>{1, 4}));
    EXPECT_EQ(computed[2], (std::vector<std::size_t>{2, 5}));
    EXPECT_EQ(at_root, (std::vector<std::string>{"item0@0", "item1@1", "item2@2", "item3@0",
                                                 "item4@1", "item5@2", "item6@0"}));
}

TEST(SplitItems, AFailureOnOneRankStopsEveryRankWithItsCodeAndRankZeroHasTheMessage) {
    std::mutex m;
    std::vector<int> codes(3, -1);
    std::vector<std::string> texts(3);
    testing::run_ranks(3, [&](parallel::Ranks& ranks) {
        try {
            (void)parallel::split_items(ranks, 5, [&](const std::vector<std::size_t>& mine) {
                if (ranks.rank() == 2) {
                    throw InputError(ErrorCode::Usage, "bad item on rank 2");
                }
                return std::vector<std::string>(mine.size(), "ok");
            });
        } catch (const parallel::AgreedFailure& f) {
            const std::lock_guard lock(m);
            codes[static_cast<std::size_t>(ranks.rank())] = f.exit_code();
            texts[static_cast<std::size_t>(ranks.rank())] = f.text();
        }
    });
    EXPECT_EQ(codes, (std::vector<int>{2, 2, 2}));
    EXPECT_NE(texts[0].find("bad item on rank 2"), std::string::npos) << texts[0];
    EXPECT_EQ(texts[1], "");
    EXPECT_EQ(texts[2], "");
}

TEST(SplitItems, ARankThatFailedBeforeTheSplitStopsTheOthers) {
    // Rank 1 fails while reading its input and goes straight to finish(); the others are in
    // split_items: the same collective steps, so every rank ends with rank 1's code.
    std::mutex m;
    std::vector<int> codes(3, -1);
    testing::run_ranks(3, [&](parallel::Ranks& ranks) {
        int code = 0;
        if (ranks.rank() == 1) {
            code = parallel::finish(ranks, 2, "x.csv: file does not exist (E-FILE-MISSING)\n");
        } else {
            try {
                (void)parallel::split_items(ranks, 4, [](const std::vector<std::size_t>& mine) {
                    return std::vector<std::string>(mine.size(), "ok");
                });
                code = parallel::finish(ranks, 0, "");
            } catch (const parallel::AgreedFailure& f) {
                code = f.exit_code();
            }
        }
        const std::lock_guard lock(m);
        codes[static_cast<std::size_t>(ranks.rank())] = code;
    });
    EXPECT_EQ(codes, (std::vector<int>{2, 2, 2}));
}

TEST(Finish, EveryRankGetsTheFirstNonZeroCode) {
    std::mutex m;
    std::vector<int> codes(3, -1);
    testing::run_ranks(3, [&](parallel::Ranks& ranks) {
        const int mine = ranks.rank() == 0 ? 0 : ranks.rank();  // rank 1 -> 1, rank 2 -> 2
        const int code = parallel::finish(ranks, mine, mine != 0 ? "failed\n" : "");
        const std::lock_guard lock(m);
        codes[static_cast<std::size_t>(ranks.rank())] = code;
    });
    EXPECT_EQ(codes, (std::vector<int>{1, 1, 1}));
}

}  // namespace
}  // namespace lodestone
