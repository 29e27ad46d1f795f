import type { ComponentChildren } from "preact";
import type { User } from "../lib/api-types";
import { onLinkClick } from "../lib/router";
import { profileHref } from "../lib/routes";
import { Avatar } from "./Avatar";

/** A member in a list: avatar, name and @username (a link to the profile), and an action on the right. */
export function UserRow({
  user,
  children,
  note,
  testid = "user-row",
  link = true,
  role,
}: {
  user: User;
  children?: ComponentChildren;
  note?: ComponentChildren;
  testid?: string;
  link?: boolean;
  /** Shown as data-role (club members). */
  role?: string;
}) {
  const who = (
    <>
      <Avatar user={user} size={44} />
      <span class="user-row__text">
        <strong>{user.display_name || user.username}</strong>
        <small class="muted">
          @{user.username}
          {note ? <> · {note}</> : null}
        </small>
      </span>
    </>
  );
  return (
    <li class="user-row" data-testid={testid} data-user={user.username} data-role={role}>
      {link ? (
        <a class="user-row__who" href={profileHref(user.username)} onClick={onLinkClick}>
          {who}
        </a>
      ) : (
        <span class="user-row__who">{who}</span>
      )}
      {children}
    </li>
  );
}

export function LoadMore({ onClick, busy, label = "Load more" }: { onClick: () => void; busy: boolean; label?: string }) {
  return (
    <button type="button" class="button button--secondary button--block load-more" onClick={onClick} disabled={busy} data-testid="load-more">
      {busy ? "Loading…" : label}
    </button>
  );
}

/** A whole-screen message: nothing found, or something failed to load. */
export function EmptyCard({
  title,
  children,
  testid,
  code,
}: {
  title: string;
  children?: ComponentChildren;
  testid?: string;
  code?: string;
}) {
  return (
    <div class="card empty" data-testid={testid} data-code={code}>
      <p class="empty__title">{title}</p>
      {children}
    </div>
  );
}
