import { useEffect } from "preact/hooks";
import type { RoomPhase } from "../lib/room/phase";
import { navigate } from "../lib/router";

const ENDED_REDIRECT_MS = 3500;

/** The room view is over: it ended, a moderator removed us, or joining failed. */
export function RoomOver({ phase }: { phase: Extract<RoomPhase, { name: "ended" | "removed" | "failed" }> }) {
  const ended = phase.name === "ended";
  const removed = phase.name === "removed";
  useEffect(() => {
    if (!ended) return;
    const t = setTimeout(() => navigate("/", { replace: true }), ENDED_REDIRECT_MS);
    return () => clearTimeout(t);
  }, [ended]);
  const { code, message, reason } = phase.problem;
  let heading: string;
  let text: string | undefined;
  let testid = "room-error";
  if (removed) {
    heading = "A moderator removed you from this room";
    text = "You can't join it again while it's live.";
    testid = "room-removed";
  } else if (ended) {
    heading = "This room has ended";
    text = `${message} Taking you back to the hallway…`;
    testid = "room-ended";
  } else if (code === "removed_from_room" || code === "blocked") {
    heading = "You can't join this room";
    text = message;
  } else if (code === "room_not_found" || code === "room_forbidden") {
    heading = "This room isn't available";
    text = "It may have ended, or it's a room you haven't been let into.";
  } else {
    heading = "Couldn't join the room";
    text = message;
  }
  return (
    <div class="page room-page">
      <main class="narrow">
        <div
          class="card empty"
          role={removed || ended ? "alert" : "status"}
          data-testid={testid}
          data-code={code}
          data-reason={reason ?? undefined}
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
