// regex()'s matcher (expr_regex.h): the pattern's parser, its compiler to a program,
// and the NFA that runs it. One file over 400 lines on purpose: the three share the
// parse tree and program types, which no other file should see.
#include "expr_regex.h"

#include <memory>
#include <utility>

namespace sotay::expr {

namespace {

using Range = Regex::Range;
using Inst = Regex::Inst;

constexpr int kMaxCount = 1000;
constexpr int kUnbounded = -1;

// The next code point of `s` at `*i`; a byte that does not start valid UTF-8 is
// read as U+FFFD, so it matches `.` and no letter.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(*i);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((b(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(*i + k) & 0x3F);
  }
  *i += len;
  return cp;
}

bool IsWordChar(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsLineTerminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

const std::vector<Range>& DigitRanges() {
  static const std::vector<Range> r = {{'0', '9'}};
  return r;
}
const std::vector<Range>& WordRanges() {
  static const std::vector<Range> r = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
  return r;
}
const std::vector<Range>& SpaceRanges() {
  static const std::vector<Range> r = {{'\t', '\r'},     {' ', ' '},       {0xA0, 0xA0},     {0x1680, 0x1680},
                                       {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F},
                                       {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
  return r;
}

// Everything not in `in` (sorted, not overlapping).
std::vector<Range> Complement(const std::vector<Range>& in) {
  std::vector<Range> out;
  char32_t next = 0;
  for (const Range& r : in) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    next = r.hi + 1;
  }
  if (next <= 0x10FFFF) out.push_back({next, 0x10FFFF});
  return out;
}

bool InRanges(const std::vector<Range>& ranges, char32_t c) {
  for (const Range& r : ranges) {
    if (c >= r.lo && c <= r.hi) return true;
  }
  return false;
}

// The parsed pattern.
struct Node {
  enum Kind { kEmpty, kChar, kAny, kAssert, kConcat, kAlt, kRepeat } kind = kEmpty;
  Inst::Op assertion = Inst::kBegin;
  bool negated = false;
  std::vector<Range> ranges;
  std::vector<std::unique_ptr<Node>> kids;
  int min = 0, max = 0;  // kRepeat; max kUnbounded for no limit
};
using NodePtr = std::unique_ptr<Node>;

NodePtr Leaf(Node::Kind kind) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  return n;
}

NodePtr CharNode(std::vector<Range> ranges, bool negated = false) {
  NodePtr n = Leaf(Node::kChar);
  n->ranges = std::move(ranges);
  n->negated = negated;
  return n;
}

struct Failure {
  std::string why;
};

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  NodePtr Parse() {
    NodePtr n = Alternation();
    if (i_ < p_.size()) throw Failure{"a ')' without its '('"};
    return n;
  }

 private:
  bool AtEnd() const { return i_ >= p_.size(); }
  char Peek() const { return p_[i_]; }

  NodePtr Alternation() {
    NodePtr first = Concatenation();
    if (AtEnd() || Peek() != '|') return first;
    NodePtr alt = Leaf(Node::kAlt);
    alt->kids.push_back(std::move(first));
    while (!AtEnd() && Peek() == '|') {
      ++i_;
      alt->kids.push_back(Concatenation());
    }
    return alt;
  }

  NodePtr Concatenation() {
    NodePtr cat = Leaf(Node::kConcat);
    while (!AtEnd() && Peek() != '|' && Peek() != ')') cat->kids.push_back(Repetition());
    return cat;
  }

  NodePtr Repetition() {
    NodePtr atom = Atom();
    int min = 0, max = 0;
    if (!Quantifier(&min, &max)) return atom;
    if (atom->kind == Node::kAssert) throw Failure{"nothing to repeat"};
    if (!AtEnd() && Peek() == '?') ++i_;  // lazy: the same answer to "does it match"
    int again_min = 0, again_max = 0;
    if (Quantifier(&again_min, &again_max)) throw Failure{"nothing to repeat"};
    NodePtr rep = Leaf(Node::kRepeat);
    rep->min = min;
    rep->max = max;
    rep->kids.push_back(std::move(atom));
    return rep;
  }

  // A quantifier at the cursor: consumed, with its bounds. A '{' that does not start
  // one is a literal (as in browsers' ECMAScript).
  bool Quantifier(int* min, int* max) {
    if (AtEnd()) return false;
    switch (Peek()) {
      case '*': ++i_, *min = 0, *max = kUnbounded; return true;
      case '+': ++i_, *min = 1, *max = kUnbounded; return true;
      case '?': ++i_, *min = 0, *max = 1; return true;
      case '{': break;
      default: return false;
    }
    size_t j = i_ + 1;
    int lo = 0, hi = 0;
    if (!Count(&j, &lo)) return false;
    hi = lo;
    if (j < p_.size() && p_[j] == ',') {
      ++j;
      hi = kUnbounded;
      if (j < p_.size() && p_[j] >= '0' && p_[j] <= '9' && !Count(&j, &hi)) return false;
    }
    if (j >= p_.size() || p_[j] != '}') return false;
    if (hi != kUnbounded && hi < lo) throw Failure{"a count range out of order"};
    i_ = j + 1;
    *min = lo;
    *max = hi;
    return true;
  }

  bool Count(size_t* j, int* value) {
    const size_t start = *j;
    long long v = 0;
    while (*j < p_.size() && p_[*j] >= '0' && p_[*j] <= '9') {
      v = v * 10 + (p_[*j] - '0');
      if (v > kMaxCount) throw Failure{"a count above 1000"};
      ++*j;
    }
    *value = static_cast<int>(v);
    return *j > start;
  }

  NodePtr Atom() {
    const char c = Peek();
    switch (c) {
      case '(': return Group();
      case '[': return Class();
      case '.': ++i_; return Leaf(Node::kAny);
      case '^': ++i_; return Assertion(Inst::kBegin);
      case '$': ++i_; return Assertion(Inst::kEnd);
      case '*':
      case '+':
      case '?': throw Failure{"nothing to repeat"};
      case '{': {
        int min = 0, max = 0;
        if (Quantifier(&min, &max)) throw Failure{"nothing to repeat"};
        ++i_;
        return CharNode({{'{', '{'}});
      }
      case '\\': return Escape();
      default: {
        const char32_t cp = NextCodePoint(p_, &i_);
        return CharNode({{cp, cp}});
      }
    }
  }

  NodePtr Assertion(Inst::Op op) {
    NodePtr n = Leaf(Node::kAssert);
    n->assertion = op;
    return n;
  }

  NodePtr Group() {
    ++i_;  // '('
    if (p_.compare(i_, 2, "?:") == 0) {
      i_ += 2;
    } else if (p_.compare(i_, 2, "?=") == 0 || p_.compare(i_, 2, "?!") == 0 || p_.compare(i_, 2, "?<") == 0) {
      throw Failure{"lookahead and lookbehind are not supported"};
    } else if (!AtEnd() && Peek() == '?') {
      throw Failure{"flags such as (?i) are not supported"};
    }
    if (++depth_ > 100) throw Failure{"groups nested too deep"};
    NodePtr inner = Alternation();
    --depth_;
    if (AtEnd() || Peek() != ')') throw Failure{"a '(' without its ')'"};
    ++i_;
    return inner;
  }

  // After a '\': a class (\d...), an assertion (\b, \B) or one character.
  NodePtr Escape() {
    ++i_;
    if (AtEnd()) throw Failure{"a '\\' at the end"};
    const char c = Peek();
    switch (c) {
      case 'd': ++i_; return CharNode(DigitRanges());
      case 'D': ++i_; return CharNode(DigitRanges(), true);
      case 'w': ++i_; return CharNode(WordRanges());
      case 'W': ++i_; return CharNode(WordRanges(), true);
      case 's': ++i_; return CharNode(SpaceRanges());
      case 'S': ++i_; return CharNode(SpaceRanges(), true);
      case 'b': ++i_; return Assertion(Inst::kWordBoundary);
      case 'B': ++i_; return Assertion(Inst::kNotWordBoundary);
      default: {
        const char32_t cp = EscapedChar();
        return CharNode({{cp, cp}});
      }
    }
  }

  // The character an escape stands for, the cursor after the '\'.
  char32_t EscapedChar() {
    const char c = Peek();
    if (c >= '1' && c <= '9') throw Failure{"back-references are not supported"};
    switch (c) {
      case 't': ++i_; return '\t';
      case 'n': ++i_; return '\n';
      case 'r': ++i_; return '\r';
      case 'f': ++i_; return '\f';
      case 'v': ++i_; return '\v';
      case '0': ++i_; return 0;
      case 'x': ++i_; return Hex(2);
      case 'u': ++i_; return Hex(4);
      default: break;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) throw Failure{"an unknown escape"};
    return NextCodePoint(p_, &i_);  // escaped punctuation or any other character: itself
  }

  char32_t Hex(int digits) {
    char32_t v = 0;
    for (int k = 0; k < digits; ++k, ++i_) {
      if (AtEnd()) throw Failure{"an escape cut short"};
      const char h = Peek();
      const int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (d < 0) throw Failure{"an escape with a character that is not hexadecimal"};
      v = v * 16 + static_cast<char32_t>(d);
    }
    return v;
  }

  NodePtr Class() {
    ++i_;  // '['
    bool negated = false;
    if (!AtEnd() && Peek() == '^') {
      negated = true;
      ++i_;
    }
    std::vector<Range> ranges;
    while (true) {
      if (AtEnd()) throw Failure{"a '[' without its ']'"};
      if (Peek() == ']') break;
      // std::regex read [[:digit:]] as a POSIX class, Java as something else: said
      // rather than silently changed.
      if (p_.compare(i_, 2, "[:") == 0) throw Failure{"POSIX classes such as [:digit:] are not supported: use \\d"};
      std::vector<Range> set;
      const bool single = ClassItem(&set);
      if (single && i_ + 1 < p_.size() && Peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;  // a range: lo-hi
        std::vector<Range> end;
        if (!ClassItem(&end)) throw Failure{"a range in [...] that ends in a class"};
        if (end[0].lo < set[0].lo) throw Failure{"a range out of order in [...]"};
        set[0].hi = end[0].lo;
      }
      ranges.insert(ranges.end(), set.begin(), set.end());
    }
    ++i_;  // ']'
    return CharNode(std::move(ranges), negated);
  }

  // One item of a class into *out: true when it is a single character.
  bool ClassItem(std::vector<Range>* out) {
    if (Peek() != '\\') {
      const char32_t cp = NextCodePoint(p_, &i_);
      out->push_back({cp, cp});
      return true;
    }
    ++i_;
    if (AtEnd()) throw Failure{"a '\\' at the end"};
    const char c = Peek();
    const std::vector<Range>* cls = c == 'd' || c == 'D' ? &DigitRanges()
                                    : c == 'w' || c == 'W' ? &WordRanges()
                                    : c == 's' || c == 'S' ? &SpaceRanges()
                                                           : nullptr;
    if (cls != nullptr) {
      ++i_;
      const std::vector<Range> add = (c >= 'A' && c <= 'Z') ? Complement(*cls) : *cls;
      out->insert(out->end(), add.begin(), add.end());
      return false;
    }
    char32_t cp;
    if (c == 'b') {  // in a class, \b is a backspace
      ++i_;
      cp = '\b';
    } else if (c == '-') {
      ++i_;
      cp = '-';
    } else {
      cp = EscapedChar();
    }
    out->push_back({cp, cp});
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
  int depth_ = 0;
};

class Emitter {
 public:
  explicit Emitter(std::vector<Inst>* prog) : prog_(prog) {}

  void Emit(const Node& n) {
    switch (n.kind) {
      case Node::kEmpty: return;
      case Node::kChar: {
        Inst& in = Push(Inst::kChar);
        in.ranges = n.ranges;
        in.negated = n.negated;
        return;
      }
      case Node::kAny: Push(Inst::kAny); return;
      case Node::kAssert: Push(n.assertion); return;
      case Node::kConcat:
        for (const NodePtr& k : n.kids) Emit(*k);
        return;
      case Node::kAlt: {
        std::vector<size_t> to_end;
        for (size_t k = 0; k + 1 < n.kids.size(); ++k) {
          const size_t split = Size();
          Push(Inst::kSplit).x = static_cast<uint32_t>(split + 1);
          Emit(*n.kids[k]);
          to_end.push_back(Size());
          Push(Inst::kJmp);
          (*prog_)[split].y = Here();
        }
        Emit(*n.kids.back());
        for (size_t j : to_end) (*prog_)[j].x = Here();
        return;
      }
      case Node::kRepeat: {
        for (int k = 0; k < n.min; ++k) Emit(*n.kids[0]);
        if (n.max == kUnbounded) {
          const size_t split = Size();
          Push(Inst::kSplit).x = static_cast<uint32_t>(split + 1);
          Emit(*n.kids[0]);
          Push(Inst::kJmp).x = static_cast<uint32_t>(split);
          (*prog_)[split].y = Here();
          return;
        }
        std::vector<size_t> skips;  // each optional copy may be skipped, and the rest with it
        for (int k = n.min; k < n.max; ++k) {
          skips.push_back(Size());
          Push(Inst::kSplit).x = static_cast<uint32_t>(skips.back() + 1);
          Emit(*n.kids[0]);
        }
        for (size_t s : skips) (*prog_)[s].y = Here();
        return;
      }
    }
  }

 private:
  size_t Size() const { return prog_->size(); }
  uint32_t Here() const { return static_cast<uint32_t>(prog_->size()); }
  Inst& Push(Inst::Op op) {
    if (prog_->size() >= Regex::kMaxInstructions) throw Failure{"the pattern is too large"};
    prog_->emplace_back();
    prog_->back().op = op;
    return prog_->back();
  }

  std::vector<Inst>* prog_;
};

}  // namespace

