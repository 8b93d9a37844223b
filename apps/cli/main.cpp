// lodestone: the command-line tool. Parses, calls the library, prints. The one catch site of the
// CLI: bad input exits 2 with every diagnostic, internal failures exit 1.
#include <cstdio>
#include <exception>
#include <string>

#include <algorithm>
#include <vector>

#include "build_info.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/model/lookup.hpp"

int main(int argc, char** argv) {
    using namespace lodestone;
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
            std::fprintf(stderr, "lodestone: unknown command '%s'%s (commands: %s; see lodestone --help) (E-USAGE)\n",
                         argv[1], near.empty() ? "" : ("; did you mean " + join(near, " or ") + "?").c_str(),
                         join(names, ", ").c_str());
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
    } catch (const InputError& e) {
        for (const auto& d : e.diagnostics()) {
            std::fprintf(stderr, "%s\n", d.to_string().c_str());
        }
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lodestone: internal error: %s (E-INTERNAL)\n", e.what());
        return 1;
    }
    cli::flush_warnings();
    return 0;
}
