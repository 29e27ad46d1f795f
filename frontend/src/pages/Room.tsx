import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { plural } from "../lib/format";
import type { OnReport, ReportTarget } from "../lib/report";
import { me as selfOf, plainListener, roomController, type RoomState } from "../lib/room";
import { onStage } from "../lib/roomstate";
import { locationStore, navigate } from "../lib/router";
import { useStore } from "../lib/store";
import type { Me, Participant, User } from "../lib/types";
import { AudienceList } from "../ui/AudienceList";
import { Avatar } from "../ui/Avatar";
import { ChevronLeft, HandIcon, LockIcon, MicIcon, MicOffIcon, MoreIcon, PeopleIcon, SpeakerIcon, StarIcon, WaveIcon } from "../ui/icons";
import { ParticipantSheet } from "../ui/ParticipantSheet";
import { PingSheet } from "../ui/PingSheet";
import { ReportSheet } from "../ui/ReportSheet";
import { RoomMenu } from "../ui/RoomMenu";
import { Sheet } from "../ui/Sheet";

const ENDED_REDIRECT_MS = 3500;

/** `#link=<code>` from a room link (POST /api/rooms/{id}/link). */
export function roomLinkCode(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const code = params.get("link");
  return code && code.length <= 100 ? code : null;
}

export function RoomPage({ me, roomId }: { me: Me; roomId: string }) {
  const state = useStore(roomController.state);
  const linkCode = roomLinkCode(useStore(locationStore).hash);

  useEffect(
    () => () => {
      if (roomController.state.get().roomId === roomId) roomController.leave();
    },
    [roomId],
  );
  // Also when only the fragment changes (a room link opened on this very page). Without
  // a code this does nothing while the room is joining or live.
  useEffect(() => {
    // The code is used once: take it out of the address bar (and history) after that.
    const forgetLink = () => {
      if (window.location.hash) navigate(window.location.pathname + window.location.search, { replace: true });
    };
    roomController.enter(roomId, linkCode ?? undefined, forgetLink);
  }, [roomId, linkCode]);

  const title = state.synced?.room.title;
  useEffect(() => {
    document.title = title ? `${title} · Teahouse` : "Teahouse";
    return () => {
      document.title = "Teahouse";
    };
  }, [title]);

  const leave = () => {
    roomController.leave();
    navigate("/");
  };

  if (state.roomId !== roomId || state.phase === "joining" || state.phase === "idle") {
    return (
      <RoomShell onBack={leave}>
        <div class="room-card room-card--loading" aria-busy="true">
          <div class="spinner" />
          <p class="muted">{state.connection === "reconnecting" ? "Reconnecting…" : "Joining the room…"}</p>
        </div>
      </RoomShell>
    );
  }
  if (state.phase === "failed" || state.phase === "ended" || state.phase === "removed") {
    return <RoomOver state={state} />;
  }
  return <LiveRoom me={me} state={state} onLeave={leave} />;
}

function RoomShell({ onBack, children, extra }: { onBack: () => void; children: ComponentChildren; extra?: ComponentChildren }) {
  return (
    <div class="page room-page">
      <header class="room-topbar">
        <button type="button" class="link-button" onClick={onBack} aria-label="Leave and go back to the hallway">
          <ChevronLeft /> Hallway
        </button>
        {extra}
      </header>
      {children}
    </div>
  );
}

function RoomOver({ state }: { state: RoomState }) {
  const ended = state.phase === "ended";
  const removed = state.phase === "removed";
  useEffect(() => {
    if (!ended) return;
    const t = setTimeout(() => navigate("/", { replace: true }), ENDED_REDIRECT_MS);
    return () => clearTimeout(t);
  }, [ended]);
  const code = state.problem?.code ?? "";
  let heading: string;
  let text: string | undefined;
  let testid = "room-error";
  if (removed) {
    heading = "A moderator removed you from this room";
    text = "You can't join it again while it's live.";
    testid = "room-removed";
  } else if (ended) {
    heading = "This room has ended";
    text = `${state.problem?.message ?? ""} Taking you back to the hallway…`;
    testid = "room-ended";
  } else if (code === "removed_from_room" || code === "blocked") {
    heading = "You can't join this room";
    text = state.problem?.message;
  } else if (code === "room_not_found" || code === "room_forbidden") {
    heading = "This room isn't available";
    text = "It may have ended, or it's a room you haven't been let into.";
  } else {
    heading = "Couldn't join the room";
    text = state.problem?.message;
  }
  return (
    <div class="page room-page">
      <main class="narrow">
        <div
          class="card empty"
          role={removed || ended ? "alert" : "status"}
          data-testid={testid}
          data-code={code}
          data-reason={state.problem?.reason ?? undefined}
        >
          <p class="empty__title">{heading}</p>
          <p class="muted">{text}</p>
          <button type="button" class="button button--secondary" onClick={() => navigate("/", { replace: true })}>
            Back to the hallway
          </button>
        </div>
      </main>
    </div>
  );
}

