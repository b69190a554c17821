// sotay/os.h: UTF-8 arguments, environment, console and paths; the notebook's folder.
#include "sotay/os.h"

#include <cstdlib>

#ifdef _WIN32
#include <windows.h>
#include <shellapi.h>
#endif

namespace sotay {

std::filesystem::path PathFromUtf8(const std::string& utf8) { return std::filesystem::u8path(utf8); }

std::string PathToUtf8(const std::filesystem::path& path) { return path.u8string(); }

#ifdef _WIN32

std::string WideToUtf8(const std::wstring& wide) {
  if (wide.empty()) return "";
  const int length = static_cast<int>(wide.size());
  const int n = WideCharToMultiByte(CP_UTF8, 0, wide.data(), length, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<size_t>(n > 0 ? n : 0), '\0');
  if (n > 0) WideCharToMultiByte(CP_UTF8, 0, wide.data(), length, out.data(), n, nullptr, nullptr);
  return out;
}

std::wstring Utf8ToWide(const std::string& utf8) {
  if (utf8.empty()) return L"";
  const int size = static_cast<int>(utf8.size());
  const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, nullptr, 0);
  std::wstring out(static_cast<size_t>(n > 0 ? n : 0), L'\0');
  if (n > 0) MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, out.data(), n);
  return out;
}

std::vector<std::string> Utf8Args(int argc, char** argv) {
  int n = 0;
  wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &n);
  if (wide == nullptr) return std::vector<std::string>(argv, argv + argc);
  std::vector<std::string> args;
  for (int i = 0; i < n; ++i) args.push_back(WideToUtf8(wide[i]));
  LocalFree(wide);
  return args;
}

std::optional<std::string> GetEnvUtf8(const char* name) {
  const std::wstring wide_name = Utf8ToWide(name);
  const wchar_t* value = _wgetenv(wide_name.c_str());
  if (value == nullptr || *value == L'\0') return std::nullopt;
  return WideToUtf8(value);
}

void UseUtf8Console() {
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCP(CP_UTF8);
}

std::string DefaultDataDir() {
  if (auto local = GetEnvUtf8("LOCALAPPDATA")) return *local + "\\sotay";
  if (auto profile = GetEnvUtf8("USERPROFILE")) return *profile + "\\AppData\\Local\\sotay";
  return "sotay";
}

#else

std::vector<std::string> Utf8Args(int argc, char** argv) { return std::vector<std::string>(argv, argv + argc); }

std::optional<std::string> GetEnvUtf8(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

void UseUtf8Console() {}

std::string DefaultDataDir() {
  const auto home = GetEnvUtf8("HOME");
  return (home ? *home : std::string(".")) + "/.sotay";
}

#endif

}  // namespace sotay
