import { useEffect, useRef, useState } from "preact/hooks";
import { notificationsStore } from "../lib/notifications";
import { locationStore, onLinkClick } from "../lib/router";
import { logOut } from "../lib/session";
import { useStore } from "../lib/store";
import { toast } from "../lib/toast";
import type { Me } from "../lib/types";
import { Avatar } from "./Avatar";
import { BellIcon, CupIcon, EnvelopeIcon, SearchIcon } from "./icons";

export function Header({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const { unread } = useStore(notificationsStore);
  const { path } = useStore(locationStore);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (!menuRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const logout = async () => {
    setOpen(false);
    try {
      await logOut();
    } catch (err) {
      toast(err instanceof Error ? err.message : "Couldn't log out.");
    }
  };

  const item = (href: string, label: string, testid?: string) => (
    <a
      role="menuitem"
      href={href}
      data-testid={testid}
      onClick={(e) => {
        setOpen(false);
        onLinkClick(e);
      }}
    >
      {label}
    </a>
  );

  const badge = unread > 99 ? "99+" : String(unread);
  return (
    <header class="topbar">
      <a class="brand" href="/" onClick={onLinkClick} aria-label="Teahouse, the hallway">
        <CupIcon />
        <span class="brand__name">Teahouse</span>
      </a>
      <div class="topbar__actions">
        <a
          class={`icon-link${path === "/search" ? " is-current" : ""}`}
          href="/search"
          onClick={onLinkClick}
          aria-label="Search"
          title="Search"
          data-testid="nav-search"
        >
          <SearchIcon />
        </a>
        <a
          class={`icon-link${path === "/notifications" ? " is-current" : ""}`}
          href="/notifications"
          onClick={onLinkClick}
          aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
          title="Notifications"
          data-testid="bell"
          data-unread={unread}
        >
          <BellIcon />
          {unread > 0 && (
            <span class="bell-badge" data-testid="bell-badge" aria-hidden="true">
              {badge}
            </span>
          )}
        </a>
        <a class="pill-link pill-link--invite" href="/invites" onClick={onLinkClick} data-testid="nav-invites" aria-label="Invite">
          <EnvelopeIcon />
          <span>Invite</span>
        </a>
        <div class="menu" ref={menuRef}>
          <button
            type="button"
            class="avatar-button"
            aria-haspopup="menu"
            aria-expanded={open}
            aria-label="Your account"
            data-testid="account-menu"
            onClick={() => setOpen(!open)}
          >
            <Avatar user={me} size={40} />
          </button>
          {open && (
            <div class="menu__panel" role="menu">
              <div class="menu__who">
                <strong>{me.display_name}</strong>
                <span>@{me.username}</span>
              </div>
              {item(`/u/${encodeURIComponent(me.username)}`, "Your profile", "nav-profile")}
              {item("/clubs", "Clubs", "nav-clubs")}
              {item("/events/new", "Schedule a room", "nav-schedule")}
              {item("/invites", "Invitations")}
              {item("/settings", "Settings", "nav-settings")}
              {me.is_admin && item("/admin", "Admin", "nav-admin")}
              <button type="button" role="menuitem" class="danger" data-testid="logout" onClick={logout}>
                Log out
              </button>
            </div>
          )}
        </div>
      </div>
    </header>
  );
}
