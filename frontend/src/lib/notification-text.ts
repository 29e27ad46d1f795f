import { reasonLabel } from "./admin";
import type { Notification } from "./api-types";

/**
 * What a notification says. Kinds the client words itself are made from the
 * notification's structured fields (a report's reason through the same labels as the
 * report form); the others use the server's text.
 */
export function notificationText(n: Notification, fallback: string): string {
  if (n.kind === "report_filed") return n.report ? `New report: ${reasonLabel(n.report.reason)}` : "New report";
  return n.text || fallback;
}
