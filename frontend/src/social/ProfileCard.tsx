import { useState } from "preact/hooks";
import { api } from "../lib/api";
import type { ClubRef, Profile } from "../lib/api-types";
import { compactCount, formatDate } from "../lib/format";
import { asArray } from "../lib/payload";
import { errorText } from "../lib/problem";
import { clubHref, profileHref } from "../lib/routes";
import { onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import { ReportSheet } from "../reports/ReportSheet";
import { Avatar, ClubBadge } from "../ui/Avatar";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { MoreIcon, PlusIcon } from "../ui/icons";
import { Menu } from "../ui/Menu";

/** The profile itself: who they are, counts, clubs, and Follow / Block / Report. */
export function ProfileCard({
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
  const [confirmBlock, setConfirmBlock] = useState(false);
  const [reporting, setReporting] = useState(false);

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
        <Menu class="profile__more" buttonClass="icon-button" label="More" testid="profile-menu" button={<MoreIcon />}>
          {(close) => (
            <>
              {profile.blocked_by_me ? (
                <button
                  type="button"
                  role="menuitem"
                  onClick={() => {
                    close();
                    void unblock();
                  }}
                  data-testid="unblock-button"
                >
                  Unblock @{profile.username}
                </button>
              ) : (
                <button
                  type="button"
                  role="menuitem"
                  class="danger"
                  onClick={() => {
                    close();
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
                  close();
                  setReporting(true);
                }}
                data-testid="report-button"
              >
                Report @{profile.username}
              </button>
            </>
          )}
        </Menu>
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
                <a class="chip" href={clubHref(c.id)} onClick={onLinkClick} data-testid="profile-club">
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
