import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { copyText } from "../lib/clipboard";
import { errorText } from "../lib/load";
import type { OnReport } from "../lib/report";
import { roomController, type RoomState } from "../lib/room";
import { toast } from "../lib/toast";
import type { Participant } from "../lib/types";
import { ConfirmSheet } from "./ConfirmSheet";
import { CopyIcon, FlagIcon, HandIcon, ListIcon, PlusIcon, StopIcon } from "./icons";
import { ModerationLog } from "./ModerationLog";
import { Sheet } from "./Sheet";

type View = "menu" | "admit" | "link" | "log" | "end";

/**
 * The room's "…" menu. Moderators: hand-raising on/off, let someone in (closed rooms),
 * a room link, the moderation log, end the room. Everyone: copy the room's address.
 */
export function RoomMenu({
  state,
  self,
  onReport,
  onClose,
}: {
  state: RoomState;
  self: Participant | null;
  onReport?: OnReport;
  onClose: () => void;
}) {
  const [view, setView] = useState<View>("menu");
  const synced = state.synced!;
  const room = synced.room;
  const isMod = self?.role === "moderator";
  const handsOn = synced.settings.hands;

  if (view === "admit") return <AdmitSheet roomId={room.id} onClose={onClose} />;
  if (view === "link") return <RoomLinkSheet roomId={room.id} onClose={onClose} />;
  if (view === "log") return <ModerationLog roomId={room.id} onClose={onClose} />;
  if (view === "end")
    return (
      <ConfirmSheet
        title="End the room for everyone?"
        confirmLabel="End room"
        busyLabel="Ending…"
        danger
        onConfirm={() => roomController.endRoom()}
        onClose={onClose}
        testid="end-room-dialog"
        confirmTestid="end-room-confirm"
      >
        <p class="muted">Everyone leaves at once, speakers and listeners alike.</p>
      </ConfirmSheet>
    );

  const copyPlainLink = async () => {
    const ok = await copyText(`${window.location.origin}/room/${encodeURIComponent(room.id)}`);
    toast(ok ? "Room address copied." : "Couldn't copy the address.", ok ? "info" : "error");
    onClose();
  };

  return (
    <Sheet onClose={onClose} label="Room menu" testid="room-menu-sheet">
      <div class="stack">
        <h2 class="sheet__title">{room.title}</h2>
        <div class="menu-list" role="group" aria-label="Room actions">
          {isMod && (
            <button
              type="button"
              role="switch"
              aria-checked={handsOn}
              class="menu-list__item menu-list__item--switch"
              onClick={() => roomController.setHands(!handsOn)}
              data-testid="room-hands-toggle"
              data-on={String(handsOn)}
            >
              <HandIcon size={20} />
              <span class="menu-list__text">
                <strong>Hand-raising</strong>
                <small class="muted">{handsOn ? "Listeners can ask to speak" : "Off: listeners can't raise a hand"}</small>
              </span>
              <span class={`switch${handsOn ? " is-on" : ""}`} aria-hidden="true" />
            </button>
          )}
          {isMod && room.visibility === "closed" && (
            <button type="button" class="menu-list__item" onClick={() => setView("admit")} data-testid="room-admit">
              <PlusIcon size={20} />
              <span class="menu-list__text">
                <strong>Let someone in</strong>
                <small class="muted">By username</small>
              </span>
            </button>
          )}
          {isMod ? (
            <button type="button" class="menu-list__item" onClick={() => setView("link")} data-testid="room-copy-link">
              <CopyIcon size={20} />
              <span class="menu-list__text">
                <strong>Copy room link</strong>
                <small class="muted">{room.visibility === "closed" ? "Whoever opens it may come in" : "Share the room"}</small>
              </span>
            </button>
          ) : (
            room.visibility !== "closed" && (
              <button type="button" class="menu-list__item" onClick={() => void copyPlainLink()} data-testid="room-copy-link">
                <CopyIcon size={20} />
                <span class="menu-list__text">
                  <strong>Copy room link</strong>
                </span>
              </button>
            )
          )}
          {isMod && (
            <button type="button" class="menu-list__item" onClick={() => setView("log")} data-testid="room-audit-open">
              <ListIcon size={20} />
              <span class="menu-list__text">
                <strong>Moderation log</strong>
                <small class="muted">What the moderators did</small>
              </span>
            </button>
          )}
          {onReport && (
            <button
              type="button"
              class="menu-list__item"
              onClick={() => {
                onClose();
                onReport({ roomId: room.id, name: "this room" });
              }}
              data-testid="room-report"
            >
              <FlagIcon size={20} />
              <span class="menu-list__text">
                <strong>Report this room</strong>
              </span>
            </button>
          )}
          {isMod && (
            <button type="button" class="menu-list__item menu-list__item--danger" onClick={() => setView("end")} data-testid="room-end">
              <StopIcon size={20} />
              <span class="menu-list__text">
                <strong>End room</strong>
                <small class="muted">For everyone</small>
              </span>
            </button>
          )}
        </div>
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Close
        </button>
      </div>
    </Sheet>
  );
}

/** "Let someone in": a closed room's moderators admit a member by username. */
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
          : errorText(err, "Couldn't let them in.", { not_moderator: "Only moderators can let people in." }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Sheet onClose={onClose} label="Let someone in" testid="admit-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Let someone in</h2>
        <p class="muted">This room is closed. Members you let in here may join it.</p>
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
          <p class="form-error" role="alert" data-testid="admit-error">
            {error}
          </p>
        )}
        <button type="submit" class="button button--primary button--block" disabled={busy || !username.trim()} data-testid="admit-submit">
          {busy ? "Letting in…" : "Let in"}
        </button>
      </form>
    </Sheet>
  );
}

/** A fresh room link (POST /api/rooms/{id}/link), copied at once and shown to copy again. */
function RoomLinkSheet({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    api.roomLink(roomId).then(
      async ({ url }) => {
        if (!live) return;
        setUrl(url);
        setCopied(await copyText(url));
      },
      (err: unknown) => live && setError(errorText(err, "Couldn't make a link.")),
    );
    return () => {
      live = false;
    };
  }, [roomId]);
  const copy = async () => {
    if (url) setCopied(await copyText(url));
  };
  return (
    <Sheet onClose={onClose} label="Room link" testid="room-link-dialog">
      <div class="stack">
        <h2 class="sheet__title">Room link</h2>
        <p class="muted">Anyone with this link can come in while the room is live. Share it only with people you want here.</p>
        {error && (
          <p class="form-error" role="alert" data-testid="room-link-error">
            {error}
          </p>
        )}
        <div class="invite-link">
          <input readOnly value={url ?? "Making a link…"} aria-label="Room link" data-testid="room-link-url" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        </div>
        <button type="button" class="button button--primary button--block" disabled={!url} onClick={() => void copy()} data-testid="room-link-copy">
          {copied ? "Copied" : "Copy link"}
        </button>
        <button type="button" class="button button--ghost button--block" onClick={onClose}>
          Done
        </button>
      </div>
    </Sheet>
  );
}
