import type { Participant } from "../lib/protocol";
import { onStage } from "../lib/room/synced";
import { Avatar } from "../ui/Avatar";
import { HandIcon, MicOffIcon, StarIcon } from "../ui/icons";

/** Someone on the stage or in the visible part of the audience; a tap opens their sheet. */
export function Tile({
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
