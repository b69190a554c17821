// The form loader (sotay/form.h): form files come from whoever writes a form pack,
// and the server publishes them to every device. Any text: a Form or an error
// naming the file, the field and the reason; CheckForm lists the same problems.
#include "fuzz_support.h"
#include "sotay/form.h"
#include "sotay/presentation.h"

using namespace sotay;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::Input(data, size);
  auto form = LoadForm(in, "fuzz.json");
  const std::vector<std::string> problems = CheckForm(in, "fuzz.json");
  FUZZ_CHECK(form.ok() == problems.empty());
  if (form.ok()) {
    for (const Field& f : form->fields) {
      (void)form->PolicyOf(f.name);
      (void)ChoiceLabels(*form, f, "a b", "en");
    }
  }
  return 0;
}
