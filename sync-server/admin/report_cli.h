// `sotay-server report`: the yearly report written to a file from the command line,
// for an operator or a scheduled job (README.md, "The yearly report").
//
//   sotay-server report --db FILE --area CODE (--year YYYY | --from DATE --to DATE)
//                       --out FILE.xlsx|FILE.csv [--lang vi|en] [--semicolon]
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sotay/env.h"

namespace sotay::server {

// Exit codes as `admin`'s: 0 done, 2 usage, 4 invalid, 5 not found, 1 other failure.
int RunReport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Env* env);

}  // namespace sotay::server
