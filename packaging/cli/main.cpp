// `tally`: the command-line tool of a Tally appliance (commands.hpp).

#include <iostream>
#include <string_view>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  return tally::cli::run_tally(args, std::cout, std::cerr);
}
