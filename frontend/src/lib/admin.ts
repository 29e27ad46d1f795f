/** Shapes and calls of docs/API-ADMIN.md: reports, audit logs, instance administration. */
import { query, request, seg } from "./api";
import type {
  AdminInvite,
  AdminMember,
  AuditEntry,
  InviteStatus,
  Paged,
  Report,
  ReportReason,
  TreeNode,
} from "./api-types";

export const REPORT_REASONS: { value: ReportReason; label: string }[] = [
  { value: "harassment", label: "Harassment or bullying" },
  { value: "hate", label: "Hate" },
  { value: "spam", label: "Spam" },
  { value: "impersonation", label: "Pretending to be someone else" },
  { value: "self_harm", label: "Self-harm" },
  { value: "other", label: "Something else" },
];

export const adminApi = {
  report: (body: { user_id?: string; room_id?: string; reason: ReportReason; details?: string }) =>
    request<Report>("POST", "/reports", body),
  roomAudit: (roomId: string, cursor?: string | null) =>
    request<Paged<"entries", AuditEntry>>("GET", `/rooms/${seg(roomId)}/audit${query({ cursor })}`),

  members: (q: string, status: string, cursor?: string | null) =>
    request<Paged<"members", AdminMember>>("GET", `/admin/members${query({ query: q, status, cursor })}`),
  grantAdmin: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/grant-admin`),
  revokeAdmin: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/revoke-admin`),
  suspend: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/suspend`),
  unsuspend: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/unsuspend`),
  tree: (username: string) => request<TreeNode>("GET", `/admin/members/${seg(username)}/tree`),
  revokeBranch: (username: string) =>
    request<{ revoked: number }>("POST", `/admin/members/${seg(username)}/revoke-branch`),
  invites: (status: InviteStatus, cursor?: string | null) =>
    request<Paged<"invites", AdminInvite>>("GET", `/admin/invites${query({ status, cursor })}`),
  revokeInvite: (id: string) => request<{ id: string; status: string }>("POST", `/admin/invites/${seg(id)}/revoke`),
  reports: (status: "open" | "resolved", cursor?: string | null) =>
    request<Paged<"reports", Report>>("GET", `/admin/reports${query({ status, cursor })}`),
  resolve: (id: string, resolution: string) =>
    request<Report>("POST", `/admin/reports/${seg(id)}/resolve`, { resolution }),
  endRoom: (roomId: string) => request<void>("POST", `/admin/rooms/${seg(roomId)}/end`),
  audit: (cursor?: string | null) => request<Paged<"entries", AuditEntry>>("GET", `/admin/audit${query({ cursor })}`),
};
