// Drafts: unfinished interviews on one device, sealed like records in the store's
// drafts table, so an interrupted interview leaves no answer in clear. A draft is
// the device's alone: it is never an edit, never synced, and saving one changes no
// record. The Notebook holds one (Notebook::drafts()); the shell's `new`, `resume`
// and `drafts` use it.
//
// Thread-safety: not thread-safe; it shares its SealedStore's thread (one per thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/env.h"
#include "sotay/sealed_store.h"
#include "sotay/status.h"
#include "sotay/validate.h"  // Answers

namespace sotay {

// An unfinished interview.
struct Draft {
  std::string id;
  std::string form;
  int version = 0;
  std::string parent;
  std::string record;               // set when the draft edits an existing record
  Answers answers;
  std::vector<size_t> trail;        // Interview::trail()
  int64_t updated_ms = 0;
};

class Drafts {
 public:
  // `store` and `env` must outlive this.
  Drafts(SealedStore& store, Env& env) : store_(store), env_(env) {}

  // Stores the draft whole, replacing the one with its id; assigns draft.id when
  // empty and stamps draft.updated_ms.
  Status Save(Draft& draft);
  // NotFound naming the id; Tampered or Corrupt when its row does not open or decode.
  Result<Draft> Get(const std::string& id);
  // Every draft, in id order; the first that fails to open or decode fails all.
  Result<std::vector<Draft>> List();
  // Removing a draft that is not there is not an error (an interview finished twice).
  Status Delete(const std::string& id);

 private:
  SealedStore& store_;
  Env& env_;
};

}  // namespace sotay
