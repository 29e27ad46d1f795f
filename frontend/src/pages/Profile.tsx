import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { formatDate } from "../lib/format";
import { onLinkClick } from "../lib/router";
import type { Me, Profile } from "../lib/types";
import { Avatar } from "../ui/Avatar";
import { Header } from "../ui/Header";

export function ProfilePage({ me, username }: { me: Me; username: string }) {
  const [profile, setProfile] = useState<Profile | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  useEffect(() => {
    let live = true;
    setProfile(null);
    setError(null);
    api.user(username).then(
      (p) => live && setProfile(p),
      (err: unknown) =>
        live &&
        setError(
          err instanceof ApiError ? { code: err.code, message: err.message } : { code: "unknown", message: "Couldn't load." },
        ),
    );
    return () => {
      live = false;
    };
  }, [username]);

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow">
        {error && (
          <div class="card empty" data-testid="profile-error">
            <p class="empty__title">{error.code === "user_not_found" ? "No one here by that name" : "Couldn't load this profile"}</p>
            <p class="muted">{error.code === "user_not_found" ? `There's no member called @${username}.` : error.message}</p>
          </div>
        )}
        {!profile && !error && <div class="card skeleton">Loading…</div>}
        {profile && (
          <section class="card profile" data-testid="profile" data-user={profile.username}>
            <Avatar user={profile} size={104} />
            <h1>{profile.display_name}</h1>
            <p class="muted">@{profile.username}</p>
            {profile.bio && <p class="profile__bio">{profile.bio}</p>}
            <div class="profile__meta">
              {profile.joined_at && <span>Joined {formatDate(profile.joined_at)}</span>}
              {profile.nominated_by && (
                <span class="nominated" data-testid="nominated-by">
                  <Avatar user={profile.nominated_by} size={26} />
                  Nominated by{" "}
                  <a href={`/u/${encodeURIComponent(profile.nominated_by.username)}`} onClick={onLinkClick}>
                    {profile.nominated_by.display_name}
                  </a>
                </span>
              )}
            </div>
          </section>
        )}
      </main>
    </div>
  );
}
