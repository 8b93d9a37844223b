// lodestone: the command-line tool. Parses, calls the library, prints. The one catch site of the
// CLI: bad input exits 2 with every diagnostic, internal failures exit 1. Under mpirun (built with
// Open MPI) every rank runs main; only rank 0 prints, and all ranks exit with the same code
// (parallel/ranks.hpp, docs/parallel.md).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "build_info.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/model/lookup.hpp"
#include "lodestone/parallel/ranks.hpp"
#ifdef LODE_HAS_MPI
#include "lodestone/parallel/mpi_ranks.hpp"
#endif

namespace {

/// Ranks other than 0 print nothing: stdout goes to /dev/null, and so do the stdio and iostream
/// error streams; file descriptor 2 stays open for the sanitizers' and the C++ runtime's reports.
void silence_this_rank() {
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) {
        dup2(null_fd, STDOUT_FILENO);
        close(null_fd);
    }
    if (FILE* null_file = std::fopen("/dev/null", "w"); null_file != nullptr) {
        stderr = null_file;  // glibc: stderr is an assignable variable
    }
    std::cerr.rdbuf(nullptr);
    std::clog.rdbuf(nullptr);
}

/// The commands that split their work over MPI ranks; any other under mpirun -np K > 1 would run K
/// times (and write K times), so it is refused.
bool splits_over_ranks(const std::string& command) {
    return command == "simulate" || command == "propagate";
}

int run_cli(int argc, char** argv, lodestone::parallel::Ranks& ranks, std::string& error_text);

}  // namespace

int main(int argc, char** argv) try {
    namespace parallel = lodestone::parallel;
#ifdef LODE_HAS_MPI
    std::unique_ptr<parallel::Ranks> ranks;
    try {
        ranks = parallel::start_mpi_job(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lodestone: %s (E-INTERNAL)\n", e.what());
        return 1;
    }
#else
    auto ranks = std::make_unique<parallel::SingleProcess>();
#endif
    if (!ranks->root()) {
        silence_this_rank();
    }
    std::string error_text;
    int code = 0;
    try {
        code = run_cli(argc, argv, *ranks, error_text);
    } catch (const parallel::AgreedFailure& e) {
        // The ranks have already agreed on the failure (no further collective call).
        std::fputs(e.text().c_str(), stderr);
        return e.exit_code();
    }
    return parallel::finish(*ranks, code, error_text);
} catch (...) {  // run_cli reports every error itself; this is a failure of that reporting
    std::fputs("lodestone: internal error while reporting the outcome (E-INTERNAL)\n", stderr);
    return 1;
}

namespace {

int run_cli(int argc, char** argv, lodestone::parallel::Ranks& ranks, std::string& error_text) {
    namespace cli = lodestone::cli;
    namespace model = lodestone::model;
    namespace parallel = lodestone::parallel;
    using lodestone::join;
    CLI::App app{"Lodestone: critical-minerals supply-chain risk engine", "lodestone"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(cli::kVersion));
    bool build_info = false;
    app.add_flag("--build-info", build_info, "Print version, git hash, compiler and options");
    app.preparse_callback([&](std::size_t) {
        if (build_info) {
            std::printf("%s", cli::build_info_text().c_str());
            std::exit(0);
        }
    });

    cli::Context ctx;
    ctx.ranks = &ranks;
    cli::add_info_command(app, ctx);
    cli::add_validate_command(app, ctx);
    cli::add_assess_command(app, ctx);
    cli::add_leverage_command(app, ctx);
    cli::add_simulate_command(app, ctx);
    cli::add_policies_command(app, ctx);
    cli::add_events_command(app, ctx);
    cli::add_watch_command(app, ctx);
    cli::add_lookthrough_command(app, ctx);
#ifdef LODE_HAS_SERVER
    cli::add_serve_command(app, ctx);
#endif
    cli::add_brief_command(app, ctx);
    cli::add_propagate_command(app, ctx);
    cli::add_exposure_command(app, ctx);
    cli::add_portfolio_command(app, ctx);
    cli::add_stockpile_command(app, ctx);

    // A mistyped command would otherwise read as a stray argument ("A subcommand is required").
    if (argc > 1 && argv[1][0] != '-') {
        std::vector<std::string> names;
        for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
            names.push_back(sub->get_name());
        }
        if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
            const auto near = model::nearest(argv[1], names, 2);
            error_text = std::string("lodestone: unknown command '") + argv[1] + "'" +
                         (near.empty() ? "" : "; did you mean " + join(near, " or ") + "?") +
                         " (commands: " + join(names, ", ") + "; see lodestone --help) (E-USAGE)\n";
            return 2;
        }
        if (ranks.size() > 1 && !splits_over_ranks(argv[1])) {
            error_text = std::string("lodestone ") + argv[1] +
                         ": runs in one process; only simulate and propagate " +
                         "split their work over MPI ranks (run it without mpirun) (E-USAGE)\n";
            return 2;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        if (build_info) {
            std::printf("%s", cli::build_info_text().c_str());
            return 0;
        }
        app.exit(e);
        return 2;
    } catch (const parallel::AgreedFailure&) {
        throw;
    } catch (...) {
        const auto failure = parallel::describe_failure(std::current_exception());
        error_text = failure.text;
        return failure.exit_code;
    }
    cli::flush_warnings();
    return 0;
}

}  // namespace
