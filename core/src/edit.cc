#include "sotay/edit.h"

namespace sotay {

std::string Dot::ToString() const { return device + ":" + std::to_string(counter); }

}  // namespace sotay
