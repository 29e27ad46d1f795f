import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import { compactCount, formatDate } from "../lib/format";
import { asArray, errorText, problemOf, useLoad } from "../lib/load";
import { navigate, onLinkClick } from "../lib/router";
import { updateMe } from "../lib/session";
import { toast } from "../lib/toast";
import type { ClubRef, Me, Profile, User } from "../lib/types";
import { Avatar, ClubBadge } from "../ui/Avatar";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { ReportSheet } from "../ui/ReportSheet";
import { Header } from "../ui/Header";
import { MoreIcon, PlusIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";
import { EmptyCard, LoadMore, profileHref, UserRow } from "../ui/UserRow";

export function ProfilePage({ me, username }: { me: Me; username: string }) {
  const loaded = useLoad(`profile:${username}`, () => api.user(username), "Couldn't load this profile.");
  const { data: profile, problem, setData } = loaded;
  const [editing, setEditing] = useState(false);

  // Changes to your own profile also change the header's avatar and name.
  const changeOwn = (part: Partial<Profile>) => {
    setData((p) => ({ ...p, ...part }));
    const mine: Partial<Me> = {};
    if (part.display_name !== undefined) mine.display_name = part.display_name;
    if (part.avatar_url !== undefined) mine.avatar_url = part.avatar_url;
    updateMe(mine);
  };

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        {problem && <ProfileProblem username={username} code={problem.code} message={problem.message} onUnblocked={loaded.reload} />}
        {!profile && !problem && <div class="card skeleton">Loading…</div>}
        {profile && (
          <ProfileCard
            profile={profile}
            isMe={profile.is_me === true || profile.username === me.username}
            onChange={(part) => setData((p) => ({ ...p, ...part }))}
            onEdit={() => setEditing(true)}
          />
        )}
      </main>
      {editing && profile && <EditProfileSheet profile={profile} onChange={changeOwn} onClose={() => setEditing(false)} />}
    </div>
  );
}

