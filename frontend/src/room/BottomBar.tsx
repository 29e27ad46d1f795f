import type { Participant } from "../lib/protocol";
import { roomController } from "../lib/room/controller";
import type { RoomState } from "../lib/room/state";
import { onStage } from "../lib/room/synced";
import { HandIcon, MicIcon, MicOffIcon } from "../ui/icons";

/** "Leave quietly", and the member's own controls: leave the stage, raise a hand, mute. */
export function BottomBar({
  state,
  self,
  muted,
  prompted,
  handsOn,
  onLeave,
}: {
  state: RoomState;
  self: Participant | null;
  muted: boolean;
  /** The stage prompt ("unmute to talk") is showing: it describes the mute button. */
  prompted: boolean;
  handsOn: boolean;
  onLeave: () => void;
}) {
  const stage = onStage(self);
  const publishing = state.publishState;
  const micFailed = publishing === "failed";
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
        {self && stage && micFailed && (
          // The microphone is not live (it ended, or never started): one tap asks again.
          <button
            type="button"
            class="round-button is-muted is-failed"
            aria-label="Microphone off: turn it on again"
            title="Microphone off: turn it on again"
            onClick={() => roomController.retryAudio()}
            data-testid="mute"
            data-muted={String(muted)}
            data-publish-state={publishing}
          >
            <MicOffIcon size={26} />
          </button>
        )}
        {self && stage && !micFailed && (
          <button
            type="button"
            class={`round-button${muted ? " is-muted" : " is-live"}`}
            aria-pressed={muted}
            aria-label={muted ? "Unmute" : "Mute"}
            aria-describedby={prompted ? "stage-prompt" : undefined}
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

