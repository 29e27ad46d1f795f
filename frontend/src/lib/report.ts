/**
 * HOOK(report): reporting a member or a room is built in another branch
 * (`ui/ReportSheet.tsx`, props `{userId?, roomId?}`). The room screen already calls
 * `onReport(target)` from its menus; after the merge, the room page renders
 * `<ReportSheet {...target} onClose=… />` for it (see `REPORTING` in pages/Room.tsx).
 * Until then the "Report" items are not shown.
 */
export interface ReportTarget {
  userId?: string;
  roomId?: string;
}

export type OnReport = (target: ReportTarget) => void;
