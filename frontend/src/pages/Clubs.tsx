import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import { compactCount, plural } from "../lib/format";
import { asArray, cleanUsername, errorText, useLoad, USERNAME_RE } from "../lib/load";
import { navigate, onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import type { Club, ClubMember, Me } from "../lib/types";
import { ClubBadge } from "../ui/Avatar";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { Header } from "../ui/Header";
import { CalendarIcon, MoreIcon, PlusIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";
import { StartRoomSheet } from "../ui/StartRoomSheet";
import { EmptyCard, LoadMore, profileHref, UserRow } from "../ui/UserRow";

const CLUB_ERRORS: Record<string, string> = {
  club_name_taken: "There's already a club with that name. Try another.",
  not_club_admin: "Only the club's admins can do that.",
  already_member: "They're already a member.",
  user_not_found: "There's no member with that username.",
  not_member: "They need to be a member of the club first.",
  last_admin: "A club needs an admin. Make someone else an admin first.",
  not_invited: "That invitation is no longer open.",
};

const clubHref = (id: string) => `/c/${encodeURIComponent(id)}`;

/** `/clubs`: the clubs I'm in, and "Create a club". */
export function ClubsPage({ me, create }: { me: Me; create: boolean }) {
  const { data, problem } = useLoad("my-clubs", () => api.myClubs(), "Couldn't load your clubs.");
  const [creating, setCreating] = useState(create);
  useEffect(() => setCreating(create), [create]);
  const clubs = asArray<Club>(data?.clubs);
  const close = () => {
    setCreating(false);
    if (create) navigate("/clubs", { replace: true });
  };

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <div class="section-head">
          <h1 class="page-title">Your clubs</h1>
          <button type="button" class="button button--primary button--small" onClick={() => setCreating(true)} data-testid="club-new">
            <PlusIcon size={18} /> Create a club
          </button>
        </div>
        {problem && (
          <p class="notice notice--error" role="alert">
            {problem.message}
          </p>
        )}
        {!data && !problem && <div class="card skeleton">Loading…</div>}
        {data && clubs.length === 0 && (
          <EmptyCard title="No clubs yet">
            <p class="muted">Clubs are small groups with their own rooms. Start one, or accept an invitation from a club's admin.</p>
          </EmptyCard>
        )}
        {clubs.length > 0 && (
          <ul class="club-grid">
            {clubs.map((c) => (
              <li key={c.id}>
                <a class="card club-card" href={clubHref(c.id)} onClick={onLinkClick} data-testid="club-card" data-club-id={c.id}>
                  <ClubBadge club={c} size={52} />
                  <span class="club-card__text">
                    <strong>{c.name}</strong>
                    <small class="muted">{plural(typeof c.member_count === "number" ? c.member_count : 0, "member", "members")}</small>
                  </span>
                  {c.my_role === "admin" && <span class="badge badge--green">Admin</span>}
                </a>
              </li>
            ))}
          </ul>
        )}
      </main>
      {creating && <CreateClubSheet onClose={close} />}
    </div>
  );
}

function CreateClubSheet({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [rules, setRules] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameLen = Array.from(name.trim()).length;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (nameLen < 2 || nameLen > 60) {
      setError("A club's name is 2 to 60 characters.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const club = await api.createClub({ name: name.trim(), description: description.trim(), rules: rules.trim() });
      navigate(clubHref(club.id));
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't create the club.", CLUB_ERRORS));
    }
  };

  return (
    <Sheet onClose={onClose} label="Create a club" testid="club-create-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Create a club</h2>
        <label class="field">
          <span>Name</span>
          <input value={name} maxLength={60} placeholder="Night Owls" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} data-testid="club-name-input" />
        </label>
        <label class="field">
          <span>What's it about?</span>
          <textarea rows={3} maxLength={1000} value={description} onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} data-testid="club-description-input" />
        </label>
        <label class="field">
          <span>House rules</span>
          <textarea rows={3} maxLength={2000} value={rules} placeholder="Be kind. Let people finish." onInput={(e) => setRules((e.currentTarget as HTMLTextAreaElement).value)} data-testid="club-rules-input" />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="club-create">
          {busy ? "Creating…" : "Create the club"}
        </button>
        <p class="small muted center">You'll be its first admin.</p>
      </form>
    </Sheet>
  );
}

