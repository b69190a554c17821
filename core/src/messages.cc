#include "messages.h"

#include "sotay/lang.h"

namespace sotay {

const char* Message(Msg id, const std::string& lang) {
  const bool en = IsEnglish(lang);
  switch (id) {
    case Msg::kRequired:
      return en ? "This question requires an answer." : "Câu hỏi này bắt buộc phải trả lời.";
    case Msg::kInteger:
      return en ? "Enter a whole number." : "Hãy nhập một số nguyên.";
    case Msg::kDecimal:
      return en ? "Enter a number." : "Hãy nhập một số.";
    case Msg::kDate:
      return en ? "Enter a real date as YYYY-MM-DD, e.g. 2015-03-21."
                : "Hãy nhập ngày có thật theo dạng NNNN-TT-NN, ví dụ 2015-03-21.";
    case Msg::kDateTime:
      return en ? "Enter a date and time as YYYY-MM-DDTHH:MM, e.g. 2025-06-01T14:30."
                : "Hãy nhập ngày giờ theo dạng NNNN-TT-NNTGG:PP, ví dụ 2025-06-01T14:30.";
    case Msg::kNotInList:
      return en ? "That choice is not in the list." : "Lựa chọn này không có trong danh sách.";
    case Msg::kGeopoint:
      return en ? "Enter latitude and longitude, e.g. 21.0285 105.8542."
                : "Hãy nhập vĩ độ và kinh độ, ví dụ 21.0285 105.8542.";
    case Msg::kPhone:
      return en ? "That is not a phone number." : "Số điện thoại không hợp lệ.";
    case Msg::kConstraint:
      return en ? "This answer is not allowed." : "Câu trả lời này không hợp lệ.";
    case Msg::kUnknownField:
      return en ? "The form has no such field." : "Biểu mẫu không có trường này.";
    case Msg::kReadOnly:
      return en ? "This field cannot be changed." : "Trường này không được sửa.";
    case Msg::kBadUtf8:
      return en ? "The text is not valid UTF-8." : "Văn bản không phải UTF-8 hợp lệ.";
    case Msg::kTooLong:
      return en ? "The answer is too long." : "Câu trả lời quá dài.";
    case Msg::kControlChar:  // the code point follows
      return en ? "The text holds a control or text-direction character, which is not allowed:"
                : "Văn bản có ký tự điều khiển hoặc ký tự đổi hướng chữ, không được phép:";
    case Msg::kFileRef:
      return en ? "Attach a file with `sotay attach`; this is not a file reference."
                : "Hãy đính kèm tệp bằng `sotay attach`; đây không phải tham chiếu tệp.";
    case Msg::kFileRules:
      return en ? "This file's type or size is not what the form accepts."
                : "Loại hoặc dung lượng tệp này không đúng với biểu mẫu.";
  }
  return "?";
}

}  // namespace sotay
