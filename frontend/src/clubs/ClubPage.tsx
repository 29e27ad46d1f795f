import { useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Me } from "../lib/api-types";
import { compactCount, plural } from "../lib/format";
import { errorText, ShownError } from "../lib/problem";
import { profileHref } from "../lib/routes";
import { onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import { StartRoomSheet } from "../hallway/StartRoomSheet";
import { Header } from "../shell/Header";
import { ClubBadge } from "../ui/Avatar";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { useLoad } from "../ui/hooks";
import { CalendarIcon, PlusIcon } from "../ui/icons";
import { EmptyCard } from "../ui/UserRow";
import { ClubMembers } from "./ClubMembers";
import { ClubRequests } from "./ClubRequests";
import { EditClubSheet } from "./EditClubSheet";
import { CLUB_ERRORS } from "./errors";

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

  const askToJoin = (ask: boolean) =>
    run(async () => {
      if (ask) await api.askToJoinClub(club.id);
      else await api.withdrawClubRequest(club.id);
      toast(ask ? "Asked. The club's admins will answer." : "Your request is withdrawn.", "info");
      await reload();
    }, ask ? "Couldn't send your request." : "Couldn't withdraw your request.");

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

          {!isMember && !club.invited && club.requested && (
            <div class="requested-banner" data-testid="club-requested">
              <span class="badge">Requested</span>
              <p class="small">You asked to join. The club's admins will answer.</p>
              <button type="button" class="button button--ghost button--small" disabled={busy} onClick={() => askToJoin(false)} data-testid="club-withdraw">
                Withdraw request
              </button>
            </div>
          )}

          <div class="club-hero__actions">
            {!isMember && !club.invited && !club.requested && (
              <button type="button" class="button button--primary" disabled={busy} onClick={() => askToJoin(true)} data-testid="club-ask">
                Ask to join
              </button>
            )}
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

        {isAdmin && (
          <ClubRequests
            club={club}
            version={membersVersion}
            onAnswered={() => {
              void reload();
              setMembersVersion((v) => v + 1);
            }}
          />
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
              throw new ShownError(errorText(err, "Couldn't leave the club.", CLUB_ERRORS));
            }
            toast(`You left ${club.name}.`, "info");
            await reload();
            setMembersVersion((v) => v + 1);
          }}
        >
          <p class="muted">You can come back if an admin invites you again or accepts your request to join.</p>
        </ConfirmSheet>
      )}
    </div>
  );
}