/** `/c/<id>`: a club, its members, and what its members and admins may do. */
export function ClubPage({ me, clubId }: { me: Me; clubId: string }) {
  const loaded = useLoad(`club:${clubId}`, () => api.club(clubId), "Couldn't load this club.");
  const { data: club, problem, setData, reload } = loaded;
  const [startRoom, setStartRoom] = useState(false);
  const [editing, setEditing] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [membersVersion, setMembersVersion] = useState(0);

  if (problem) {
    return (
      <div class="page">
        <Header me={me} />
        <main class="narrow">
          <EmptyCard title={problem.code === "club_not_found" ? "No such club" : "Couldn't load this club"} testid="club-error" code={problem.code}>
            <p class="muted">{problem.code === "club_not_found" ? "It may have been closed, or the link is wrong." : problem.message}</p>
          </EmptyCard>
        </main>
      </div>
    );
  }
  if (!club) {
    return (
      <div class="page">
        <Header me={me} />
        <main class="narrow">
          <div class="card skeleton">Loading…</div>
        </main>
      </div>
    );
  }

  const isMember = club.my_role === "admin" || club.my_role === "member";
  const isAdmin = club.my_role === "admin";
  const run = async (fn: () => Promise<void>, fallback: string) => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      toast(errorText(err, fallback, CLUB_ERRORS));
    } finally {
      setBusy(false);
    }
  };
  const toggleFollow = () =>
    run(async () => {
      if (club.following) await api.unfollowClub(club.id);
      else await api.followClub(club.id);
      const count = typeof club.follower_count === "number" ? club.follower_count : 0;
      setData((c) => ({ ...c, following: !club.following, follower_count: Math.max(0, count + (club.following ? -1 : 1)) }));
    }, "Couldn't change that.");
  const answer = (accept: boolean) =>
    run(async () => {
      if (accept) await api.joinClub(club.id);
      else await api.declineClub(club.id);
      if (accept) toast(`Welcome to ${club.name}!`, "info");
      await reload();
      setMembersVersion((v) => v + 1);
    }, "Couldn't answer the invitation.");

  const members = typeof club.member_count === "number" ? club.member_count : 0;
  const followers = typeof club.follower_count === "number" ? club.follower_count : 0;
  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <section class="card club-hero" data-testid="club" data-club-id={club.id} data-role={club.my_role ?? "none"}>
          <ClubBadge club={club} size={88} />
          <h1>{club.name}</h1>
          <p class="muted club-hero__counts">
            <span data-testid="club-member-count" data-count={members}>
              {plural(members, "member", "members")}
            </span>{" "}
            · <span data-testid="club-follower-count" data-count={followers}>{compactCount(followers)} {followers === 1 ? "follower" : "followers"}</span>
            {isAdmin && <span class="badge badge--green">Admin</span>}
          </p>
          {club.founder && (
            <p class="small muted">
              Founded by{" "}
              <a href={profileHref(club.founder.username)} onClick={onLinkClick}>
                {club.founder.display_name}
              </a>
            </p>
          )}

          {club.invited && !isMember && (
            <div class="invited-banner" data-testid="club-invited">
              <p>You're invited to join {club.name}.</p>
              <div class="row">
                <button type="button" class="button button--green button--small" disabled={busy} onClick={() => answer(true)} data-testid="club-join">
                  Join the club
                </button>
                <button type="button" class="button button--secondary button--small" disabled={busy} onClick={() => answer(false)} data-testid="club-decline">
                  Decline
                </button>
              </div>
            </div>
          )}

          <div class="club-hero__actions">
            {isMember && (
              <button type="button" class="button button--primary" onClick={() => setStartRoom(true)} data-testid="club-start-room">
                <PlusIcon size={18} /> Start a club room
              </button>
            )}
            {isAdmin && (
              <a class="button button--secondary" href={`/events/new?club=${encodeURIComponent(club.id)}`} onClick={onLinkClick} data-testid="club-schedule">
                <CalendarIcon size={18} /> Schedule
              </a>
            )}
            {club.following ? (
              <button type="button" class="button button--secondary" disabled={busy} onClick={toggleFollow} data-testid="club-unfollow">
                Following
              </button>
            ) : (
              <button type="button" class={`button ${isMember ? "button--secondary" : "button--primary"}`} disabled={busy} onClick={toggleFollow} data-testid="club-follow">
                Follow
              </button>
            )}
          </div>
        </section>

        {(club.description || club.rules || isAdmin) && (
          <section class="card club-about">
            {club.description && <p class="club-about__text" data-testid="club-description">{club.description}</p>}
            {club.rules && (
              <div class="club-rules" data-testid="club-rules">
                <h2 class="section-title">House rules</h2>
                <p class="club-about__text">{club.rules}</p>
              </div>
            )}
            {!club.description && !club.rules && <p class="muted">Say what this club is about and how people should treat each other.</p>}
            {isAdmin && (
              <button type="button" class="button button--ghost button--small" onClick={() => setEditing(true)} data-testid="club-edit">
                Edit description and rules
              </button>
            )}
          </section>
        )}

        <ClubMembers club={club} me={me} version={membersVersion} onChanged={() => void reload()} />

        {isMember && (
          <button type="button" class="button button--ghost button--block danger-text" onClick={() => setLeaving(true)} data-testid="club-leave">
            Leave {club.name}
          </button>
        )}
      </main>
      {startRoom && <StartRoomSheet club={club} onClose={() => setStartRoom(false)} />}
      {editing && <EditClubSheet club={club} onSaved={(c) => setData(() => c)} onClose={() => setEditing(false)} />}
      {leaving && (
        <ConfirmSheet
          title={`Leave ${club.name}?`}
          confirmLabel="Leave the club"
          busyLabel="Leaving…"
          danger
          onClose={() => setLeaving(false)}
          confirmTestid="club-leave-confirm"
          onConfirm={async () => {
            try {
              await api.removeClubMember(club.id, me.username);
            } catch (err) {
              throw new Error(errorText(err, "Couldn't leave the club.", CLUB_ERRORS));
            }
            toast(`You left ${club.name}.`, "info");
            await reload();
            setMembersVersion((v) => v + 1);
          }}
        >
          <p class="muted">You can come back only if an admin invites you again.</p>
        </ConfirmSheet>
      )}
    </div>
  );
}

