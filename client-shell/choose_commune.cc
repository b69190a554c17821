// Which commune a new top-level record goes to (shell.h, ChooseCommune): the one
// given with --commune, checked, or asked of a district officer whose device's area
// is not a commune.
#include <iostream>

#include "shell.h"
#include "sotay/text.h"

namespace sotay::shell {

namespace {

void ListCommunes(const Notebook& nb) {
  for (size_t i = 0; i < nb.communes().size(); ++i) {
    const Commune& c = nb.communes()[i];
    std::cerr << "  " << (i + 1) << ". " << c.code << "  " << c.name << "\n";
  }
}

}  // namespace

std::string ChooseCommune(const Context& ctx, const Notebook& nb, const std::string& given, bool may_ask,
                          int& exit_code) {
  exit_code = kOk;
  if (nb.communes().empty() && nb.role() == "district") {
    std::cerr << "sotay: " << Tr(ctx, "thiết bị chưa biết các xã mà bạn được ghi hồ sơ: hãy đồng bộ trước (sotay sync) "
                                      "để nhận danh sách xã\n",
                                 "this device does not know the communes you may record for yet: sync first "
                                 "(sotay sync) to learn the communes\n");
    exit_code = kNotAllowed;
    return "";
  }
  if (!given.empty()) {
    if (nb.CommuneForNewRecord(given).ok()) return given;
    std::cerr << "sotay: --commune " << given
              << Tr(ctx, ": không phải xã bạn được ghi hồ sơ. Các xã:\n", ": not a commune you may record for. The communes:\n");
    ListCommunes(nb);
    exit_code = kUsage;
    return "";
  }
  if (!nb.NeedsCommuneChoice()) return "";
  if (!may_ask) {
    std::cerr << "sotay: " << Tr(ctx, "khu vực của thiết bị (", "this device's area (") << nb.area()
              << Tr(ctx, ") không phải là xã: hãy ghi hồ sơ thuộc xã nào bằng --commune MÃ_XÃ. Các xã:\n",
                    ") is not a commune: name the record's commune with --commune CODE. The communes:\n");
    ListCommunes(nb);
    exit_code = kUsage;
    return "";
  }
  std::cout << Tr(ctx, "Hồ sơ này thuộc xã nào?\n", "Which commune does this record belong to?\n");
  for (size_t i = 0; i < nb.communes().size(); ++i) {
    std::cout << "    " << (i + 1) << ". " << nb.communes()[i].name << " (" << nb.communes()[i].code << ")\n";
  }
  for (;;) {
    std::cout << "> " << std::flush;
    std::string line;
    if (!ReadLine(line)) {
      std::cout << "\n" << Tr(ctx, "Chưa chọn xã; không có gì được lưu.\n", "No commune chosen; nothing was saved.\n");
      exit_code = kUsage;
      return "";
    }
    line = Trim(line);
    const bool number = !line.empty() && line.size() < 4 && line.find_first_not_of("0123456789") == std::string::npos;
    const size_t n = number ? std::stoul(line) : 0;
    if (number && n >= 1 && n <= nb.communes().size()) return nb.communes()[n - 1].code;
    for (const Commune& c : nb.communes()) {
      if (c.code == line) return c.code;
    }
    std::cout << "  ✗ " << Tr(ctx, "hãy ghi số thứ tự hoặc mã xã trong danh sách\n",
                              "type a number or a commune code from the list\n");
  }
}

}  // namespace sotay::shell
