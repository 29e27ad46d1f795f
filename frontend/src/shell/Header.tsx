import type { Me } from "../lib/api-types";
import { notificationsStore } from "../lib/notifications";
import { errorText } from "../lib/problem";
import { profileHref } from "../lib/routes";
import { locationStore, onLinkClick } from "../lib/router";
import { logOut } from "../lib/session";
import { toast } from "../lib/toast";
import { Avatar } from "../ui/Avatar";
import { useStore } from "../ui/hooks";
import { BellIcon, CupIcon, EnvelopeIcon, SearchIcon } from "../ui/icons";
import { Menu } from "../ui/Menu";

/** The bar on top of every signed-in screen: search, the bell, invitations, the account menu. */
export function Header({ me }: { me: Me }) {
  const { unread } = useStore(notificationsStore);
  const { path } = useStore(locationStore);

  const logout = async () => {
    try {
      await logOut();
    } catch (err) {
      toast(errorText(err, "Couldn't log out."));
    }
  };

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
        <Menu buttonClass="avatar-button" label="Your account" testid="account-menu" button={<Avatar user={me} size={40} />}>
          {(close) => {
            const item = (href: string, label: string, testid?: string) => (
              <a
                role="menuitem"
                href={href}
                data-testid={testid}
                onClick={(e) => {
                  close();
                  onLinkClick(e);
                }}
              >
                {label}
              </a>
            );
            return (
              <>
                <div class="menu__who">
                  <strong>{me.display_name}</strong>
                  <span>@{me.username}</span>
                </div>
                {item(profileHref(me.username), "Your profile", "nav-profile")}
                {item("/clubs", "Clubs", "nav-clubs")}
                {item("/events/new", "Schedule a room", "nav-schedule")}
                {item("/invites", "Invitations")}
                {item("/settings", "Settings", "nav-settings")}
                {me.is_admin && item("/admin", "Admin", "nav-admin")}
                <button
                  type="button"
                  role="menuitem"
                  class="danger"
                  data-testid="logout"
                  onClick={() => {
                    close();
                    void logout();
                  }}
                >
                  Log out
                </button>
              </>
            );
          }}
        </Menu>
      </div>
    </header>
  );
}
