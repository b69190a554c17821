// `sotay-server admin COMMAND ...`: argument parsing and printing over admin_ops.h.
// Exit codes follow the `sotay` shell's: 0 done, 1 failure, 2 wrong command line,
// 4 a file did not pass its checks, 5 no such thing, 7 not allowed now.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sotay/env.h"

namespace sotay::server {

// `args` are the words after "admin". `schemas_dir` is used by init when --forms
// is not given.
int RunAdmin(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Env* env,
             const std::string& schemas_dir);

void PrintAdminUsage(std::ostream& out);

}  // namespace sotay::server
