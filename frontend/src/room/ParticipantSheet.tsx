import { useState } from "preact/hooks";
import type { Participant } from "../lib/protocol";
import { roomController } from "../lib/room/controller";
import { onStage } from "../lib/room/synced";
import { profileHref } from "../lib/routes";
import type { OnReport } from "../reports/ReportSheet";
import { Avatar } from "../ui/Avatar";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { Sheet } from "../ui/Sheet";

/**
 * Tapping someone in the room: who they are and, for moderators, every moderation
 * tool that fits their state (docs/PROTOCOL.md "Client to server"). The server has the
 * last word; a refusal shows as a toast.
 */
export function ParticipantSheet({
  p,
  self,
  lastModerator,
  roomId,
  onReport,
  onClose,
}: {
  p: Participant;
  self: Participant | null;
  /** Only one moderator is left: they can't step down or be moved off the stage. */
  lastModerator: boolean;
  roomId: string;
  onReport?: OnReport;
  onClose: () => void;
}) {
  const [confirmRemove, setConfirmRemove] = useState(false);
  const isMod = self?.role === "moderator";
  const isSelf = self?.user.id === p.user.id;
  const stage = onStage(p);
  const act = (fn: () => void) => () => {
    fn();
    onClose();
  };
  const roleLabel =
    p.role === "moderator"
      ? "Moderator"
      : p.role === "speaker"
        ? "Speaker"
        : p.invited
          ? "Invited to speak"
          : p.hand_raised
            ? "Hand raised"
            : "Listener";
  const name = p.user.display_name || p.user.username;

  if (confirmRemove) {
    return (
      <ConfirmSheet
        title={`Remove ${name} from the room?`}
        confirmLabel="Remove from room"
        busyLabel="Removing…"
        danger
        onConfirm={() => roomController.removeFromRoom(p.user.id)}
        onClose={onClose}
        testid="remove-dialog"
        confirmTestid="remove-confirm"
      >
        <p class="muted">They'll leave at once and can't come back while this room is live.</p>
      </ConfirmSheet>
    );
  }

  return (
    <Sheet onClose={onClose} label={name} testid="participant-sheet">
      <div class="stack center">
        <Avatar user={p.user} size={88} />
        <div>
          <h2 class="sheet__title">{name}</h2>
          <p class="muted" data-testid="sheet-role">
            @{p.user.username} · {roleLabel}
            {stage && p.muted ? " · muted" : ""}
          </p>
        </div>
        <div class="action-list">
          {isMod && !isSelf && p.role === "listener" && !p.invited && (
            <button type="button" class="button button--green button--block" onClick={act(() => roomController.inviteToSpeak(p.user.id))} data-testid="sheet-invite-to-speak">
              {p.hand_raised ? "Bring to the stage" : "Invite to speak"}
            </button>
          )}
          {isMod && !isSelf && p.role === "listener" && p.invited && (
            <p class="muted small" data-testid="sheet-invited-note">
              Invited to speak. Waiting for their answer.
            </p>
          )}
          {isMod && !isSelf && stage && !p.muted && (
            <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.muteOther(p.user.id))} data-testid="sheet-mute">
              Mute
            </button>
          )}
          {isMod && !isSelf && stage && p.muted && (
            <p class="muted small" data-testid="sheet-muted-note">
              Muted. Only {name} can unmute.
            </p>
          )}
          {isMod && !isSelf && p.role === "speaker" && (
            <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.makeModerator(p.user.id))} data-testid="sheet-make-moderator">
              Make moderator
            </button>
          )}
          {isMod && !isSelf && p.role === "moderator" && (
            <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.removeModerator(p.user.id))} data-testid="sheet-remove-moderator">
              Remove as moderator
            </button>
          )}
          {isMod && !isSelf && stage && (
            <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.moveToAudience(p.user.id))} data-testid="sheet-move-to-audience">
              Move to audience
            </button>
          )}
          {isSelf && p.role === "moderator" && !lastModerator && (
            <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.removeModerator(p.user.id))} data-testid="sheet-step-down">
              Stop being a moderator
            </button>
          )}
          {isSelf && stage && (p.role === "speaker" || !lastModerator) && (
            <button type="button" class="button button--secondary button--block" onClick={act(() => roomController.moveToAudience(p.user.id))} data-testid="sheet-leave-stage">
              Leave the stage
            </button>
          )}
          {isMod && !isSelf && p.role !== "moderator" && (
            <button type="button" class="button button--danger-soft button--block" onClick={() => setConfirmRemove(true)} data-testid="sheet-remove-from-room">
              Remove from room
            </button>
          )}
          <a class="button button--ghost button--block" href={profileHref(p.user.username)} target="_blank" rel="noopener">
            View profile
          </a>
          {onReport && !isSelf && (
            <button type="button" class="button button--ghost button--block" onClick={act(() => onReport({ userId: p.user.id, roomId, name: `@${p.user.username}` }))} data-testid="sheet-report">
              Report @{p.user.username}
            </button>
          )}
        </div>
      </div>
    </Sheet>
  );
}
