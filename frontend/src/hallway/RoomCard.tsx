import type { HallwayEvent, HallwayRoom, Reason, User } from "../lib/api-types";
import { compactCount, formatWhen, hostZoneNote } from "../lib/format";
import { asArray } from "../lib/payload";
import { eventHref, roomHref } from "../lib/routes";
import { onLinkClick } from "../lib/router";
import { Avatar, ClubBadge } from "../ui/Avatar";
import { BubbleIcon, LockIcon, PeopleIcon } from "../ui/icons";

function ReasonLine({ reason, testid }: { reason: Reason | null | undefined; testid: string }) {
  if (!reason || typeof reason.text !== "string" || !reason.text) return null;
  // "Live now" is the reason of a room with no other: the heading above says it already.
  if (reason.kind === "live") return null;
  const faces = asArray<User>(reason.users).slice(0, 3);
  return (
    <p class="reason" data-testid={testid} data-kind={reason.kind}>
      {faces.length > 0 && (
        <span class="reason__faces" aria-hidden="true">
          {faces.map((u) => (
            <Avatar key={u.id} user={u} size={20} />
          ))}
        </span>
      )}
      <span>{reason.text}</span>
    </p>
  );
}

function ClubLabel({ club }: { club: { id: string; name: string } | null | undefined }) {
  if (!club || typeof club.name !== "string") return null;
  return (
    <span class="club-label" data-testid="club-label">
      <ClubBadge club={club} size={18} />
      {club.name}
    </span>
  );
}

/** A live room in the hallway: who speaks, how many listen, and why it is here. */
export function RoomCard({ room }: { room: HallwayRoom }) {
  const speakers = asArray<User>(room.speakers);
  const faces = speakers.slice(0, 2);
  const names = speakers.slice(0, 4);
  const creator = room.created_by ?? { id: "", username: "", display_name: "" };
  return (
    <a
      class="card room-card"
      href={roomHref(room.id)}
      onClick={onLinkClick}
      data-testid="room-card"
      data-room-id={room.id}
    >
      <ClubLabel club={room.club} />
      <div class="room-card__title">
        {(room.visibility === "closed" || room.visibility === "club") && (
          <span class="lock" title={room.visibility === "club" ? "Club members only" : "Closed room"}>
            <LockIcon size={14} />
          </span>
        )}
        <h3>{room.title}</h3>
        {room.demo && (
          <span class="demo-badge muted small" title="Seeded members, no audio" data-testid="demo-badge">
            demo
          </span>
        )}
      </div>
      {typeof room.description === "string" && room.description && (
        <p class="room-card__description" data-testid="room-card-description">
          {room.description}
        </p>
      )}
      <div class="room-card__body">
        <div class={`face-stack${faces.length > 1 ? " face-stack--two" : ""}`}>
          {faces.length ? faces.map((u) => <Avatar key={u.id} user={u} size={46} />) : <Avatar user={creator} size={46} />}
        </div>
        <div class="room-card__people">
          <ul class="speaker-names">
            {names.map((u) => (
              <li key={u.id}>
                {u.display_name} <BubbleIcon size={13} />
              </li>
            ))}
            {speakers.length > names.length && <li class="muted">and {speakers.length - names.length} more</li>}
            {speakers.length === 0 && <li class="muted">Started by {creator.display_name}</li>}
          </ul>
          <p class="room-card__counts">
            <span data-testid="listener-count" data-count={room.listener_count}>
              <PeopleIcon size={15} /> {compactCount(room.listener_count)} listening
            </span>
            <span class="dot" aria-hidden="true">
              ·
            </span>
            <span>
              <BubbleIcon size={14} /> {speakers.length} speaking
            </span>
          </p>
        </div>
      </div>
      <ReasonLine reason={room.reason} testid="hallway-room-reason" />
    </a>
  );
}

/** An upcoming event: when (and the host's time when it differs), who hosts. */
export function EventRow({ event }: { event: HallwayEvent }) {
  const host = event.host;
  const cohosts = asArray<User>(event.cohosts);
  const note = hostZoneNote(event.starts_at, event.time_zone);
  return (
    <a class="event-row" href={eventHref(event.id)} onClick={onLinkClick} data-testid="hallway-event" data-event-id={event.id}>
      <span class="event-row__when">
        {formatWhen(event.starts_at)}
        {note && <span class="muted"> {note}</span>}
        {event.repeats === "weekly" && (
          <span class="muted" data-testid="hallway-event-weekly">
            {" "}
            · weekly
          </span>
        )}
      </span>
      <strong class="event-row__title">{event.title}</strong>
      <span class="event-row__hosts">
        {host && <Avatar user={host} size={22} />}
        {cohosts.slice(0, 2).map((u) => (
          <Avatar key={u.id} user={u} size={22} />
        ))}
        <span class="muted">
          with {host?.display_name ?? "someone"}
          {cohosts.length > 0 && ` and ${cohosts.length === 1 ? cohosts[0]!.display_name : `${cohosts.length} others`}`}
        </span>
      </span>
      <ClubLabel club={event.club} />
      <ReasonLine reason={event.reason} testid="hallway-event-reason" />
    </a>
  );
}
