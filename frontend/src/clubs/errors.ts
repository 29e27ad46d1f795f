import type { ErrorTexts } from "../lib/problem";

/** What a member reads when a club action is refused (docs/API-SOCIAL.md, "Clubs"). */
export const CLUB_ERRORS: ErrorTexts = {
  club_name_taken: "There's already a club with that name. Try another.",
  not_club_admin: "Only the club's admins can do that.",
  already_member: "They're already a member.",
  user_not_found: "There's no member with that username.",
  not_member: "They need to be a member of the club first.",
  last_admin: "A club needs an admin. Make someone else an admin first.",
  not_invited: "That invitation is no longer open.",
  already_requested: "You've already asked to join. The club's admins will answer.",
  join_request_not_found: "That request has already been answered or withdrawn.",
};
