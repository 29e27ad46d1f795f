import { useState } from "preact/hooks";
import { copyText } from "../lib/clipboard";
import type { Participant } from "../lib/protocol";
import { roomController } from "../lib/room/controller";
import type { RoomState } from "../lib/room/state";
import { roomHref } from "../lib/routes";
import { toast } from "../lib/toast";
import type { OnReport } from "../reports/ReportSheet";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { BubbleIcon, CopyIcon, FlagIcon, HandIcon, ListIcon, PlusIcon, StopIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";
import { AdmitSheet } from "./AdmitSheet";
import { DescriptionSheet } from "./DescriptionSheet";
import { ModerationLog } from "./ModerationLog";
import { RoomLinkSheet } from "./RoomLinkSheet";

type View = "menu" | "admit" | "link" | "log" | "end" | "description";

/**
 * The room's "…" menu. Moderators: hand-raising on/off, the room's description, let
 * someone in (closed rooms), a room link, the moderation log, end the room. Everyone: copy the room's address.
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
  if (view === "description") return <DescriptionSheet roomId={room.id} current={room.description} onClose={onClose} />;
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
    const ok = await copyText(`${window.location.origin}${roomHref(room.id)}`);
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
          {isMod && (
            <button type="button" class="menu-list__item" onClick={() => setView("description")} data-testid="room-description-edit">
              <BubbleIcon size={20} />
              <span class="menu-list__text">
                <strong>Description</strong>
                <small class="muted">{room.description ? "Change what the room is about" : "Say what the room is about"}</small>
              </span>
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
