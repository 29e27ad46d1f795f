import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Me, Profile } from "../lib/api-types";
import { asArray } from "../lib/payload";
import { errorText } from "../lib/problem";
import { updateMe } from "../lib/session";
import { toast } from "../lib/toast";
import { Header } from "../shell/Header";
import { useLoad } from "../ui/hooks";
import { EmptyCard } from "../ui/UserRow";
import { EditProfileSheet } from "./EditProfileSheet";
import { ProfileCard } from "./ProfileCard";

/** `/u/<username>`: a member's profile (or why it can't be shown). */
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
