/** Shapes and calls of docs/API-ADMIN.md: reports, audit logs, instance administration. */
import { query, request, seg } from "./api";
import type { User } from "./types";

export type ReportReason = "harassment" | "hate" | "spam" | "impersonation" | "self_harm" | "other";

export const REPORT_REASONS: { value: ReportReason; label: string }[] = [
  { value: "harassment", label: "Harassment or bullying" },
  { value: "hate", label: "Hate" },
  { value: "spam", label: "Spam" },
  { value: "impersonation", label: "Pretending to be someone else" },
  { value: "self_harm", label: "Self-harm" },
  { value: "other", label: "Something else" },
];

export interface AdminMember extends User {
  is_admin: boolean;
  suspended_at: string | null;
  joined_at: string;
  invited_by: User | null;
}

export interface TreeNode {
  member: User & { is_admin: boolean; suspended: boolean };
  unused_invites: number;
  children: TreeNode[];
}

export type InviteStatus = "all" | "unused" | "used" | "expired" | "revoked";

export interface AdminInvite {
  id: string;
  status: Exclude<InviteStatus, "all">;
  created_at: string;
  expires_at: string;
  created_by: User | null;
  used_by: User | null;
  used_at: string | null;
  revoked_at: string | null;
}

export interface Report {
  id: string;
  status: "open" | "resolved";
  reason: ReportReason;
  details: string;
  reporter: User | null;
  user: User | null;
  room: { id: string; title: string; live: boolean } | null;
  context: {
    at?: string;
    room?: { id: string; title: string | null } | null;
    reporter_role?: string | null;
    target_role?: string | null;
  };
  created_at: string;
  resolved_at: string | null;
  resolved_by: User | null;
  resolution: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  actor: User | null;
  target: User | null;
  room: { id: string; title: string } | null;
  detail: Record<string, string | number | boolean>;
}

export type Paged<K extends string, T> = { [key in K]: T[] } & { next_cursor: string | null };

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
