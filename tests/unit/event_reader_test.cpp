// Event files: CSV in the measures.csv format or JSON lines, validated like the dataset's measures;
// a file with any bad line is refused with every bad line listed.
#include "lodestone/io/event_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy_fixture.hpp"

using namespace lodestone;
using namespace lodestone::test;
using testing::ElementsAre;

namespace {

model::World world_with_ban() {
    auto w = small_world();
    auto ban = measure("BAN-US", model::MeasureKind::ExportBan, "2024-12-03");
    ban.destinations = listed({"USA"});
    w.measures.push_back(ban);
    return w;
}

std::vector<std::string> messages(const InputError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) {
        out.push_back(d.to_string());
    }
    return out;
}

std::vector<std::string> refused(std::string_view bytes,
                                 const std::string& file,
                                 const io::KnownId& known = {}) {
    try {
        (void)io::parse_events(bytes, file, world_with_ban(), known);
    } catch (const InputError& e) {
        return messages(e);
    }
    return {"accepted"};
}

}  // namespace

TEST(EventReader, DetectsTheFormatFromTheNameThenTheContent) {
    EXPECT_EQ(io::detect_event_format("a.csv", "{"), io::EventFormat::Csv);
    EXPECT_EQ(io::detect_event_format("a.JSONL", "id,kind"), io::EventFormat::JsonLines);
    EXPECT_EQ(io::detect_event_format("a.ndjson", ""), io::EventFormat::JsonLines);
    EXPECT_EQ(io::detect_event_format("feed", "  \n{\"id\":1}"), io::EventFormat::JsonLines);
    EXPECT_EQ(io::detect_event_format("feed", "id,kind\n"), io::EventFormat::Csv);
}

TEST(EventReader, ReadsCsvInTheMeasuresFormat) {
    const auto batch = io::parse_events(
        "# a comment\n"
        "id,kind,country,materials,stages,destinations,effective,expires,suspends,approval_rate,"
        "title\n"
        "LIC,export_licensing,CHN,rare_earths,separation;magnet,ALL_EXCEPT:EU;USA,2026-01-01,,,0.5,"
        "Lic\n"
        "EXT,suspension,CHN,gallium,,USA,2026-11-28,2027-11-27,BAN-US,,Extension\n",
        "events.csv", world_with_ban());
    EXPECT_EQ(batch.format, io::EventFormat::Csv);
    ASSERT_EQ(batch.events.size(), 2u);
    EXPECT_THAT(batch.lines, ElementsAre(3, 4));
    const auto& lic = batch.events[0];
    EXPECT_EQ(lic.kind, model::MeasureKind::ExportLicensing);
    EXPECT_THAT(lic.stages, ElementsAre("separation", "magnet"));
    EXPECT_EQ(lic.destinations.mode, model::DestinationSet::Mode::AllExcept);
    EXPECT_THAT(lic.destinations.codes, ElementsAre("EU", "USA"));
    EXPECT_EQ(lic.approval_rate, 0.5);
    EXPECT_EQ(batch.events[1].expires, d("2027-11-27"));
    EXPECT_THAT(batch.events[1].suspends, ElementsAre("BAN-US"));
}

TEST(EventReader, ReadsJsonLinesWithArraysOrLists) {
    const auto batch = io::parse_events(
        R"({"id":"LIC","kind":"export_licensing","country":"CHN","materials":["rare_earths"],"stages":"separation;magnet","destinations":["EU","USA"],"effective":"2026-01-01","approval_rate":0.5,"lead_time_days":45,"expires":null})"
        "\n\n"
        R"({"id":"EXT","kind":"suspension","country":"CHN","materials":"gallium","destinations":"USA","effective":"2026-11-28","expires":"2027-11-27","suspends":["BAN-US"]})"
        "\r\n",
        "feed.jsonl", world_with_ban());
    EXPECT_EQ(batch.format, io::EventFormat::JsonLines);
    ASSERT_EQ(batch.events.size(), 2u);
    EXPECT_THAT(batch.lines, ElementsAre(1, 3));
    EXPECT_THAT(batch.events[0].stages, ElementsAre("separation", "magnet"));
    EXPECT_EQ(batch.events[0].destinations.mode, model::DestinationSet::Mode::Listed);
    EXPECT_THAT(batch.events[0].destinations.codes, ElementsAre("EU", "USA"));
    EXPECT_EQ(batch.events[0].lead_time_days, 45.0);
    EXPECT_FALSE(batch.events[0].expires.has_value());
    EXPECT_THAT(batch.events[1].suspends, ElementsAre("BAN-US"));
}

TEST(EventReader, UnknownJsonFieldsWarnOnce) {
    const auto batch = io::parse_events(
        R"({"id":"A","kind":"export_tax","country":"CHN","materials":"gallium","destinations":"ALL","effective":"2026-01-01","tax_rate":0.1,"event_id":"x"})"
        "\n"
        R"({"id":"B","kind":"export_tax","country":"CHN","materials":"gallium","destinations":"ALL","effective":"2026-01-01","tax_rate":"0.1","event_id":"y"})",
        "feed.jsonl", world_with_ban());
    EXPECT_EQ(batch.events.size(), 2u);
    ASSERT_EQ(batch.warnings.size(), 1u);
    EXPECT_EQ(batch.warnings[0].to_string(),
              "feed.jsonl:1: warning: unknown field 'event_id' is ignored (E-HEADER)");
}

