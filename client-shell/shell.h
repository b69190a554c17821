// The `sotay` shell: shared pieces of the commands.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sotay/attachment_upload.h"
#include "sotay/notebook.h"
#include "sotay/status.h"
#include "sotay/sync_run.h"

namespace sotay::shell {

// Exit codes (README.md, "Exit codes").
enum Exit : int {
  kOk = 0,
  kFailed = 1,        // I/O or another failure
  kUsage = 2,         // the command line is wrong
  kPassphrase = 3,    // the passphrase does not open the store
  kInvalid = 4,       // answers or a form file did not pass validation
  kNotFound = 5,      // no such record, form, draft or store
  kTampered = 6,      // the store or a row failed authentication
  kNotAllowed = 7,    // not in this state (e.g. editing a voided record)
  kDraftSaved = 8,    // the interview was interrupted and kept as a draft
  kRefused = 9,       // the sync finished but the server refused some edits (sotay rejected)
};

struct Context {
  std::string lang = "vi";
  std::string store_path;
  std::vector<std::string> args;  // after the command name
};

// The text in the shell's language.
const char* Tr(const Context& ctx, const char* vi, const char* en);

// Prints a Status to stderr in the shell's words and returns its exit code.
int Fail(const Context& ctx, const Status& s);
int ExitCodeOf(const Status& s);

// The passphrase: SOTAY_PASSPHRASE if set, else asked on the terminal without echo.
// `confirm` asks twice. Empty result: none could be had (the reason is printed).
std::string AskPassphrase(const Context& ctx, const char* prompt_vi, const char* prompt_en, bool confirm);
bool PassphraseFromEnvironment();

// Opens the notebook, asking the passphrase (three tries, slower each time, when a
// person is typing). Prints the reason and returns nullptr on failure; `exit_code`
// then says why.
std::unique_ptr<Notebook> OpenNotebook(const Context& ctx, int& exit_code);
// The wait after the `wrong_tries`-th wrong passphrase in a row (OpenNotebook's, and
// `sotay ui`'s unlock page): longer each time.
void WaitAfterWrongPassphrase(int wrong_tries);

// Reads one line from stdin; false at end of input or on Ctrl-C.
bool ReadLine(std::string& line);
bool StdinIsTerminal();

std::string FormatTime(int64_t ms);  // local "YYYY-MM-DD HH:MM"
std::string ShortId(const std::string& id);

// The commune a new top-level record goes to (Notebook::CommuneForNewRecord): `given`
// (--commune) checked against the communes the user may edit; when none is given and
// the device's area is not a commune, asked (`may_ask`) or refused naming --commune.
// "" with exit_code kOk: the device's own commune. Otherwise the reason is printed
// and exit_code says why.
std::string ChooseCommune(const Context& ctx, const Notebook& nb, const std::string& given, bool may_ask,
                          int& exit_code);

// The interactive `sotay edit ID`: every relevant question again, answers offered.
int EditInteractively(Context& ctx, Notebook& nb, const RecordView& view);

// One whole sync with the server the notebook is enrolled with, over httplib:
// the edits (RunSync, `progress` after each exchange), then, once they went
// through, the files waiting (UploadAttachments), so records never wait behind a
// photo. `sotay sync` and `sotay ui` both. FailedPrecondition when the device is
// not enrolled; a failed run is in SyncRun::status or UploadRun::status.
// `files_progress` is called once as the files begin (nothing sent yet), then after
// each acknowledged chunk (`sotay ui` shows the phase).
struct ServerSync {
  SyncRun edits;
  std::optional<UploadRun> files;  // none when the edits did not go through
};
Result<ServerSync> SyncWithServer(Notebook& nb, const std::function<void(const SyncRun&)>& progress,
                                  const std::function<void(const UploadRun&)>& files_progress = {});

// Another device's file, fetched from the server the notebook is enrolled with and
// sealed into the notebook chunk by chunk (sotay/attachment_fetch.h): only when the
// worker asks (`sotay attachment get`, a download in `sotay ui`), never by a sync. A
// cut keeps the chunks fetched (`chunks_fetched`) and resumes after them next time.
Status FetchFileFromServer(Notebook& nb, const AttachmentRef& ref, int64_t* chunks_fetched = nullptr);

// The values a person may pick to settle the conflict on `field`, numbered from 1
// as `sotay conflicts` shows them (cmd_conflicts.cc): the competing values, newest
// first; for the record's status always void, then active.
struct ConflictChoice {
  std::string value;
  std::vector<const Head*> by;  // the heads that hold it
};
std::vector<ConflictChoice> ConflictChoices(const RecordState& state, const std::string& field);

// Commands.
int CmdInit(Context& ctx);
int CmdPasswd(Context& ctx);
int CmdForms(Context& ctx);
int CmdNew(Context& ctx);
int CmdResume(Context& ctx);
int CmdDrafts(Context& ctx);
int CmdList(Context& ctx);
int CmdShow(Context& ctx);
int CmdEdit(Context& ctx);
int CmdVoid(Context& ctx, bool restore);
int CmdHistory(Context& ctx);
int CmdConflicts(Context& ctx);
int CmdResolve(Context& ctx);
int CmdStatus(Context& ctx);
int CmdReport(Context& ctx);
int CmdImport(Context& ctx);
int CmdEnroll(Context& ctx);
int CmdSync(Context& ctx);
int CmdRejected(Context& ctx);
int CmdTransfer(Context& ctx);
int CmdUi(Context& ctx);  // client-shell/ui/
int CmdAttach(Context& ctx);
int CmdAttachment(Context& ctx);

}  // namespace sotay::shell
