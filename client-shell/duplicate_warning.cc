// The profiles a new one resembles (duplicate_warning.h), found by the one matching
// rule of sotay/duplicates.h over the notebook's identity facts.
#include "duplicate_warning.h"

#include <ostream>

#include "sotay/register.h"
#include "sotay/text.h"
#include "sotay/validate.h"

namespace sotay::shell {

Result<std::vector<ProfileMatch>> MatchingProfiles(const Context& ctx, Notebook& nb, const Form& form,
                                                   const Answers& answers) {
  std::vector<ProfileMatch> out;
  if (!IsRegisterForm(form)) return out;
  // Compared as they would be stored: a date typed "21/03/2015" is 2015-03-21.
  Checked checked = CheckAnswers(form, answers, nb.MakeEnv(ctx.lang));
  if (!checked.ok()) return out;
  auto existing = nb.IdentityFacts(form.id);
  if (!existing.ok()) return existing.status().Annotate("look for the same child in the notebook");
  const auto matches =
      MatchNewProfiles(*existing, {ProfileFromAnswers("", checked.answers)}, DuplicateReason::kSameNameAndBirth);
  for (const DuplicateMatch& m : matches.front()) {
    const DuplicateProfile& p = (*existing)[m.other];
    out.push_back(ProfileMatch{p.id, p.full_name, m.reason});
  }
  return out;
}

void PrintProfileMatches(const Context& ctx, const std::vector<ProfileMatch>& matches, std::ostream& out) {
  for (const ProfileMatch& m : matches) {
    out << "  " << m.id << "  " << EscapeForTerminal(m.name) << ": " << DuplicateReasonLabel(m.reason, ctx.lang)
        << "\n";
  }
}

}  // namespace sotay::shell