TEST(EventReader, ABadCsvFileListsEveryBadLineAndReturnsNothing) {
    const auto got = refused(
        "id,kind,country,materials,destinations,effective,expires,suspends\n"
        "E1,export_ban,CHN,gallium,USA,2026-01-01,,\n"
        "E2,export_bam,CHN,gallium,USA,2026-01-01,,\n"
        "E3,export_ban,CHN,unobtainium,USA,2026-13-01,,\n"
        "E4,export_ban,XXX,gallium,USA,2026-02-01,2026-01-01,\n"
        "E1,export_ban,CHN,gallium,USA,2026-01-01,,\n"
        "S1,suspension,CHN,gallium,USA,2026-01-01,2026-02-01,NOPE;S1\n",
        "events.csv");
    EXPECT_THAT(
        got,
        ElementsAre(
            testing::StartsWith("events.csv:3:4: kind: unknown kind 'export_bam'; expected one of"),
            "events.csv:4:19: materials: unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)",
            "events.csv:4:35: effective: expected a date YYYY-MM-DD, got '2026-13-01' (E-DATE)",
            "events.csv:5:15: country: unknown country or bloc 'XXX' (E-UNKNOWN-COUNTRY)",
            "events.csv:5:42: expires: ends 2026-01-01 before it starts 2026-02-01 (E-DATE-ORDER)",
            "events.csv:6:1: id: duplicate id 'E1' (first on line 2) (E-DUPLICATE)",
            "events.csv:7:53: suspends: suspends unknown measure 'NOPE' (E-UNKNOWN-MEASURE)",
            "events.csv:7:53: suspends: a measure cannot suspend itself (E-UNKNOWN-MEASURE)"));
}

TEST(EventReader, ABadJsonLinesFileListsEveryBadLine) {
    const auto got = refused(
        R"({"id":"A","kind":"export_tax","country":"CHN","materials":"gallium","destinations":"ALL","effective":"2026-01-01"})"
        "\n"
        R"({"id":"B","kind":)"
        "\n"
        R"(["not","an","object"])"
        "\n"
        R"({"id":"C","kind":"export_tax","country":"CHN","materials":5,"destinations":"ALL","effective":"2026-01-01"})"
        "\n"
        R"({"id":"D","kind":"export_tax","country":"CHN","materials":"gallium","destinations":"ALL","effective":"2026-01-01","approval_rate":1.5})"
        "\n"
        R"({"kind":"suspension","country":"CHN","destinations":"ALL","effective":"2026-01-01","suspends":["GONE"]})",
        "feed.jsonl");
    EXPECT_THAT(
        got,
        ElementsAre(
            "feed.jsonl:2:18: not valid JSON: syntax error while parsing value - unexpected end of "
            "input; "
            "expected '[', '{', or a literal (E-JSON)",
            "feed.jsonl:3: expected one JSON object per line, got array (E-JSON)",
            "feed.jsonl:4: materials: expected a string or an array of strings, got number "
            "(E-JSON)",
            "feed.jsonl:5: approval_rate: expected a share in [0,1], got '1.5' (E-SHARE-RANGE)",
            "feed.jsonl:6: id: a value is required (E-REQUIRED)",
            "feed.jsonl:6: suspends: suspends unknown measure 'GONE' (E-UNKNOWN-MEASURE)"));
}

// A number beyond the range of a double is a located error, not an internal one.
TEST(EventReader, ANumberBeyondADoubleIsAJsonError) {
    const auto got = refused(
        R"({"id":"A","kind":"export_quota","country":"CHN","materials":"gallium","destinations":"ALL","effective":"2026-01-01","quota_tonnes":1e400})",
        "feed.jsonl");
    EXPECT_THAT(
        got,
        ElementsAre(
            "feed.jsonl:1: not valid JSON: number overflow parsing '1e400' (beyond the range of a "
            "number) (E-JSON)"));
}

TEST(EventReader, ASuspensionMayNameTheFileTheWorldOrTheWorkspace) {
    const std::string file =
        "id,kind,country,materials,destinations,effective,expires,suspends\n"
        "S1,suspension,CHN,gallium,USA,2026-01-01,2026-02-01,BAN-US;LATER;WS-1\n"
        "LATER,export_tax,CHN,gallium,ALL,2026-01-01,,\n";
    EXPECT_THAT(
        refused(file, "e.csv"),
        ElementsAre("e.csv:2:53: suspends: suspends unknown measure 'WS-1' (E-UNKNOWN-MEASURE)"));
    const auto batch = io::parse_events(file, "e.csv", world_with_ban(),
                                        [](const std::string& id) { return id == "WS-1"; });
    EXPECT_EQ(batch.events.size(), 2u);
}

TEST(EventReader, OnlyASuspensionMaySuspend) {
    EXPECT_THAT(
        refused("id,kind,country,materials,destinations,effective,suspends\n"
                "X,export_ban,CHN,gallium,USA,2026-01-01,BAN-US\n",
                "e.csv"),
        ElementsAre(
            "e.csv:2:41: suspends: only a measure of kind 'suspension' may suspend others, this "
            "one is 'export_ban' (E-ENUM)"));
}

TEST(EventReader, EmptyFilesAreRefused) {
    EXPECT_THAT(refused("", "e.jsonl"),
                ElementsAre("e.jsonl: no events: the file is empty (E-FILE-EMPTY)"));
    EXPECT_THAT(refused("id,kind,country,materials,destinations,effective\n", "e.csv"),
                ElementsAre("e.csv: no events: the file has a header but no rows (E-FILE-EMPTY)"));
}

TEST(EventReader, AMissingFileIsAClearError) {
    try {
        (void)io::read_event_file("/nonexistent/events.csv", world_with_ban());
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_THAT(
            messages(e),
            ElementsAre("/nonexistent/events.csv: event file does not exist (E-FILE-MISSING)"));
    }
}
