#include "lodestone/report/freshness.hpp"

namespace lodestone::report {

namespace {

std::string days_text(int n) {
    return std::to_string(n) + (n == 1 ? " day" : " days");
}

}  // namespace

Freshness freshness(const model::World& world, Date asked) {
    Freshness f;
    f.dataset_as_of = world.info.as_of;
    f.asked = asked;
    if (!f.dataset_as_of) {
        f.notes.push_back(
            "the dataset has no as-of date (dataset.toml as_of): how current its measures are "
            "on " +
            asked.to_string() + " is unknown");
        return f;
    }
    const int age = days_between(*f.dataset_as_of, asked);
    f.data_age_days = age;
    const std::string data = "data as of " + f.dataset_as_of->to_string();
    if (age > 0) {
        f.notes.push_back(data + ", " + days_text(age) + " before the date asked (" +
                          asked.to_string() + "): measures announced since are not in the dataset");
    } else if (age < 0) {
        f.notes.push_back(data + "; evaluating on an earlier date, " + asked.to_string() + " (" +
                          days_text(-age) +
                          " before): measures are applied as they stood on that date");
    }
    return f;
}

}  // namespace lodestone::report