/** Who the participant sheet is about: someone in the visible set, or a plain listener. */
type Selected = { id: string; user: User };

function LiveRoom({ me, state, onLeave }: { me: Me; state: RoomState; onLeave: () => void }) {
  const synced = state.synced!;
  const room = synced.room;
  const self = selfOf(state);
  const isMod = self?.role === "moderator";
  const stage = [
    ...synced.participants.filter((p) => p.role === "moderator"),
    ...synced.participants.filter((p) => p.role === "speaker"),
  ];
  // The visible part of the audience: raised hands and invitations (never everyone).
  const visibleListeners = synced.participants.filter((p) => p.role === "listener");
  const hands = visibleListeners.filter((p) => p.hand_raised);
  // Moderators see raised hands in their queue; everyone else sees them as tiles.
  const audienceTiles = isMod ? visibleListeners.filter((p) => !p.hand_raised) : visibleListeners;
  const muted = state.pendingMute ?? self?.muted ?? false;

  const [selected, setSelected] = useState<Selected | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [pinging, setPinging] = useState(false);
  const [reporting, setReporting] = useState<ReportTarget | null>(null);
  const onReport: OnReport = setReporting;

  const selectedP: Participant | null = selected
    ? (synced.participants.find((p) => p.user.id === selected.id) ??
      (selected.id === state.youId && self ? self : plainListener(selected.user)))
    : null;
  const open = (p: Participant) => setSelected({ id: p.user.id, user: p.user });

  const invitedPrompt = !!self && self.role === "listener" && self.invited && !state.inviteDismissed;
  const moderators = synced.participants.filter((p) => p.role === "moderator");
  const inviterName =
    self?.invited_by?.display_name ?? (moderators.length === 1 ? moderators[0]!.user.display_name : "A moderator");

  return (
    <RoomShell
      onBack={onLeave}
      extra={
        <div class="room-topbar__actions">
          <button type="button" class="pill-link" onClick={() => setPinging(true)} data-testid="ping-button">
            <WaveIcon size={18} /> Ping
          </button>
          <button
            type="button"
            class="icon-button"
            onClick={() => setMenuOpen(true)}
            aria-label="Room menu"
            aria-haspopup="dialog"
            data-testid="room-menu"
          >
            <MoreIcon />
          </button>
        </div>
      }
    >
      <Banners state={state} />
      <main
        class="room-card"
        data-testid="room"
        data-room-id={room.id}
        data-version={synced.version}
        data-hands={String(synced.settings.hands)}
      >
        <div class="room-head">
          <h1 class="room-title" data-testid="room-title">
            {room.visibility !== "open" && (
              <span class="lock" title={visibilityLabel(room.visibility)} aria-label={visibilityLabel(room.visibility)}>
                {room.visibility === "social" ? <PeopleIcon size={16} /> : <LockIcon size={16} />}
              </span>
            )}
            {room.title}
          </h1>
          {room.demo && (
            <p class="muted small demo-note" data-testid="demo-note">
              Demo room: the people here are seeded members, and there is no audio.
            </p>
          )}
          {!synced.settings.hands && (
            <p class="room-note" data-testid="hands-off-badge">
              <HandIcon size={14} /> Hand-raising is off
            </p>
          )}
        </div>

        {isMod && hands.length > 0 && (
          <section class="hand-queue" data-testid="hand-queue" aria-label="Raised hands">
            <h2 class="hand-queue__title">
              <HandIcon size={18} /> {plural(hands.length, "raised hand", "raised hands")}
            </h2>
            <ul>
              {hands.map((p) => (
                <li key={p.user.id} class="hand-queue__entry" data-testid="hand-queue-entry" data-user={p.user.username}>
                  <button type="button" class="hand-queue__open" onClick={() => open(p)} aria-label={`${p.user.display_name}: more actions`}>
                    <Avatar user={p.user} size={36} />
                    <span class="hand-queue__who">
                      <strong>{p.user.display_name}</strong>
                      <small class="muted">@{p.user.username}</small>
                    </span>
                  </button>
                  <button
                    type="button"
                    class="button button--small button--green"
                    onClick={() => roomController.inviteToSpeak(p.user.id)}
                    data-testid="hand-queue-invite"
                    data-user={p.user.username}
                  >
                    Invite to speak
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}

        <section class="grid grid--stage" aria-label="Stage" data-testid="stage">
          {stage.map((p) => (
            <Tile key={p.user.id} p={p} size={76} isSelf={p.user.id === state.youId} onOpen={open} />
          ))}
        </section>

        <h2 class="audience-title">
          In the audience{" "}
          <span class="muted" data-testid="room-listener-count" data-count={synced.listeners}>
            {listeningText(synced.listeners)}
          </span>
        </h2>
        {audienceTiles.length > 0 && (
          <section class="grid grid--audience" aria-label="Raised hands and invited listeners" data-testid="audience">
            {audienceTiles.map((p) => (
              <Tile key={p.user.id} p={p} size={58} isSelf={p.user.id === state.youId} onOpen={open} />
            ))}
          </section>
        )}
        <AudienceList
          audience={state.audience}
          count={synced.listeners}
          youId={state.youId}
          hidden={new Set(stage.map((p) => p.user.id))}
          onOpen={(user) => setSelected({ id: user.id, user })}
        />
      </main>

      <BottomBar state={state} self={self} muted={muted} handsOn={synced.settings.hands} onLeave={onLeave} />

      {selectedP && (
        <ParticipantSheet
          p={selectedP}
          self={self}
          lastModerator={moderators.length <= 1}
          roomId={room.id}
          onReport={onReport}
          onClose={() => setSelected(null)}
        />
      )}
      {menuOpen && <RoomMenu state={state} self={self} onReport={onReport} onClose={() => setMenuOpen(false)} />}
      {reporting && <ReportSheet {...reporting} onClose={() => setReporting(null)} />}
      {invitedPrompt && (
        <Sheet onClose={() => roomController.declineSpeak()} label="Invitation to speak" testid="speak-invitation">
          <div class="stack center">
            <div class="invite-to-speak__icon">
              <MicIcon size={30} />
            </div>
            <h2 class="sheet__title" data-testid="speak-invitation-text">
              {inviterName} invited you to speak
            </h2>
            <p class="muted">You'll join the stage and others will hear you.</p>
            <button type="button" class="button button--primary button--block" onClick={() => roomController.acceptSpeak()} data-testid="accept-speak">
              Join as a speaker
            </button>
            <button type="button" class="button button--ghost button--block" onClick={() => roomController.declineSpeak()} data-testid="decline-speak">
              Maybe later
            </button>
          </div>
        </Sheet>
      )}
      {pinging && (
        <PingSheet
          me={me}
          roomId={room.id}
          inRoom={new Set(synced.participants.map((p) => p.user.username))}
          onClose={() => setPinging(false)}
        />
      )}
    </RoomShell>
  );
}

const countFormat = new Intl.NumberFormat();

/** "1,204 listening"; "No one listening yet". */
export function listeningText(n: number): string {
  return n === 0 ? "No one listening yet" : `${countFormat.format(n)} listening`;
}

function visibilityLabel(v: string): string {
  if (v === "club") return "Club members only";
  if (v === "social") return "People the moderators follow";
  if (v === "closed") return "Closed room";
  return "Open room";
}

function Banners({ state }: { state: RoomState }) {
  return (
    <div class="banners">
      {(state.connection === "reconnecting" || state.connection === "connecting") && (
        <div class="banner banner--warn" role="status" data-testid="banner-reconnecting">
          Connection lost. Reconnecting…
        </div>
      )}
      {state.mediaDown && (
        <div class="banner banner--warn" role="status" data-testid="banner-media-down">
          Audio reconnecting…
        </div>
      )}
      {state.audioBlocked && (
        <button type="button" class="banner banner--action" onClick={() => roomController.unlockAudio()} data-testid="enable-audio">
          <SpeakerIcon /> Tap to enable audio
        </button>
      )}
      {state.micError && (
        <div class="banner banner--error" role="alert" data-testid="banner-mic-error">
          <span>{state.micError}</span>
          <button type="button" class="link-button" onClick={() => roomController.retryAudio()} data-testid="retry-mic">
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

function Tile({
  p,
  size,
  isSelf,
  onOpen,
}: {
  p: Participant;
  size: number;
  isSelf: boolean;
  onOpen: (p: Participant) => void;
}) {
  const stage = onStage(p);
  const firstName = (p.user.display_name || p.user.username).split(/\s+/)[0];
  const label = `${p.user.display_name}${p.role === "moderator" ? ", moderator" : ""}${stage && p.muted ? ", muted" : ""}${
    p.speaking ? ", speaking" : ""
  }${p.hand_raised ? ", hand raised" : ""}${p.invited ? ", invited to speak" : ""}${isSelf ? " (you)" : ""}`;
  return (
    <button
      type="button"
      class={`tile${p.speaking && !p.muted ? " is-speaking" : ""}${isSelf ? " is-self" : ""}`}
      onClick={() => onOpen(p)}
      aria-label={label}
      data-testid="participant"
      data-user={p.user.username}
      data-role={p.role}
      data-muted={String(p.muted)}
      data-speaking={String(p.speaking)}
      data-hand={String(p.hand_raised)}
      data-invited={String(p.invited)}
      data-publishing={String(p.publishing)}
    >
      <span class="tile__avatar">
        <Avatar user={p.user} size={size} ring={p.speaking && !p.muted} />
        {stage && p.muted && (
          <span class="tile__badge tile__badge--mute" title="Muted">
            <MicOffIcon size={14} />
          </span>
        )}
        {!stage && p.hand_raised && (
          <span class="tile__badge tile__badge--hand" title="Hand raised">
            <HandIcon size={14} />
          </span>
        )}
      </span>
      <span class="tile__name">
        {p.role === "moderator" && (
          <span class="mod-star" title="Moderator">
            <StarIcon size={10} />
          </span>
        )}
        {firstName}
      </span>
    </button>
  );
}

function BottomBar({
  state,
  self,
  muted,
  handsOn,
  onLeave,
}: {
  state: RoomState;
  self: Participant | null;
  muted: boolean;
  handsOn: boolean;
  onLeave: () => void;
}) {
  const stage = onStage(self);
  const publishing = state.publishState;
  // With hand-raising off a raised hand can't be raised (it was lowered by the switch).
  const handDisabled = !!self && !stage && !handsOn && !self.hand_raised;
  return (
    <footer class="room-bottombar">
      <button type="button" class="button button--leave" onClick={onLeave} data-testid="leave-room">
        Leave quietly
      </button>
      <div class="room-bottombar__right">
        {self?.role === "speaker" && (
          <button type="button" class="button button--ghost leave-stage" onClick={() => roomController.moveToAudience(self.user.id)} data-testid="leave-stage" aria-label="Leave the stage">
            Leave stage
          </button>
        )}
        {handDisabled && (
          <span class="hands-off-note" id="hands-off-note" data-testid="hands-off-note">
            The moderators turned off hand-raising
          </span>
        )}
        {self && !stage && (
          <button
            type="button"
            class={`round-button${self.hand_raised ? " is-active" : ""}`}
            aria-pressed={self.hand_raised}
            aria-label={self.hand_raised ? "Lower your hand" : "Raise your hand"}
            aria-describedby={handDisabled ? "hands-off-note" : undefined}
            title={handDisabled ? "The moderators turned off hand-raising" : self.hand_raised ? "Lower your hand" : "Raise your hand"}
            disabled={handDisabled}
            onClick={() => roomController.raiseHand(!self.hand_raised)}
            data-testid="raise-hand"
            data-raised={String(self.hand_raised)}
          >
            <HandIcon size={26} />
          </button>
        )}
        {self && stage && (
          <button
            type="button"
            class={`round-button${muted ? " is-muted" : " is-live"}`}
            aria-pressed={muted}
            aria-label={muted ? "Unmute" : "Mute"}
            title={muted ? "Unmute" : "Mute"}
            onClick={() => roomController.setMuted(!muted)}
            data-testid="mute"
            data-muted={String(muted)}
            data-publish-state={publishing}
          >
            {muted ? <MicOffIcon size={26} /> : <MicIcon size={26} />}
          </button>
        )}
      </div>
    </footer>
  );
}