function ClubMembers({ club, me, version, onChanged }: { club: Club; me: Me; version: number; onChanged: () => void }) {
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
      <label class="field">
        <span>Invite a member</span>
        <div class="input-row">
          <div class="input-prefix">
            <span aria-hidden="true">@</span>
            <input
              name="username"
              autoCapitalize="none"
              autoComplete="off"
              spellcheck={false}
              placeholder="username"
              value={username}
              onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
              data-testid="club-invite-username"
            />
          </div>
          <button type="submit" class="button button--primary" disabled={busy || !username.trim()} data-testid="club-invite-submit">
            {busy ? "Inviting…" : "Invite"}
          </button>
        </div>
      </label>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
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
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
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

function EditClubSheet({ club, onSaved, onClose }: { club: Club; onSaved: (c: Club) => void; onClose: () => void }) {
  const [description, setDescription] = useState(club.description ?? "");
  const [rules, setRules] = useState(club.rules ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateClub(club.id, { description: description.trim(), rules: rules.trim() });
      onSaved(updated && typeof updated === "object" && updated.id ? updated : { ...club, description: description.trim(), rules: rules.trim() });
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't save.", CLUB_ERRORS));
    }
  };
  return (
    <Sheet onClose={onClose} label="Edit the club" testid="club-edit-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">{club.name}</h2>
        <label class="field">
          <span>What's it about?</span>
          <textarea rows={4} maxLength={1000} value={description} onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} data-testid="club-description-input" />
        </label>
        <label class="field">
          <span>House rules</span>
          <textarea rows={4} maxLength={2000} value={rules} onInput={(e) => setRules((e.currentTarget as HTMLTextAreaElement).value)} data-testid="club-rules-input" />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="club-save">
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </Sheet>
  );
}
