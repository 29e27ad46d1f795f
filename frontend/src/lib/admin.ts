/** Shapes and calls of docs/API-ADMIN.md: reports, audit logs, instance administration. */
import { query, request, seg } from "./api";
import type {
  AdminInvitePage,
  AdminMember,
  AdminMemberPage,
  AuditPage,
  InviteStatus,
  Report,
  ReportBody,
  ReportPage,
  ReportReason,
  ResetLink,
  RevokedBranch,
  RevokedInvite,
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

/** The reason of a report as a member reads it. */
export function reasonLabel(reason: string): string {
  return REPORT_REASONS.find((r) => r.value === reason)?.label ?? "Something else";
}

export const adminApi = {
  report: (body: ReportBody) =>
    request<Report>("POST", "/reports", body),
  roomAudit: (roomId: string, cursor?: string | null) =>
    request<AuditPage>("GET", `/rooms/${seg(roomId)}/audit${query({ cursor })}`),

  members: (q: string, status: string, cursor?: string | null) =>
    request<AdminMemberPage>("GET", `/admin/members${query({ query: q, status, cursor })}`),
  grantAdmin: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/grant-admin`),
  revokeAdmin: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/revoke-admin`),
  suspend: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/suspend`),
  unsuspend: (username: string) => request<AdminMember>("POST", `/admin/members/${seg(username)}/unsuspend`),
  giveInvites: (username: string, count: number) =>
    request<AdminMember>("POST", `/admin/members/${seg(username)}/invites`, { count }),
  resetLink: (username: string) => request<ResetLink>("POST", `/admin/members/${seg(username)}/reset-link`),
  tree: (username: string) => request<TreeNode>("GET", `/admin/members/${seg(username)}/tree`),
  revokeBranch: (username: string) =>
    request<RevokedBranch>("POST", `/admin/members/${seg(username)}/revoke-branch`),
  invites: (status: InviteStatus, cursor?: string | null) =>
    request<AdminInvitePage>("GET", `/admin/invites${query({ status, cursor })}`),
  revokeInvite: (id: string) => request<RevokedInvite>("POST", `/admin/invites/${seg(id)}/revoke`),
  reports: (status: "open" | "resolved", cursor?: string | null) =>
    request<ReportPage>("GET", `/admin/reports${query({ status, cursor })}`),
  resolve: (id: string, resolution: string) =>
    request<Report>("POST", `/admin/reports/${seg(id)}/resolve`, { resolution }),
  endRoom: (roomId: string) => request<void>("POST", `/admin/rooms/${seg(roomId)}/end`),
  audit: (cursor?: string | null) => request<AuditPage>("GET", `/admin/audit${query({ cursor })}`),
};
