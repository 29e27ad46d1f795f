import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { plural } from "../lib/format";
import { me as selfOf, roomController, type RoomState } from "../lib/room";
import { onStage } from "../lib/roomstate";
import { navigate } from "../lib/router";
import { useStore } from "../lib/store";
import { toast } from "../lib/toast";
import type { Me, Participant } from "../lib/types";
import { Avatar } from "../ui/Avatar";
import { ChevronLeft, HandIcon, LockIcon, MicIcon, MicOffIcon, PlusIcon, SpeakerIcon, StarIcon, WaveIcon } from "../ui/icons";
import { PingSheet } from "../ui/PingSheet";
import { Sheet } from "../ui/Sheet";

const ENDED_REDIRECT_MS = 3500;

export function RoomPage({ me, roomId }: { me: Me; roomId: string }) {
  const state = useStore(roomController.state);

  useEffect(() => {
    roomController.enter(roomId);
    return () => {
      if (roomController.state.get().roomId === roomId) roomController.leave();
    };
  }, [roomId]);

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
  if (state.phase === "failed" || state.phase === "ended") {
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
  useEffect(() => {
    if (!ended) return;
    const t = setTimeout(() => navigate("/", { replace: true }), ENDED_REDIRECT_MS);
    return () => clearTimeout(t);
  }, [ended]);
  const code = state.problem?.code ?? "";
  const heading = ended
    ? "This room has ended"
    : code === "room_not_found" || code === "room_forbidden"
      ? "This room isn't available"
      : "Couldn't join the room";
  return (
    <div class="page room-page">
      <main class="narrow">
        <div class="card empty" role="status" data-testid={ended ? "room-ended" : "room-error"} data-code={code}>
          <p class="empty__title">{heading}</p>
          <p class="muted">
            {ended
              ? `${state.problem?.message ?? ""} Taking you back to the hallway…`
              : code === "room_not_found"
                ? "It may have ended, or it's a closed room you haven't been added to."
                : state.problem?.message}
          </p>
          <button type="button" class="button button--secondary" onClick={() => navigate("/", { replace: true })}>
            Back to the hallway
          </button>
        </div>
      </main>
    </div>
  );
}

function LiveRoom({ me, state, onLeave }: { me: Me; state: RoomState; onLeave: () => void }) {
  const synced = state.synced!;
  const room = synced.room;
  const self = selfOf(state);
  const isMod = self?.role === "moderator";
  const stage = [
    ...synced.participants.filter((p) => p.role === "moderator"),
    ...synced.participants.filter((p) => p.role === "speaker"),
  ];
  const audience = synced.participants.filter((p) => p.role === "listener");
  const hands = audience.filter((p) => p.hand_raised);
  const muted = state.pendingMute ?? self?.muted ?? false;

  const [selected, setSelected] = useState<string | null>(null);
  const [admitting, setAdmitting] = useState(false);
  const [pinging, setPinging] = useState(false);
  const selectedP = selected ? synced.participants.find((p) => p.user.id === selected) ?? null : null;

  const invitedPrompt = !!self && self.role === "listener" && self.invited && !state.inviteDismissed;
  const moderators = synced.participants.filter((p) => p.role === "moderator");
  const inviterName =
    self?.invited_by?.display_name ?? (moderators.length === 1 ? moderators[0]!.user.display_name : "A moderator");

  return (
    <RoomShell
      onBack={onLeave}
      extra={
        <div class="room-topbar__actions">
          {isMod && room.visibility === "closed" && (
            <button type="button" class="pill-link" onClick={() => setAdmitting(true)} data-testid="add-people">
              <PlusIcon size={18} /> Add people
            </button>
          )}
          <button type="button" class="pill-link" onClick={() => setPinging(true)} data-testid="ping-button">
            <WaveIcon size={18} /> Ping
          </button>
        </div>
      }
    >
      <Banners state={state} />
      <main class="room-card" data-testid="room" data-room-id={room.id} data-version={synced.version}>
        <div class="room-head">
          <h1 class="room-title" data-testid="room-title">
            {room.visibility !== "open" && (
              <span class="lock" title={room.visibility === "club" ? "Club members only" : "Closed room"}>
                <LockIcon size={16} />
              </span>
            )}
            {room.title}
          </h1>
          {room.demo && (
            <p class="muted small demo-note" data-testid="demo-note">
              Demo room: the people here are seeded members, and there is no audio.
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
                  <Avatar user={p.user} size={36} />
                  <div class="hand-queue__who">
                    <strong>{p.user.display_name}</strong>
                    <small class="muted">@{p.user.username}</small>
                  </div>
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
            <Tile key={p.user.id} p={p} size={76} isSelf={p.user.id === state.youId} onOpen={setSelected} />
          ))}
        </section>

        <h2 class="audience-title">
          In the audience <span class="muted" data-testid="room-listener-count" data-count={audience.length}>{plural(audience.length, "listener", "listeners")}</span>
        </h2>
        {audience.length === 0 ? (
          <p class="muted small">No one is listening yet.</p>
        ) : (
          <section class="grid grid--audience" aria-label="Audience" data-testid="audience">
            {audience.map((p) => (
              <Tile key={p.user.id} p={p} size={58} isSelf={p.user.id === state.youId} onOpen={setSelected} />
            ))}
          </section>
        )}
      </main>

      <BottomBar state={state} self={self} muted={muted} onLeave={onLeave} />

      {selectedP && (
        <ParticipantSheet
          p={selectedP}
          self={self}
          onClose={() => setSelected(null)}
        />
      )}
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
      {admitting && <AdmitSheet roomId={room.id} onClose={() => setAdmitting(false)} />}
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
  onOpen: (id: string) => void;
}) {
  const stage = onStage(p);
  const firstName = (p.user.display_name || p.user.username).split(/\s+/)[0];
  const label = `${p.user.display_name}${p.role === "moderator" ? ", moderator" : ""}${stage && p.muted ? ", muted" : ""}${
    p.speaking ? ", speaking" : ""
  }${p.hand_raised ? ", hand raised" : ""}${isSelf ? " (you)" : ""}`;
  return (
    <button
      type="button"
      class={`tile${p.speaking && !p.muted ? " is-speaking" : ""}${isSelf ? " is-self" : ""}`}
      onClick={() => onOpen(p.user.id)}
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

function ParticipantSheet({ p, self, onClose }: { p: Participant; self: Participant | null; onClose: () => void }) {
  const isMod = self?.role === "moderator";
  const isSelf = self?.user.id === p.user.id;
  const act = (fn: () => void) => () => {
    fn();
    onClose();
  };
  const roleLabel =
    p.role === "moderator" ? "Moderator" : p.role === "speaker" ? "Speaker" : p.invited ? "Invited to speak" : p.hand_raised ? "Hand raised" : "Listener";
  return (
    <Sheet onClose={onClose} label={p.user.display_name} testid="participant-sheet">
      <div class="stack center">
        <Avatar user={p.user} size={88} />
        <div>
          <h2 class="sheet__title">{p.user.display_name}</h2>
          <p class="muted">
            @{p.user.username} · {roleLabel}
          </p>
        </div>
        {isMod && !isSelf && p.role === "listener" && !p.invited && (
          <button type="button" class="button button--green button--block" onClick={act(() => roomController.inviteToSpeak(p.user.id))} data-testid="sheet-invite-to-speak">
            Invite to speak
          </button>
        )}
        {isMod && !isSelf && onStage(p) && (
          <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.moveToAudience(p.user.id))} data-testid="sheet-move-to-audience">
            Move to audience
          </button>
        )}
        {isSelf && p.role === "speaker" && (
          <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.moveToAudience(p.user.id))} data-testid="sheet-leave-stage">
            Leave the stage
          </button>
        )}
        <a class="button button--ghost button--block" href={`/u/${encodeURIComponent(p.user.username)}`} target="_blank" rel="noopener">
          View profile
        </a>
      </div>
    </Sheet>
  );
}

