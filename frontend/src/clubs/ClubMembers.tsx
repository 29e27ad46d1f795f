import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Club, ClubMember, Me } from "../lib/api-types";
import { asArray, cleanUsername, USERNAME_RE } from "../lib/payload";
import { errorText } from "../lib/problem";
import { profileHref } from "../lib/routes";
import { onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import { FormError, TextField } from "../ui/Field";
import { MoreIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";
import { LoadMore, UserRow } from "../ui/UserRow";
import { CLUB_ERRORS } from "./errors";

/** The club's members, a page at a time; its admins invite and manage them here. */
export function ClubMembers({ club, me, version, onChanged }: { club: Club; me: Me; version: number; onChanged: () => void }) {
  const isAdmin = club.my_role === "admin";
  const [members, setMembers] = useState<ClubMember[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<"loading" | "ready" | "more" | "error">("loading");
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ClubMember | null>(null);

  const fetchPage = async (after: string | null) => {
    setStatus(after ? "more" : "loading");
    setError(null);
    try {
      const page = await api.clubMembers(club.id, after);
      const list = asArray<ClubMember>(page?.members).filter((m) => m.user && typeof m.user.username === "string");
      setMembers((now) => {
        if (!after) return list;
        const known = new Set(now.map((m) => m.user.id));
        return [...now, ...list.filter((m) => !known.has(m.user.id))];
      });
      setCursor(typeof page?.next_cursor === "string" ? page.next_cursor : null);
      setStatus("ready");
    } catch (err) {
      setError(errorText(err, "Couldn't load the members."));
      setStatus("error");
    }
  };
  useEffect(() => {
    void fetchPage(null);
  }, [club.id, version]);

  const afterChange = () => {
    void fetchPage(null);
    onChanged();
  };

  return (
    <section class="stack">
      <h2 class="section-title">Members</h2>
      {isAdmin && <InviteToClub clubId={club.id} />}
      {error && <p class="notice notice--error">{error}</p>}
      {status === "loading" && <div class="card skeleton">Loading members…</div>}
      {members.length > 0 && (
        <ul class="card user-list" data-testid="club-members">
          {members.map((m) => (
            <UserRow key={m.user.id} user={m.user} testid="club-member" role={m.role}>
              {m.role === "admin" && <span class="badge badge--green" data-role="admin">Admin</span>}
              {isAdmin && m.user.username !== me.username && (
                <button type="button" class="icon-button" aria-label={`Manage ${m.user.display_name}`} onClick={() => setSelected(m)} data-testid="club-member-menu" data-user={m.user.username}>
                  <MoreIcon size={20} />
                </button>
              )}
            </UserRow>
          ))}
        </ul>
      )}
      {cursor && <LoadMore onClick={() => void fetchPage(cursor)} busy={status === "more"} />}
      {selected && <MemberSheet club={club} member={selected} onClose={() => setSelected(null)} onChanged={afterChange} />}
    </section>
  );
}

function InviteToClub({ clubId }: { clubId: string }) {
  const [username, setUsername] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const name = cleanUsername(username);
    if (!USERNAME_RE.test(name)) {
      setError("Usernames are 2-30 letters, digits or _.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.inviteToClub(clubId, name);
      toast(`Invitation sent to @${name}.`, "info");
      setUsername("");
    } catch (err) {
      setError(errorText(err, "Couldn't invite them.", CLUB_ERRORS));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card invite-form" onSubmit={submit} data-testid="club-invite-form">
      <TextField
        label="Invite a member"
        prefix="@"
        action={
          <button type="submit" class="button button--primary" disabled={busy || !username.trim()} data-testid="club-invite-submit">
            {busy ? "Inviting…" : "Invite"}
          </button>
        }
        name="username"
        autoCapitalize="none"
        autoComplete="off"
        spellcheck={false}
        placeholder="username"
        value={username}
        onValue={setUsername}
        data-testid="club-invite-username"
      />
      <FormError error={error} />
    </form>
  );
}

function MemberSheet({ club, member, onClose, onChanged }: { club: Club; member: ClubMember; onClose: () => void; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (fn: () => Promise<void>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      toast(done, "info");
      onChanged();
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't do that.", CLUB_ERRORS));
    }
  };
  const u = member.user;
  return (
    <Sheet onClose={onClose} label={u.display_name} testid="club-member-sheet">
      <div class="stack">
        <h2 class="sheet__title">{u.display_name}</h2>
        <p class="muted">
          @{u.username} · {member.role === "admin" ? "Admin" : "Member"} of {club.name}
        </p>
        <FormError error={error} />
        {member.role !== "admin" && (
          <button type="button" class="button button--secondary button--block" disabled={busy} onClick={() => act(() => api.makeClubAdmin(club.id, u.username), `@${u.username} is now an admin.`)} data-testid="club-make-admin">
            Make admin
          </button>
        )}
        <button type="button" class="button button--block button--danger-soft" disabled={busy} onClick={() => act(() => api.removeClubMember(club.id, u.username), `@${u.username} was removed from the club.`)} data-testid="club-remove-member">
          Remove from club
        </button>
        <a class="button button--ghost button--block" href={profileHref(u.username)} onClick={onLinkClick}>
          View profile
        </a>
      </div>
    </Sheet>
  );
}