function ProfileProblem({
  username,
  code,
  message,
  onUnblocked,
}: {
  username: string;
  code: string;
  message: string;
  onUnblocked: () => void;
}) {
  // Blocking hides both members from each other; the one who blocked may still undo it.
  const [blockedByMe, setBlockedByMe] = useState(false);
  useEffect(() => {
    if (code !== "user_not_found") return;
    let live = true;
    api.blocks().then(
      (r) => live && setBlockedByMe(asArray<{ username: string }>(r?.users).some((u) => u.username === username)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [code, username]);

  if (blockedByMe) {
    return (
      <EmptyCard title={`You blocked @${username}`} testid="profile-blocked">
        <p class="muted">You don't see each other anywhere on Teahouse.</p>
        <UnblockButton username={username} onDone={onUnblocked} />
      </EmptyCard>
    );
  }
  return (
    <EmptyCard
      title={code === "user_not_found" ? "No one here by that name" : "Couldn't load this profile"}
      testid="profile-error"
      code={code}
    >
      <p class="muted">{code === "user_not_found" ? `There's no member called @${username}.` : message}</p>
    </EmptyCard>
  );
}

function UnblockButton({ username, onDone }: { username: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const unblock = async () => {
    setBusy(true);
    try {
      await api.unblock(username);
      toast(`You unblocked @${username}.`, "info");
      onDone();
    } catch (err) {
      toast(errorText(err, "Couldn't unblock."));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" class="button button--secondary" onClick={unblock} disabled={busy} data-testid="unblock-button">
      {busy ? "Unblocking…" : "Unblock"}
    </button>
  );
}

function ProfileCard({
  profile,
  isMe,
  onChange,
  onEdit,
}: {
  profile: Profile;
  isMe: boolean;
  onChange: (part: Partial<Profile>) => void;
  onEdit: () => void;
}) {
  const [followBusy, setFollowBusy] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [confirmBlock, setConfirmBlock] = useState(false);
  const [reporting, setReporting] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menuOpen) return;
    const close = (e: Event) => !menuRef.current?.contains(e.target as Node) && setMenuOpen(false);
    document.addEventListener("pointerdown", close);
    return () => document.removeEventListener("pointerdown", close);
  }, [menuOpen]);

  const followers = typeof profile.followers_count === "number" ? profile.followers_count : 0;
  const following = typeof profile.following_count === "number" ? profile.following_count : 0;
  const clubs = asArray<ClubRef>(profile.clubs);
  const base = profileHref(profile.username);

  const toggleFollow = async () => {
    const now = profile.followed_by_me;
    setFollowBusy(true);
    try {
      if (now) await api.unfollow(profile.username);
      else await api.follow(profile.username);
      onChange({ followed_by_me: !now, followers_count: Math.max(0, followers + (now ? -1 : 1)) });
    } catch (err) {
      toast(errorText(err, now ? "Couldn't unfollow." : "Couldn't follow."));
    } finally {
      setFollowBusy(false);
    }
  };

  const block = async () => {
    await api.block(profile.username);
    // Blocking removes the follows between the two of you.
    onChange({
      blocked_by_me: true,
      followed_by_me: false,
      follows_me: false,
      followers_count: Math.max(0, followers - (profile.followed_by_me ? 1 : 0)),
      following_count: Math.max(0, following - (profile.follows_me ? 1 : 0)),
    });
  };

  const unblock = async () => {
    setMenuOpen(false);
    try {
      await api.unblock(profile.username);
      onChange({ blocked_by_me: false });
      toast(`You unblocked @${profile.username}.`, "info");
    } catch (err) {
      toast(errorText(err, "Couldn't unblock."));
    }
  };

  return (
    <section class="card profile" data-testid="profile" data-user={profile.username}>
      {!isMe && (
        <div class="profile__more menu" ref={menuRef}>
          <button
            type="button"
            class="icon-button"
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            aria-label="More"
            onClick={() => setMenuOpen(!menuOpen)}
            data-testid="profile-menu"
          >
            <MoreIcon />
          </button>
          {menuOpen && (
            <div class="menu__panel" role="menu">
              {profile.blocked_by_me ? (
                <button type="button" role="menuitem" onClick={unblock} data-testid="unblock-button">
                  Unblock @{profile.username}
                </button>
              ) : (
                <button
                  type="button"
                  role="menuitem"
                  class="danger"
                  onClick={() => {
                    setMenuOpen(false);
                    setConfirmBlock(true);
                  }}
                  data-testid="block-button"
                >
                  Block @{profile.username}
                </button>
              )}
              <button
                type="button"
                role="menuitem"
                class="danger"
                onClick={() => {
                  setMenuOpen(false);
                  setReporting(true);
                }}
                data-testid="report-button"
              >
                Report @{profile.username}
              </button>
            </div>
          )}
        </div>
      )}
      <Avatar user={profile} size={104} />
      <h1>{profile.display_name}</h1>
      <p class="muted">
        @{profile.username}
        {profile.follows_me && !isMe && (
          <span class="badge badge--soft" data-testid="follows-you">
            Follows you
          </span>
        )}
      </p>

      <div class="profile__counts">
        <a href={`${base}/followers`} onClick={onLinkClick} data-testid="profile-followers-count" data-count={followers}>
          <strong>{compactCount(followers)}</strong> {followers === 1 ? "follower" : "followers"}
        </a>
        <a href={`${base}/following`} onClick={onLinkClick} data-testid="profile-following-count" data-count={following}>
          <strong>{compactCount(following)}</strong> following
        </a>
      </div>

      {profile.bio && <p class="profile__bio" data-testid="profile-bio">{profile.bio}</p>}

      <div class="profile__actions">
        {isMe ? (
          <button type="button" class="button button--secondary" onClick={onEdit} data-testid="edit-profile">
            Edit profile
          </button>
        ) : profile.blocked_by_me ? (
          <div class="stack center">
            <p class="notice notice--warm" data-testid="profile-blocked">
              You blocked @{profile.username}. You won't see each other around Teahouse.
            </p>
            <button type="button" class="button button--secondary" onClick={unblock} data-testid="unblock-button">
              Unblock
            </button>
          </div>
        ) : profile.followed_by_me ? (
          <button type="button" class="button button--secondary" onClick={toggleFollow} disabled={followBusy} data-testid="unfollow-button">
            Following
          </button>
        ) : (
          <button type="button" class="button button--primary" onClick={toggleFollow} disabled={followBusy} data-testid="follow-button">
            {profile.follows_me ? "Follow back" : "Follow"}
          </button>
        )}
      </div>

      {(clubs.length > 0 || isMe) && (
        <div class="profile__clubs">
          <h2 class="section-title">Clubs</h2>
          <ul class="chips">
            {clubs.map((c) => (
              <li key={c.id}>
                <a class="chip" href={`/c/${encodeURIComponent(c.id)}`} onClick={onLinkClick} data-testid="profile-club">
                  <ClubBadge club={c} size={24} />
                  {c.name}
                </a>
              </li>
            ))}
            {isMe && (
              <li>
                <a class="chip chip--add" href="/clubs?new=1" onClick={onLinkClick} data-testid="club-new">
                  <PlusIcon size={16} /> Start a club
                </a>
              </li>
            )}
          </ul>
        </div>
      )}

      <div class="profile__meta">
        {profile.joined_at && <span>Joined {formatDate(profile.joined_at)}</span>}
        {profile.nominated_by && (
          <span class="nominated" data-testid="nominated-by">
            <Avatar user={profile.nominated_by} size={26} />
            Nominated by{" "}
            <a href={profileHref(profile.nominated_by.username)} onClick={onLinkClick}>
              {profile.nominated_by.display_name}
            </a>
          </span>
        )}
      </div>

      {confirmBlock && (
        <ConfirmSheet
          title={`Block ${profile.display_name}?`}
          confirmLabel="Block"
          busyLabel="Blocking…"
          danger
          onConfirm={block}
          onClose={() => setConfirmBlock(false)}
          testid="block-dialog"
          confirmTestid="block-confirm"
        >
          <p class="muted">
            You won't see each other's profiles, and rooms where they are on stage disappear from your hallway. Any follows
            between you are removed. They aren't told.
          </p>
        </ConfirmSheet>
      )}
      {reporting && <ReportSheet userId={profile.id} name={`@${profile.username}`} onClose={() => setReporting(false)} />}
    </section>
  );
}

const BIO_MAX = 280;
const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
const AVATAR_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
const AVATAR_ERRORS: Record<string, string> = {
  avatar_not_an_image: "That file isn't a picture we can use. Try a JPEG, PNG, WebP or GIF.",
  avatar_too_large: "That picture is too big. Pick one under 5 MB.",
  avatar_too_many_pixels: "That picture has too many pixels. Try a smaller one, such as a photo from your phone.",
};

/** Characters as the server counts them (code points, not UTF-16 units). */
function charCount(s: string): number {
  return Array.from(s).length;
}

function EditProfileSheet({
  profile,
  onChange,
  onClose,
}: {
  profile: Profile;
  onChange: (part: Partial<Profile>) => void;
  onClose: () => void;
}) {
  const [displayName, setDisplayName] = useState(profile.display_name);
  const [bio, setBio] = useState(profile.bio ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [avatarBusy, setAvatarBusy] = useState(false);
  const [avatarError, setAvatarError] = useState<{ code: string; message: string } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const bioLength = charCount(bio);
  const nameOk = displayName.trim().length >= 1 && charCount(displayName.trim()) <= 60;
  const canSave = nameOk && bioLength <= BIO_MAX && !busy;

  const save = async (e: Event) => {
    e.preventDefault();
    if (!canSave) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateProfile({ display_name: displayName.trim(), bio });
      onChange(
        updated && typeof updated === "object"
          ? { display_name: updated.display_name ?? displayName.trim(), bio: updated.bio ?? bio }
          : { display_name: displayName.trim(), bio },
      );
      toast("Profile saved.", "info");
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't save your profile."));
    }
  };

  const upload = async (file: File) => {
    setAvatarError(null);
    if (!AVATAR_TYPES.includes(file.type)) {
      setAvatarError({ code: "avatar_not_an_image", message: AVATAR_ERRORS.avatar_not_an_image! });
      return;
    }
    if (file.size > AVATAR_MAX_BYTES) {
      setAvatarError({ code: "avatar_too_large", message: AVATAR_ERRORS.avatar_too_large! });
      return;
    }
    setAvatarBusy(true);
    try {
      const { avatar_url } = await api.uploadAvatar(file, file.type);
      if (typeof avatar_url === "string") onChange({ avatar_url });
    } catch (err) {
      setAvatarError(problemOf(err, "Couldn't upload the picture.", AVATAR_ERRORS));
    } finally {
      setAvatarBusy(false);
      if (fileRef.current) fileRef.current.value = "";
    }
  };

  const removeAvatar = async () => {
    setAvatarError(null);
    setAvatarBusy(true);
    try {
      await api.removeAvatar();
      onChange({ avatar_url: null });
    } catch (err) {
      setAvatarError({ code: "unknown", message: errorText(err, "Couldn't remove the picture.") });
    } finally {
      setAvatarBusy(false);
    }
  };

  return (
    <Sheet onClose={onClose} label="Edit profile" testid="edit-profile-dialog">
      <form class="stack" onSubmit={save}>
        <h2 class="sheet__title">Edit profile</h2>
        <div class="avatar-edit">
          <span class={`avatar-edit__preview${avatarBusy ? " is-busy" : ""}`}>
            <Avatar user={profile} size={88} />
          </span>
          <div class="avatar-edit__actions">
            <label class="button button--secondary button--small file-button">
              <input
                ref={fileRef}
                class="sr-only"
                type="file"
                accept="image/*"
                disabled={avatarBusy}
                onChange={(e) => {
                  const file = (e.currentTarget as HTMLInputElement).files?.[0];
                  if (file) void upload(file);
                }}
                data-testid="avatar-input"
              />
              {avatarBusy ? "Uploading…" : profile.avatar_url ? "Change photo" : "Add a photo"}
            </label>
            {profile.avatar_url && (
              <button type="button" class="button button--ghost button--small" onClick={removeAvatar} disabled={avatarBusy} data-testid="avatar-remove">
                Remove photo
              </button>
            )}
          </div>
        </div>
        {avatarError && (
          <p class="form-error" role="alert" data-testid="avatar-error" data-code={avatarError.code}>
            {avatarError.message}
          </p>
        )}
        <label class="field">
          <span>Name</span>
          <input
            name="display_name"
            autoComplete="name"
            value={displayName}
            maxLength={60}
            aria-invalid={!nameOk}
            onInput={(e) => setDisplayName((e.currentTarget as HTMLInputElement).value)}
            data-testid="profile-display-name"
          />
        </label>
        <label class="field">
          <span>Bio</span>
          <textarea
            name="bio"
            rows={4}
            value={bio}
            placeholder="A line or two about you"
            aria-invalid={bioLength > BIO_MAX}
            aria-describedby="bio-count"
            onInput={(e) => setBio((e.currentTarget as HTMLTextAreaElement).value)}
            data-testid="profile-bio-input"
          />
          <small id="bio-count" class={`counter${bioLength > BIO_MAX ? " is-over" : ""}`} data-testid="profile-bio-count" aria-live="polite">
            {bioLength}/{BIO_MAX}
          </small>
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary button--block" disabled={!canSave} data-testid="profile-save">
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </Sheet>
  );
}

/** `/u/<username>/followers` and `/u/<username>/following`, a page at a time. */
export function FollowListPage({ me, username, which }: { me: Me; username: string; which: "followers" | "following" }) {
  const [users, setUsers] = useState<User[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<"loading" | "ready" | "more" | "error">("loading");
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const seq = useRef(0);

  const fetchPage = async (after: string | null) => {
    const mine = ++seq.current;
    setStatus(after ? "more" : "loading");
    setError(null);
    try {
      const page = which === "followers" ? await api.followers(username, after) : await api.following(username, after);
      if (mine !== seq.current) return;
      const list = asArray<User>(page?.users);
      setUsers((now) => {
        if (!after) return list;
        const known = new Set(now.map((u) => u.id));
        return [...now, ...list.filter((u) => !known.has(u.id))];
      });
      setCursor(typeof page?.next_cursor === "string" ? page.next_cursor : null);
      setStatus("ready");
    } catch (err) {
      if (mine !== seq.current) return;
      setError(problemOf(err, "Couldn't load this list."));
      setStatus("error");
    }
  };

  useEffect(() => {
    setUsers([]);
    setCursor(null);
    void fetchPage(null);
    return () => {
      seq.current++;
    };
  }, [username, which]);

  const base = profileHref(username);
  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <div class="page-head">
          <a class="link-button" href={base} onClick={onLinkClick}>
            ‹ @{username}
          </a>
        </div>
        <nav class="tabs" aria-label="Followers and following">
          <a class={`tabs__tab${which === "followers" ? " is-current" : ""}`} href={`${base}/followers`} onClick={(e) => { e.preventDefault(); navigate(`${base}/followers`, { replace: true }); }} aria-current={which === "followers" ? "page" : undefined}>
            Followers
          </a>
          <a class={`tabs__tab${which === "following" ? " is-current" : ""}`} href={`${base}/following`} onClick={(e) => { e.preventDefault(); navigate(`${base}/following`, { replace: true }); }} aria-current={which === "following" ? "page" : undefined}>
            Following
          </a>
        </nav>
        {status === "loading" && <div class="card skeleton">Loading…</div>}
        {error && status === "error" && users.length === 0 ? (
          <EmptyCard title={error.code === "user_not_found" ? "No one here by that name" : "Couldn't load this list"} testid="follow-list-error" code={error.code}>
            <p class="muted">{error.code === "user_not_found" ? `There's no member called @${username}.` : error.message}</p>
          </EmptyCard>
        ) : null}
        {status !== "loading" && status !== "error" && users.length === 0 && (
          <p class="muted center">{which === "followers" ? `No one follows @${username} yet.` : `@${username} doesn't follow anyone yet.`}</p>
        )}
        {users.length > 0 && (
          <ul class="card user-list" data-testid={`${which}-list`}>
            {users.map((u) => (
              <UserRow key={u.id} user={u} />
            ))}
          </ul>
        )}
        {error && users.length > 0 && <p class="notice notice--error">{error.message}</p>}
        {cursor && <LoadMore onClick={() => void fetchPage(cursor)} busy={status === "more"} />}
      </main>
    </div>
  );
}
