#include "expr_lexer.h"

#include <charconv>

namespace sotay {
namespace expr {

namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsNameStart(char c) { return IsLetter(c) || c == '_'; }
bool IsNameChar(char c) {
  return IsLetter(c) || IsDigit(c) || c == '_' || c == '-' || c == '.' || c == ':';
}
// Inside ${...}: the characters XLSForm allows in a field name.
bool IsFieldNameChar(char c) {
  return IsLetter(c) || IsDigit(c) || c == '_' || c == '-' || c == '.';
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {
    // columns_[i] is the column of the character that starts at byte i.
    columns_.resize(text.size() + 1);
    int col = 1;
    for (size_t i = 0; i < text.size(); ++i) {
      columns_[i] = col;
      if (i + 1 >= text.size() || !IsContinuation(text[i + 1])) ++col;
    }
    columns_[text.size()] = col;
  }

  Status Run(std::vector<Token>* out) {
    out->clear();
    while (true) {
      while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
      if (pos_ >= text_.size()) break;
      Token tok;
      Status s = Next(&tok);
      if (!s.ok()) return s;
      out->push_back(std::move(tok));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.column = columns_[text_.size()];
    out->push_back(end);
    return Status::OK();
  }

 private:
  int ColumnAt(size_t byte) const { return columns_[byte]; }

  // Reads one token starting at pos_ (not white space, not the end).
  Status Next(Token* tok) {
    const size_t start = pos_;
    tok->column = ColumnAt(start);
    const char c = text_[pos_];
    Status s;
    if (IsDigit(c) || (c == '.' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
      s = Number(tok);
    } else if (c == '\'' || c == '"') {
      s = String(tok);
    } else if (c == '$') {
      s = FieldRef(tok);
    } else if (IsNameStart(c)) {
      while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
      tok->kind = TokenKind::kName;
      tok->text = std::string(text_.substr(start, pos_ - start));
    } else {
      s = Operator(tok);
    }
    if (!s.ok()) return s;
    tok->raw = std::string(text_.substr(start, pos_ - start));
    return Status::OK();
  }

  Status Number(Token* tok) {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    std::string digits(text_.substr(start, pos_ - start));
    if (digits.back() == '.') digits.push_back('0');  // "5." is 5
    if (digits.front() == '.') digits.insert(digits.begin(), '0');
    double value = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (res.ec != std::errc() || res.ptr != digits.data() + digits.size()) {
      return ColumnError(tok->column, "number '" + Quote(digits) + "' is out of range");
    }
    tok->kind = TokenKind::kNumber;
    tok->number = value;
    return Status::OK();
  }

  Status String(Token* tok) {
    const char quote = text_[pos_];
    const size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) {
      return ColumnError(tok->column, "unterminated string (no closing quote)");
    }
    tok->kind = TokenKind::kString;
    tok->text = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return Status::OK();
  }

  Status FieldRef(Token* tok) {
    ++pos_;  // '$'
    if (pos_ >= text_.size() || text_[pos_] != '{') {
      return ColumnError(tok->column, "expected '{' after '$' (write ${name})");
    }
    ++pos_;
    const size_t name_start = pos_;
    while (pos_ < text_.size() && IsFieldNameChar(text_[pos_])) ++pos_;
    if (pos_ >= text_.size() || text_[pos_] != '}') {
      return ColumnError(ColumnAt(pos_), "expected '}' to close '${'");
    }
    if (pos_ == name_start) return ColumnError(tok->column, "empty field name in '${}'");
    tok->kind = TokenKind::kFieldRef;
    tok->text = std::string(text_.substr(name_start, pos_ - name_start));
    ++pos_;  // '}'
    return Status::OK();
  }

  Status Operator(Token* tok) {
    const char c = text_[pos_];
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    size_t len = 1;
    switch (c) {
      case '.': tok->kind = TokenKind::kDot; break;
      case '(': tok->kind = TokenKind::kLParen; break;
      case ')': tok->kind = TokenKind::kRParen; break;
      case ',': tok->kind = TokenKind::kComma; break;
      case '+': tok->kind = TokenKind::kPlus; break;
      case '-': tok->kind = TokenKind::kMinus; break;
      case '*': tok->kind = TokenKind::kStar; break;
      case '=': tok->kind = TokenKind::kEq; break;
      case '!':
        if (next != '=') return ColumnError(tok->column, "unexpected '!' (use != or not())");
        tok->kind = TokenKind::kNe;
        len = 2;
        break;
      case '<':
        tok->kind = next == '=' ? TokenKind::kLe : TokenKind::kLt;
        len = next == '=' ? 2 : 1;
        break;
      case '>':
        tok->kind = next == '=' ? TokenKind::kGe : TokenKind::kGt;
        len = next == '=' ? 2 : 1;
        break;
      case '/':
        return ColumnError(tok->column, "unexpected '/' (use div to divide)");
      default: {
        size_t end = pos_ + 1;
        while (end < text_.size() && IsContinuation(text_[end])) ++end;
        return ColumnError(tok->column,
                           "unexpected character '" + Quote(text_.substr(pos_, end - pos_)) + "'");
      }
    }
    pos_ += len;
    return Status::OK();
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::vector<int> columns_;
};

}  // namespace

Status Tokenize(std::string_view text, std::vector<Token>* out) {
  return Lexer(text).Run(out);
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 0 || !IsContinuation(s[i])) ++n;
  }
  return n;
}

Status ColumnError(int column, const std::string& what) {
  return Status::InvalidArgument("column " + std::to_string(column) + ": " + what);
}

std::string Quote(std::string_view raw) {
  constexpr size_t kMax = 24;
  size_t count = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && !IsContinuation(raw[i]) && ++count == kMax) {
      return std::string(raw.substr(0, i)) + "...";
    }
  }
  return std::string(raw);
}

}  // namespace expr
}  // namespace sotay
