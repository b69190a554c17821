#include "expr_parser.h"

#include <algorithm>
#include <optional>

#include "expr_lexer.h"

namespace sotay {

namespace expr {

namespace {

using Node = Expression::Node;
using Op = Node::Op;
using NodePtr = std::unique_ptr<Node>;

enum Level { kOrLevel, kAndLevel, kEqualityLevel, kRelationalLevel, kAdditiveLevel,
             kMultiplicativeLevel, kUnaryLevel };

bool IsWord(const Token& t, const char* word) {
  return t.kind == TokenKind::kName && t.text == word;
}

bool IsOperatorWord(const Token& t) {
  return IsWord(t, "and") || IsWord(t, "or") || IsWord(t, "div") || IsWord(t, "mod");
}

// The binary operator `t` stands for at `level`, if any.
std::optional<Op> BinaryOp(int level, const Token& t) {
  switch (level) {
    case kOrLevel:
      if (IsWord(t, "or")) return Op::kOr;
      break;
    case kAndLevel:
      if (IsWord(t, "and")) return Op::kAnd;
      break;
    case kEqualityLevel:
      if (t.kind == TokenKind::kEq) return Op::kEq;
      if (t.kind == TokenKind::kNe) return Op::kNe;
      break;
    case kRelationalLevel:
      if (t.kind == TokenKind::kLt) return Op::kLt;
      if (t.kind == TokenKind::kLe) return Op::kLe;
      if (t.kind == TokenKind::kGt) return Op::kGt;
      if (t.kind == TokenKind::kGe) return Op::kGe;
      break;
    case kAdditiveLevel:
      if (t.kind == TokenKind::kPlus) return Op::kAdd;
      if (t.kind == TokenKind::kMinus) return Op::kSub;
      break;
    case kMultiplicativeLevel:
      if (t.kind == TokenKind::kStar) return Op::kMul;
      if (IsWord(t, "div")) return Op::kDiv;
      if (IsWord(t, "mod")) return Op::kMod;
      break;
    default:
      break;
  }
  return std::nullopt;
}

// How a token is named in a message.
std::string Describe(const Token& t) {
  if (t.kind == TokenKind::kEnd) return "end of expression";
  if (t.kind == TokenKind::kString) return "string " + Quote(t.raw);
  return "'" + Quote(t.raw) + "'";
}

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, std::vector<std::string>* refs)
      : tokens_(tokens), refs_(refs) {}

  // The whole expression, or null with status() set.
  NodePtr Run() {
    NodePtr root = Binary(kOrLevel);
    if (root && Peek().kind != TokenKind::kEnd) {
      const Token& t = Peek();
      if (t.kind == TokenKind::kRParen) {
        Fail(t.column, "unexpected ')' with no matching '('");
      } else {
        Fail(t.column, "unexpected " + Describe(t) + " (expected an operator or the end)");
      }
      return nullptr;
    }
    return root;
  }

