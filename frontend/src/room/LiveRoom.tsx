import { useEffect, useState } from "preact/hooks";
import type { Me, User } from "../lib/api-types";
import { listeningText, plural } from "../lib/format";
import type { Participant } from "../lib/protocol";
import { roomController } from "../lib/room/controller";
import { me as selfOf, plainListener, type RoomState } from "../lib/room/state";
import { ReportSheet, type OnReport, type ReportTarget } from "../reports/ReportSheet";
import { Avatar } from "../ui/Avatar";
import { useDesktop } from "../ui/hooks";
import { ROOM_TEXTS } from "../lib/room/texts";
import { HandIcon, LockIcon, MicIcon, MicOffIcon, MoreIcon, PeopleIcon, WaveIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";
import { AudienceList } from "./AudienceList";
import { Banners } from "./Banners";
import { BottomBar } from "./BottomBar";
import { ParticipantSheet } from "./ParticipantSheet";
import { PingSheet } from "./PingSheet";
import { RoomMenu } from "./RoomMenu";
import { RoomShell } from "./RoomPage";
import { Tile } from "./Tile";

/** Who the participant sheet is about: someone in the visible set, or a plain listener. */
type Selected = { id: string; user: User };

/** The live room: stage, audience, the member's controls, and every sheet opened from them. */
export function LiveRoom({ me, state, onLeave }: { me: Me; state: RoomState; onLeave: () => void }) {
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
  const prompted = state.stagePrompt && muted;

  const desktop = useDesktop();
  // On a desktop the audience is a grid that is there from the start (a phone asks for
  // it with "See who's listening"): the first page loads as soon as anyone listens.
  const audienceWanted = desktop && synced.listeners > 0 && !state.audience.opened;
  useEffect(() => {
    if (audienceWanted) roomController.loadAudience(false);
  }, [audienceWanted]);

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
  const inviterName = moderators.length === 1 ? moderators[0]!.user.display_name : "A moderator";

  return (
    <RoomShell
      roomId={room.id}
      onBack={onLeave}
      side={
        desktop && isMod ? (
          <aside class="room-side" aria-label="Moderator panel" data-testid="room-side">
            <HandQueue hands={hands} onOpen={open} />
          </aside>
        ) : undefined
      }
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
          {room.description && (
            <p class="room-description" data-testid="room-description">
              {room.description}
            </p>
          )}
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

        {!desktop && isMod && hands.length > 0 && <HandQueue hands={hands} onOpen={open} />}

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
          grid={desktop}
        />
      </main>

      <StagePrompt shown={prompted} />
      <BottomBar state={state} self={self} muted={muted} prompted={prompted} handsOn={synced.settings.hands} onLeave={onLeave} />

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
      {invitedPrompt && <SpeakInvitation inviterName={inviterName} />}
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

function visibilityLabel(v: string): string {
  if (v === "club") return "Club members only";
  if (v === "social") return "People the moderators follow";
  if (v === "closed") return "Closed room";
  return "Open room";
}

/**
 * Moderators see raised hands as a queue, each with "Invite to speak": above the stage
 * on a phone (only while there are any), in the side panel on a desktop (always).
 */
function HandQueue({ hands, onOpen }: { hands: Participant[]; onOpen: (p: Participant) => void }) {
  return (
    <section class="hand-queue" data-testid="hand-queue" aria-label="Raised hands">
      <h2 class="hand-queue__title">
        <HandIcon size={18} /> {hands.length ? plural(hands.length, "raised hand", "raised hands") : "Raised hands"}
      </h2>
      {hands.length === 0 && <p class="muted small hand-queue__empty">No raised hands right now.</p>}
      <ul>
        {hands.map((p) => (
          <li key={p.user.id} class="hand-queue__entry" data-testid="hand-queue-entry" data-user={p.user.username}>
            <button type="button" class="hand-queue__open" onClick={() => onOpen(p)} aria-label={`${p.user.display_name}: more actions`}>
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
  );
}

/**
 * "You're on stage and muted. Unmute to talk.": everyone but the room's opener arrives
 * on the stage muted, and is told so here until they first unmute. The region is always
 * in the page (empty when there is nothing to say) so that screen readers announce the
 * sentence when it appears.
 */
function StagePrompt({ shown }: { shown: boolean }) {
  return (
    <div class="stage-prompt-region" role="status" aria-live="polite" data-testid="stage-prompt-region">
      {shown && (
        <p class="stage-prompt" id="stage-prompt" data-testid="stage-prompt">
          <MicOffIcon size={18} />
          <span>{ROOM_TEXTS.stagePrompt}</span>
          <button type="button" class="button button--small button--green" onClick={() => roomController.setMuted(false)} data-testid="stage-prompt-unmute">
            {ROOM_TEXTS.stagePromptAction}
          </button>
        </p>
      )}
    </div>
  );
}

/** "X invited you to speak": join the stage, or "Maybe later" (which declines). */
function SpeakInvitation({ inviterName }: { inviterName: string }) {
  return (
    <Sheet onClose={() => roomController.declineSpeak()} label="Invitation to speak" testid="speak-invitation">
      <div class="stack center">
        <div class="invite-to-speak__icon">
          <MicIcon size={30} />
        </div>
        <h2 class="sheet__title" data-testid="speak-invitation-text">
          {inviterName} invited you to speak
        </h2>
        <p class="muted">{ROOM_TEXTS.invitationNote}</p>
        <button type="button" class="button button--primary button--block" onClick={() => roomController.acceptSpeak()} data-testid="accept-speak">
          Join as a speaker
        </button>
        <button type="button" class="button button--ghost button--block" onClick={() => roomController.declineSpeak()} data-testid="decline-speak">
          Maybe later
        </button>
      </div>
    </Sheet>
  );
}
