// What a program on the device needs of its operating system, the same on Linux and
// Windows: the command line, the environment and file names in UTF-8, a console that
// shows Vietnamese, and the folder where the notebook lives. On Linux these are the
// plain calls; on Windows the narrow ones use the ANSI code page, which has no
// Vietnamese, so these go through the wide (UTF-16) API instead.
//
// Thread-safety: call UseUtf8Console() and Utf8Args() from main before starting a
// thread; the other functions are safe from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sotay/status.h"

namespace sotay {

// The program's arguments in UTF-8 (argv[0] first). Windows: from GetCommandLineW,
// since `argv` there is in the ANSI code page.
std::vector<std::string> Utf8Args(int argc, char** argv);
// An environment variable in UTF-8; nullopt when it is unset or empty.
std::optional<std::string> GetEnvUtf8(const char* name);
// Makes the console show UTF-8 output as text and read typed text as UTF-8
// (Windows: SetConsoleOutputCP/SetConsoleCP(CP_UTF8); elsewhere nothing to do).
void UseUtf8Console();
// The folder for the worker's notebook when SOTAY_HOME does not name one:
// ~/.sotay on Linux, %LOCALAPPDATA%\sotay on Windows (not roamed to other PCs).
std::string DefaultDataDir();
// Makes the existing folder `dir` readable by its owner alone, and what is made in it
// later too: mode 0700 on Linux; on Windows a protected DACL for this user that new
// files inherit (SQLite's -wal and -shm beside the notebook). Done by `sotay init`
// for the folder it creates (platform/file_mode.cc).
Status MakeOwnerOnlyFolder(const std::string& dir);
// A UTF-8 file name as a path std::filesystem and the file streams open correctly
// (a plain std::string is read in the ANSI code page on Windows).
std::filesystem::path PathFromUtf8(const std::string& utf8);
// A path back to UTF-8, for messages and for SQLite (which takes UTF-8 names).
std::string PathToUtf8(const std::filesystem::path& path);

#ifdef _WIN32
// UTF-8 to and from the UTF-16 of Windows' wide API (invalid input is replaced).
std::wstring Utf8ToWide(const std::string& utf8);
std::string WideToUtf8(const std::wstring& wide);
#endif

}  // namespace sotay