Result<Regex> Regex::Compile(std::string_view pattern) {
  try {
    NodePtr tree = Parser(pattern).Parse();
    Regex re;
    Emitter(&re.prog_).Emit(*tree);
    re.prog_.emplace_back();  // kMatch
    if (re.prog_.size() > kMaxInstructions) throw Failure{"the pattern is too large"};
    return re;
  } catch (const Failure& f) {
    return Status::InvalidArgument("invalid pattern (" + f.why + ")");
  }
}

bool Regex::Search(std::string_view text) const {
  std::vector<char32_t> cps;
  cps.reserve(text.size());
  for (size_t i = 0; i < text.size();) cps.push_back(NextCodePoint(text, &i));
  const size_t n = cps.size();

  // The states live at each position, each added once (`mark` holds the position + 1
  // it was last added at), following jumps, splits and assertions.
  std::vector<size_t> mark(prog_.size(), 0);
  std::vector<uint32_t> current, next, stack;
  auto add = [&](std::vector<uint32_t>& list, uint32_t start, size_t pos) {
    stack.push_back(start);
    while (!stack.empty()) {
      const uint32_t pc = stack.back();
      stack.pop_back();
      if (mark[pc] == pos + 1) continue;
      mark[pc] = pos + 1;
      const Inst& in = prog_[pc];
      const bool word_before = pos > 0 && IsWordChar(cps[pos - 1]);
      const bool word_after = pos < n && IsWordChar(cps[pos]);
      switch (in.op) {
        case Inst::kJmp: stack.push_back(in.x); break;
        case Inst::kSplit:
          stack.push_back(in.y);
          stack.push_back(in.x);
          break;
        case Inst::kBegin:
          if (pos == 0) stack.push_back(pc + 1);
          break;
        case Inst::kEnd:
          if (pos == n) stack.push_back(pc + 1);
          break;
        case Inst::kWordBoundary:
          if (word_before != word_after) stack.push_back(pc + 1);
          break;
        case Inst::kNotWordBoundary:
          if (word_before == word_after) stack.push_back(pc + 1);
          break;
        default: list.push_back(pc);  // kChar, kAny, kMatch wait for the text
      }
    }
  };
  for (size_t pos = 0;; ++pos) {
    add(current, 0, pos);  // a match may start anywhere
    for (uint32_t pc : current) {
      if (prog_[pc].op == Inst::kMatch) return true;
    }
    if (pos == n) return false;
    const char32_t c = cps[pos];
    for (uint32_t pc : current) {
      const Inst& in = prog_[pc];
      const bool step = in.op == Inst::kAny ? !IsLineTerminator(c)
                        : in.op == Inst::kChar ? InRanges(in.ranges, c) != in.negated
                                               : false;
      if (step) add(next, pc + 1, pos + 1);
    }
    current.swap(next);
    next.clear();
  }
}

}  // namespace sotay::expr
