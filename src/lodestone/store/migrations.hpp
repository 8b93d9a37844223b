// lodestone/store/migrations.hpp: the workspace schema as numbered SQL migrations compiled into
// the binary (src/lodestone/store/migrations/NNNN_name.sql, embedded by
// cmake/EmbedMigrations.cmake). A workspace records the last applied number in PRAGMA user_version
// and in schema_migrations. Example: migrations().back().version is the schema version this build
// writes.
#pragma once

#include <string>
#include <vector>

namespace lodestone::store {

struct Migration {
    int version = 0;   ///< 1, 2, ... without gaps
    std::string name;  ///< file stem, e.g. "0001_init"
    std::string sql;   ///< statements, applied in one transaction
};

/// Every migration in order. Generated at build time.
[[nodiscard]] const std::vector<Migration>& migrations();

}  // namespace lodestone::store