  const Status& status() const { return status_; }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Take() {
    const Token& t = Peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  std::nullptr_t Fail(int column, const std::string& what) {
    if (status_.ok()) status_ = ColumnError(column, what);
    return nullptr;
  }

  // Guards the parser's own recursion (parentheses, calls, unary minus).
  class Nest {
   public:
    explicit Nest(int* depth) : depth_(depth) { ++*depth_; }
    ~Nest() { --*depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    bool too_deep() const { return *depth_ > kMaxDepth; }

   private:
    int* depth_;
  };

  NodePtr Make(Op op, int column, std::vector<NodePtr> kids) {
    auto n = std::make_unique<Node>();
    n->op = op;
    n->column = column;
    for (NodePtr& k : kids) {
      n->depth = std::max(n->depth, k->depth + 1);
      n->kids.push_back(std::move(k));
    }
    if (n->depth > kMaxDepth) return Fail(column, "expression nested too deeply");
    return n;
  }

  NodePtr Binary(int level) {
    if (level == kUnaryLevel) return Unary();
    NodePtr left = Binary(level + 1);
    while (left) {
      std::optional<Op> op = BinaryOp(level, Peek());
      if (!op) break;
      const int column = Take().column;
      NodePtr right = Binary(level + 1);
      if (!right) return nullptr;
      std::vector<NodePtr> kids;
      kids.push_back(std::move(left));
      kids.push_back(std::move(right));
      left = Make(*op, column, std::move(kids));
    }
    return left;
  }

  NodePtr Unary() {
    if (Peek().kind != TokenKind::kMinus) return Primary();
    const int column = Take().column;
    Nest nest(&nesting_);
    if (nest.too_deep()) return Fail(column, "expression nested too deeply");
    NodePtr operand = Unary();
    if (!operand) return nullptr;
    std::vector<NodePtr> kids;
    kids.push_back(std::move(operand));
    return Make(Op::kNegate, column, std::move(kids));
  }

  NodePtr Primary() {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kNumber:
        Take();
        return Literal(ExprValue::Number(t.number), t.column);
      case TokenKind::kString:
        Take();
        return Literal(ExprValue::String(t.text), t.column);
      case TokenKind::kFieldRef: {
        Take();
        if (std::find(refs_->begin(), refs_->end(), t.text) == refs_->end()) {
          refs_->push_back(t.text);
        }
        NodePtr n = Make(Op::kField, t.column, {});
        n->name = t.text;
        return n;
      }
      case TokenKind::kDot:
        Take();
        return Make(Op::kCurrent, t.column, {});
      case TokenKind::kLParen: return Group();
      case TokenKind::kName:
        if (Peek(1).kind == TokenKind::kLParen) return Call();
        if (IsOperatorWord(t)) return Fail(t.column, "unexpected " + Describe(t));
        {
          Take();
          NodePtr n = Make(Op::kProperty, t.column, {});
          n->name = t.text;
          return n;
        }
      case TokenKind::kEnd: return Fail(t.column, "unexpected end of expression");
      default: return Fail(t.column, "unexpected " + Describe(t));
    }
  }

  NodePtr Literal(ExprValue v, int column) {
    NodePtr n = Make(Op::kLiteral, column, {});
    n->literal = std::move(v);
    return n;
  }

  NodePtr Group() {
    const int column = Take().column;  // '('
    Nest nest(&nesting_);
    if (nest.too_deep()) return Fail(column, "expression nested too deeply");
    NodePtr inner = Binary(kOrLevel);
    if (!inner) return nullptr;
    if (Peek().kind != TokenKind::kRParen) {
      return Fail(Peek().column, "expected ')' to close '(' at column " + std::to_string(column) +
                                     ", found " + Describe(Peek()));
    }
    Take();
    return inner;
  }

  NodePtr Call() {
    const Token& name = Take();
    Take();  // '('
    const FunctionSpec* fn = FindFunction(name.text);
    if (fn == nullptr) return UnknownFunction(name);
    Nest nest(&nesting_);
    if (nest.too_deep()) return Fail(name.column, "expression nested too deeply");
    std::vector<NodePtr> args;
    if (Peek().kind == TokenKind::kRParen) {
      Take();
    } else {
      while (true) {
        NodePtr arg = Binary(kOrLevel);
        if (!arg) return nullptr;
        args.push_back(std::move(arg));
        if (Peek().kind == TokenKind::kComma) {
          Take();
        } else if (Peek().kind == TokenKind::kRParen) {
          Take();
          break;
        } else {
          return Fail(Peek().column, "expected ')' to close the call to " + name.text +
                                         "(), found " + Describe(Peek()));
        }
      }
    }
    const int count = static_cast<int>(args.size());
    if (count < fn->min_args || (fn->max_args != kAnyCount && count > fn->max_args)) {
      return Fail(name.column, DescribeArity(*fn) + ", got " + std::to_string(count));
    }
    std::shared_ptr<const expr::Regex> pattern;
    if (name.text == "regex" && args[1]->op == Op::kLiteral) {
      auto compiled = CompileRegex(args[1]->literal.AsString());
      if (!compiled.ok()) return Fail(args[1]->column, "regex(): " + compiled.status().message());
      pattern = *compiled;
    }
    NodePtr n = Make(Op::kCall, name.column, std::move(args));
    if (n) {
      n->fn = fn;
      n->pattern = std::move(pattern);
    }
    return n;
  }

  std::nullptr_t UnknownFunction(const Token& name) {
    std::string what = "unknown function '" + Quote(name.text) + "'";
    std::string dashed = name.text;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    if (dashed != name.text && FindFunction(dashed) != nullptr) {
      what += " (did you mean " + dashed + "()?)";
    }
    return Fail(name.column, what);
  }

  const std::vector<Token>& tokens_;
  std::vector<std::string>* refs_;
  size_t pos_ = 0;
  int nesting_ = 0;
  Status status_;
};

}  // namespace

Status ParseTree(std::string_view text, std::unique_ptr<const Node>* root,
                 std::vector<std::string>* refs) {
  std::vector<Token> tokens;
  Status s = Tokenize(text, &tokens);
  if (!s.ok()) return s;
  if (tokens.size() == 1) return ColumnError(1, "empty expression");
  Parser parser(tokens, refs);
  NodePtr tree = parser.Run();
  if (!tree) return parser.status();
  *root = std::move(tree);
  return Status::OK();
}

}  // namespace expr

Result<Expression> Expression::Parse(std::string_view text) {
  try {
    Expression e;
    std::unique_ptr<const Node> root;
    Status s = expr::ParseTree(text, &root, &e.refs_);
    if (!s.ok()) return s;
    e.text_ = std::string(text);
    e.root_ = std::move(root);
    return e;
  } catch (const std::exception& e) {  // std::bad_alloc; nothing else is thrown
    return expr::ColumnError(1, std::string("cannot parse: ") + e.what());
  }
}

}  // namespace sotay
