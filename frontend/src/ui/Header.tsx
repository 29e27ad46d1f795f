import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import { roomController } from "../lib/room";
import { onLinkClick, navigate } from "../lib/router";
import { signedOut } from "../lib/session";
import { toast } from "../lib/toast";
import type { Me } from "../lib/types";
import { Avatar } from "./Avatar";
import { CupIcon, EnvelopeIcon } from "./icons";

export function Header({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (!menuRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", close);
    return () => document.removeEventListener("pointerdown", close);
  }, [open]);

  const logout = async () => {
    setOpen(false);
    try {
      await api.logout();
    } catch (err) {
      toast(err instanceof Error ? err.message : "Couldn't log out.");
      return;
    }
    roomController.shutdown();
    signedOut();
    navigate("/login", { replace: true });
  };

  return (
    <header class="topbar">
      <a class="brand" href="/" onClick={onLinkClick}>
        <CupIcon />
        <span>Teahouse</span>
      </a>
      <div class="topbar__actions">
        <a class="pill-link" href="/invites" onClick={onLinkClick} data-testid="nav-invites">
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
              <a
                role="menuitem"
                href={`/u/${encodeURIComponent(me.username)}`}
                onClick={(e) => {
                  setOpen(false);
                  onLinkClick(e);
                }}
              >
                Your profile
              </a>
              <a
                role="menuitem"
                href="/invites"
                onClick={(e) => {
                  setOpen(false);
                  onLinkClick(e);
                }}
              >
                Invitations
              </a>
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
