import { roomController } from "../lib/room/controller";
import type { RoomState } from "../lib/room/state";
import { SpeakerIcon } from "../ui/icons";

/** What is wrong right now: the connection, the media server, autoplay, the microphone. */
export function Banners({ state }: { state: RoomState }) {
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
