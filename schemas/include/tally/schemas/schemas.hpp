#pragma once
// The files of schemas/ (SQL DDL, JSON Schemas), embedded into the programs at build time so a
// node never depends on files beside its binary. Paths are relative to schemas/: "sql/ledger.sql".

#include <optional>
#include <string_view>
#include <vector>

namespace tally::schemas {

// The text of an embedded file, or nullopt if no such file was embedded.
std::optional<std::string_view> find(std::string_view path) noexcept;

// Every embedded path, sorted.
std::vector<std::string_view> paths();

}  // namespace tally::schemas
