// Terminal input: lines, passphrases without echo, and Ctrl-C that ends a read
// (so an interview can keep its draft) instead of killing the process.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <csignal>
#include <termios.h>
#include <unistd.h>
#endif

#include "shell.h"
#include "sotay/os.h"

namespace sotay::shell {

namespace {
#ifdef _WIN32
// One line typed at the console, in UTF-8, echoed or not; false when stdin is not a
// console (a pipe) or the input ended. Read as UTF-16 and converted: the console's
// narrow reads lose Vietnamese letters even with the UTF-8 code page, and a
// passphrase must be the same bytes as on Linux to open the same notebook.
bool ReadConsoleLine(bool echo, std::string& line) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  DWORD mode = 0;
  if (!GetConsoleMode(in, &mode)) return false;
  DWORD line_mode = mode | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT;
  if (echo) line_mode |= ENABLE_ECHO_INPUT;
  else line_mode &= ~static_cast<DWORD>(ENABLE_ECHO_INPUT);
  SetConsoleMode(in, line_mode);
  std::wstring wide;
  wchar_t buf[256];
  DWORD got = 0;
  bool ended = false;
  while (!ended) {
    if (!ReadConsoleW(in, buf, 256, &got, nullptr) || got == 0) break;
    wide.append(buf, got);
    ended = wide.back() == L'\n';
  }
  SetConsoleMode(in, mode);
  while (!wide.empty() && (wide.back() == L'\n' || wide.back() == L'\r')) wide.pop_back();
  line = WideToUtf8(wide);
  return ended || !line.empty();
}
#else
volatile std::sig_atomic_t g_interrupted = 0;
void OnInterrupt(int) { g_interrupted = 1; }

// Ctrl-C interrupts a blocking read (no SA_RESTART) rather than killing us.
void CatchInterrupt() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, nullptr);
}
#endif
}  // namespace

bool StdinIsTerminal() {
#ifdef _WIN32
  return _isatty(_fileno(stdin)) != 0;
#else
  return isatty(STDIN_FILENO) != 0;
#endif
}

bool ReadLine(std::string& line) {
  line.clear();
#ifdef _WIN32
  if (StdinIsTerminal()) return ReadConsoleLine(true, line);
  return static_cast<bool>(std::getline(std::cin, line));
#else
  CatchInterrupt();
  // Read byte by byte from fd 0 so that an interrupted read returns at once.
  for (;;) {
    char c = 0;
    ssize_t n = read(STDIN_FILENO, &c, 1);
    if (n == 1) {
      if (c == '\n') break;
      line += c;
      continue;
    }
    if (n == 0) return !line.empty();  // end of input
    if (g_interrupted) return false;
    if (errno == EINTR) continue;
    return false;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return !g_interrupted;
#endif
}

namespace {

std::string ReadHidden() {
  std::string line;
#ifdef _WIN32
  if (!ReadConsoleLine(false, line)) std::getline(std::cin, line);  // a pipe: nothing echoes
#else
  termios old {};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ReadLine(line);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
#endif
  std::cerr << "\n";
  return line;
}

}  // namespace

bool PassphraseFromEnvironment() { return GetEnvUtf8("SOTAY_PASSPHRASE").has_value(); }

std::string AskPassphrase(const Context& ctx, const char* prompt_vi, const char* prompt_en, bool confirm) {
  if (auto env = GetEnvUtf8("SOTAY_PASSPHRASE")) return *env;
  if (!StdinIsTerminal()) {
    std::cerr << Tr(ctx, "Không có bàn phím để hỏi mật khẩu: hãy chạy trong cửa sổ dòng lệnh, "
                         "hoặc đặt biến môi trường SOTAY_PASSPHRASE (xem README về rủi ro).\n",
                    "No terminal to ask for the passphrase: run in a terminal, or set "
                    "SOTAY_PASSPHRASE (see the README for the risk).\n");
    return "";
  }
  std::cerr << Tr(ctx, prompt_vi, prompt_en) << ": " << std::flush;
  std::string first = ReadHidden();
  if (!confirm) return first;
  std::cerr << Tr(ctx, "Nhập lại mật khẩu", "Repeat the passphrase") << ": " << std::flush;
  std::string second = ReadHidden();
  if (first != second) {
    std::cerr << Tr(ctx, "Hai lần nhập không khớp.\n", "The two entries differ.\n");
    return "";
  }
  return first;
}

std::string FormatTime(int64_t ms) {
  if (ms <= 0) return "-";
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm {};
#ifdef _WIN32
  localtime_s(&tm, &t);
#else
  localtime_r(&t, &tm);
#endif
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

// The last 8 characters: random in every id, where the first ones of a version 7
// id are the time it was made, shared by everything made within a minute.
std::string ShortId(const std::string& id) { return id.size() > 8 ? id.substr(id.size() - 8) : id; }

}  // namespace sotay::shell
