// fuzz/fuzz_events.cpp: io::parse_events (the workspace's event reader) on CSV or JSON lines.
// The part name is the file name, which picks the format: "@@ events.csv", "@@ events.jsonl";
// bytes before any part are "events" (no extension: the format is detected from the bytes).
// Ids starting "WS-" stand for events already in a workspace. Contract: events with finite
// numbers, or an InputError with located errors.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "contract.hpp"
#include "lodestone/io/event_reader.hpp"
#include "world_fixture.hpp"

using namespace lodestone;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& world = fuzz::default_world().world;
    const auto known = [](const std::string& id) { return id.rfind("WS-", 0) == 0; };
    for (const auto& [file, bytes] :
         fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size), "events")) {
        fuzz::read_or_located_error([&] {
            // A part "@@ " without a name: callers always name the file (the CLI its path, the API
            // the upload's name or a default), so the harness does too.
            const auto batch =
                io::parse_events(bytes, file.empty() ? "events" : file, world, known);
            if (batch.events.size() != batch.lines.size()) {
                fuzz::violated("events and their line numbers differ in count");
            }
            for (const auto& m : batch.events) {
                fuzz::check_measure(m);
            }
        });
    }
    return 0;
}
