// The loader corpus (simdjson "minefield" style): every folder tests/loader/{y,n}_*/ is a case.
// A case = the files of base/, overridden by the case's own files, changed by case.txt directives:
//   delete FILE | mkdir FILE | append FILE TEXT | huge_line FILE BYTES | target PATH
// expected.txt lists every diagnostic, exactly, with the dataset folder written as DIR.
// y_ cases must load; n_ cases must be refused. Adding a case means adding files, no C++.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "lodestone/io/dataset_reader.hpp"

namespace fs = std::filesystem;
using namespace lodestone;

namespace {

const fs::path kCorpus = fs::path(LODE_SOURCE_DIR) / "tests" / "loader";

std::vector<std::string> case_names() {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(kCorpus)) {
        const auto name = entry.path().filename().string();
        if (entry.is_directory() && (name.rfind("y_", 0) == 0 || name.rfind("n_", 0) == 0)) {
            out.push_back(name);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
        s.replace(pos, from.size(), to);
    }
    return s;
}

class LoaderCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(LoaderCorpus, GivesExactlyTheExpectedDiagnostics) {
    const std::string name = GetParam();
    const fs::path src = kCorpus / name;
    const fs::path dir = fs::path(LODE_BINARY_DIR) / "loader_cases" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(kCorpus / "base", dir, fs::copy_options::recursive);
    for (const auto& entry : fs::directory_iterator(src)) {
        const auto file = entry.path().filename().string();
        if (file != "case.txt" && file != "expected.txt") {
            fs::copy_file(entry.path(), dir / file, fs::copy_options::overwrite_existing);
        }
    }
    fs::path target = dir;
    for (const auto& line : lines_of(read_file(src / "case.txt"))) {
        std::istringstream in(line);
        std::string verb, file;
        in >> verb >> file;
        if (verb == "delete") {
            fs::remove_all(dir / file);
        } else if (verb == "mkdir") {
            fs::remove_all(dir / file);
            fs::create_directories(dir / file);
        } else if (verb == "append") {
            std::string text;
            std::getline(in >> std::ws, text);
            std::ofstream(dir / file, std::ios::app | std::ios::binary) << text << "\n";
        } else if (verb == "huge_line") {
            std::size_t bytes = 0;
            in >> bytes;
            std::ofstream(dir / file, std::ios::app | std::ios::binary)
                << std::string(bytes, 'x') << "\n";
        } else if (verb == "target") {
            target = dir / file;
        } else {
            FAIL() << name << "/case.txt: unknown directive '" << verb << "'";
        }
    }
    std::vector<Diagnostic> diagnostics;
    bool refused = false;
    try {
        auto loaded = io::load_world(io::read_dataset_dir(target));
        diagnostics = loaded.warnings;
    } catch (const InputError& e) {
        refused = true;
        diagnostics = e.diagnostics();
    }
    std::vector<std::string> actual;
    for (const auto& d : diagnostics) {
        actual.push_back(replace_all(d.to_string(), dir.string(), "DIR"));
    }
    const auto expected = lines_of(read_file(src / "expected.txt"));
    EXPECT_EQ(refused, name[0] == 'n') << (refused ? "refused a y_ case" : "accepted an n_ case");
    EXPECT_EQ(actual, expected) << "actual diagnostics:\n" << ::testing::PrintToString(actual);
}

INSTANTIATE_TEST_SUITE_P(Cases,
                         LoaderCorpus,
                         ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