function BottomBar({ state, self, muted, onLeave }: { state: RoomState; self: Participant | null; muted: boolean; onLeave: () => void }) {
  const stage = onStage(self);
  const publishing = state.publishState;
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
        {self && !stage && (
          <button
            type="button"
            class={`round-button${self.hand_raised ? " is-active" : ""}`}
            aria-pressed={self.hand_raised}
            aria-label={self.hand_raised ? "Lower your hand" : "Raise your hand"}
            title={self.hand_raised ? "Lower your hand" : "Raise your hand"}
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

function AdmitSheet({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const [username, setUsername] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const name = username.trim().replace(/^@/, "").toLowerCase();
    if (!name) return;
    setBusy(true);
    setError(null);
    try {
      await api.admit(roomId, name);
      toast(`@${name} can join this room now. Send them the link!`, "info");
      setUsername("");
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === "user_not_found"
          ? `There's no member called @${name}.`
          : err instanceof Error
            ? err.message
            : "Couldn't add them.",
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Sheet onClose={onClose} label="Add people" testid="admit-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Add people</h2>
        <p class="muted">This room is closed. Members you add here may join it.</p>
        <label class="field">
          <span>Username</span>
          <div class="input-prefix">
            <span aria-hidden="true">@</span>
            <input
              name="username"
              autoCapitalize="none"
              spellcheck={false}
              value={username}
              onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
              data-testid="admit-username"
            />
          </div>
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary button--block" disabled={busy || !username.trim()} data-testid="admit-submit">
          {busy ? "Adding…" : "Add to room"}
        </button>
      </form>
    </Sheet>
  );
}
