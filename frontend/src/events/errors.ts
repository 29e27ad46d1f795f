import type { ErrorTexts } from "../lib/problem";

/** What a member reads when an event action is refused (docs/API-SOCIAL.md, "Events"). */
export const EVENT_ERRORS: ErrorTexts = {
  event_in_past: "That time has already passed. Pick a time in the future.",
  invalid_time_zone: "The server doesn't know your time zone. Set your device's time zone and try again.",
  not_club_admin: "Only the club's admins can schedule its rooms.",
  not_host: "Only the host and co-hosts can do that.",
  event_started: "This room has already started.",
  event_cancelled: "This event was cancelled.",
};
