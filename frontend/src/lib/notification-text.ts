import { reasonLabel } from "./admin";
import type { Notification } from "./api-types";

/**
 * What a notification says. Kinds the client words itself are made from the
 * notification's structured fields (a report's reason through the same labels as the
 * report form); the others use the server's text.
 */
export function notificationText(n: Notification, fallback: string): string {
  const club = n.club?.name || "a club";
  const who = n.actor ? n.actor.display_name || n.actor.username : "Someone";
  switch (n.kind) {
    case "report_filed":
      return n.report ? `New report: ${reasonLabel(n.report.reason)}` : "New report";
    case "club_request":
      return `${who} asked to join ${club}`;
    case "club_request_accepted":
      return `You're now a member of ${club}`;
    case "club_request_declined":
      return `Your request to join ${club} was declined`;
    default:
      return n.text || fallback;
  }
}
