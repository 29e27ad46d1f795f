/** What the room's menus ask to report: a member (in this room) or the room itself. */
export interface ReportTarget {
  userId?: string;
  roomId?: string;
  /** What is reported, as the member sees it ("@ada", "this room"). */
  name: string;
}

export type OnReport = (target: ReportTarget) => void;
