#pragma once
// How `tally chain` shows what a node answered: JSON for programs (the object as is, one line), or
// a table for people: one "name  value" line per member, lists one item per line below their name.

#include <iosfwd>

#include <boost/json/object.hpp>

namespace tally::cli {

void write_chain_json(std::ostream& out, const boost::json::object& result);
void write_chain_table(std::ostream& out, const boost::json::object& result);

}  // namespace tally::cli
