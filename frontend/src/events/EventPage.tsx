import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import type { Me, User } from "../lib/api-types";
import { copyText } from "../lib/clipboard";
import { formatLongDay, formatWhen, hostZoneNote, plural, weeklyText } from "../lib/format";
import { asArray } from "../lib/payload";
import { errorText, ShownError } from "../lib/problem";
import { clubHref, roomHref } from "../lib/routes";
import { navigate, onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import { Header } from "../shell/Header";
import { ClubBadge } from "../ui/Avatar";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { useLoad } from "../ui/hooks";
import { BellIcon, CalendarIcon, CheckIcon, CopyIcon } from "../ui/icons";
import { EmptyCard, UserRow } from "../ui/UserRow";
import { EVENT_ERRORS } from "./errors";

/** `/event/<id>`: when, who, "Notify me", the calendar, and for hosts "Start the room". */
export function EventPage({ me, eventId }: { me: Me; eventId: string }) {
  const { data: event, problem, setData, reload } = useLoad(`event:${eventId}`, () => api.event(eventId), "Couldn't load this event.");
  const [calendarUrl, setCalendarUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState<"notify" | "start" | null>(null);
  const [copied, setCopied] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [stopping, setStopping] = useState(false);

  useEffect(() => {
    let live = true;
    api.calendar().then(
      (r) => live && typeof r?.url === "string" && setCalendarUrl(r.url),
      () => undefined, // the calendar link is optional; the page works without it
    );
    return () => {
      live = false;
    };
  }, []);

  if (problem || !event) {
    return (
      <div class="page">
        <Header me={me} />
        <main class="narrow">
          {problem ? (
            <EmptyCard title={problem.code === "event_not_found" ? "No such event" : "Couldn't load this event"} testid="event-error" code={problem.code}>
              <p class="muted">{problem.code === "event_not_found" ? "It may have been deleted, or the link is wrong." : problem.message}</p>
            </EmptyCard>
          ) : (
            <div class="card skeleton">Loading…</div>
          )}
        </main>
      </div>
    );
  }

  const cohosts = asArray<User>(event.cohosts);
  // Live: its room is open now. Ended: it had one; its hosts may start it again.
  const ended = event.room_ended === true;
  const started = typeof event.room_id === "string" && event.room_id !== "" && !ended;
  const isHost = event.host?.id === me.id;
  const note = hostZoneNote(event.starts_at, event.time_zone);
  const interested = typeof event.interested_count === "number" ? event.interested_count : 0;
  const weekly = event.repeats === "weekly" && !event.cancelled;

  const toggleNotify = async () => {
    const on = !event.notify_me;
    setBusy("notify");
    try {
      await api.notifyMe(event.id, on);
      setData((e) => ({ ...e, notify_me: on, interested_count: Math.max(0, interested + (on ? 1 : -1)) }));
    } catch (err) {
      toast(errorText(err, "Couldn't change that.", EVENT_ERRORS));
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    setBusy("start");
    try {
      const { room_id } = await api.startEvent(event.id);
      navigate(roomHref(room_id));
    } catch (err) {
      setBusy(null);
      if (err instanceof ApiError && err.code === "event_started") {
        // A co-host was quicker: go to their room.
        try {
          const fresh = await api.event(event.id);
          if (fresh.room_id) {
            navigate(roomHref(fresh.room_id));
            return;
          }
        } catch {
          /* fall through to the message */
        }
      }
      toast(errorText(err, "Couldn't start the room.", EVENT_ERRORS));
      void reload();
    }
  };

  const copy = async () => {
    const ok = await copyText(typeof event.url === "string" && event.url ? event.url : window.location.href);
    setCopied(ok);
    if (ok) setTimeout(() => setCopied(false), 2500);
    else toast("Couldn't copy the link. Copy it from the address bar.");
  };

  const subscribeUrl = calendarUrl?.startsWith("https://") ? `webcal://${calendarUrl.slice("https://".length)}` : calendarUrl;

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <section class="card event" data-testid="event" data-event-id={event.id} data-cancelled={String(event.cancelled)} data-started={String(started)} data-room-ended={String(ended)}>
          {event.club && (
            <a class="club-label" href={clubHref(event.club.id)} onClick={onLinkClick}>
              <ClubBadge club={event.club} size={18} />
              {event.club.name}
            </a>
          )}
          <p class="event__when" data-testid="event-when">
            <CalendarIcon size={18} /> {formatWhen(event.starts_at)}
            {note && (
              <span class="muted" data-testid="event-host-time">
                {" "}
                {note}
              </span>
            )}
          </p>
          <p class="small muted">
            {weekly ? `Next: ${formatLongDay(event.starts_at)}` : formatLongDay(event.starts_at)}
          </p>
          {weekly && (
            <p class="event__repeats" data-testid="event-repeats">
              {weeklyText(event.starts_at, event.time_zone)}
            </p>
          )}
          <h1 class="event__title">{event.title}</h1>
          {event.description && <p class="event__description">{event.description}</p>}
          {event.cancelled && (
            <p class="notice notice--warm" data-testid="event-cancelled">
              This event was cancelled.
            </p>
          )}
          {ended && !event.cancelled && (
            <p class="notice" data-testid="event-room-ended">
              {event.can_start ? "This event's room has ended. You can start it again, or cancel the event." : "This event's room has ended."}
            </p>
          )}
          {interested > 0 && !event.cancelled && (
            <p class="small muted" data-testid="event-interested" data-count={interested}>
              {plural(interested, "person wants", "people want")} to be notified
            </p>
          )}

          <div class="event__actions">
            {started && !event.cancelled && (
              <a class="button button--green button--block" href={roomHref(event.room_id!)} onClick={onLinkClick} data-testid="event-join">
                Join the room
              </a>
            )}
            {event.can_start && !started && !event.cancelled && (
              <button type="button" class="button button--primary button--block" onClick={start} disabled={busy !== null} data-testid="event-start">
                {busy === "start" ? "Starting…" : ended ? "Start it again" : "Start the room"}
              </button>
            )}
            {!started && !ended && !event.cancelled && (
              <button
                type="button"
                class={`button button--block ${event.notify_me ? "button--secondary is-on" : event.can_start ? "button--secondary" : "button--primary"}`}
                onClick={toggleNotify}
                disabled={busy !== null}
                aria-pressed={event.notify_me}
                data-testid="notify-me"
                data-on={String(event.notify_me)}
              >
                {event.notify_me ? <CheckIcon /> : <BellIcon />}
                {event.notify_me ? "You'll be notified" : "Notify me"}
              </button>
            )}
            <div class="event__links">
              {subscribeUrl && !event.cancelled && (
                <a class="button button--secondary button--small" href={subscribeUrl} data-testid="add-to-calendar" title="Subscribe to your Teahouse calendar">
                  <CalendarIcon size={17} /> Add to calendar
                </a>
              )}
              <button type="button" class="button button--secondary button--small" onClick={copy} data-testid="event-copy-link">
                {copied ? <CheckIcon size={17} /> : <CopyIcon size={17} />} {copied ? "Copied" : "Copy link"}
              </button>
            </div>
            {subscribeUrl && !event.cancelled && (
              <p class="small muted">
                "Add to calendar" subscribes your calendar app to the rooms you host or asked about. Or{" "}
                <button type="button" class="inline-link" onClick={() => calendarUrl && void copyText(calendarUrl).then((ok) => toast(ok ? "Calendar address copied." : "Couldn't copy.", ok ? "info" : "error"))} data-testid="calendar-copy">
                  copy its address
                </button>{" "}
                to add it by URL.
              </p>
            )}
          </div>
        </section>

        <section>
          <h2 class="section-title">Hosts</h2>
          <ul class="card user-list">
            {event.host && (
              <UserRow user={event.host} testid="event-host">
                <span class="badge badge--green">Host</span>
              </UserRow>
            )}
            {cohosts.map((u) => (
              <UserRow key={u.id} user={u} testid="event-cohost">
                <span class="badge">Co-host</span>
              </UserRow>
            ))}
          </ul>
        </section>

        {isHost && weekly && !started && (
          <button type="button" class="button button--ghost button--block" onClick={() => setStopping(true)} data-testid="event-stop-repeating">
            Stop repeating
          </button>
        )}
        {isHost && !event.cancelled && !started && (
          <button type="button" class="button button--ghost button--block danger-text" onClick={() => setCancelling(true)} data-testid="event-cancel">
            {weekly ? "Cancel every week" : "Cancel this event"}
          </button>
        )}
      </main>
      {stopping && (
        <ConfirmSheet
          title="Stop repeating?"
          confirmLabel="Stop repeating"
          busyLabel="Saving…"
          onClose={() => setStopping(false)}
          confirmTestid="event-stop-confirm"
          onConfirm={async () => {
            try {
              const changed = await api.updateEvent(event.id, { repeats: null });
              setData(() => changed);
            } catch (err) {
              throw new ShownError(errorText(err, "Couldn't change it.", EVENT_ERRORS));
            }
          }}
        >
          <p class="muted">The next one, {formatLongDay(event.starts_at)}, still happens. After it, the room doesn't come back.</p>
        </ConfirmSheet>
      )}
      {cancelling && (
        <ConfirmSheet
          title={weekly ? "Cancel every week?" : "Cancel this event?"}
          confirmLabel={weekly ? "Cancel every week" : "Cancel the event"}
          busyLabel="Cancelling…"
          danger
          onClose={() => setCancelling(false)}
          confirmTestid="event-cancel-confirm"
          onConfirm={async () => {
            try {
              await api.cancelEvent(event.id);
            } catch (err) {
              throw new ShownError(errorText(err, "Couldn't cancel it.", EVENT_ERRORS));
            }
            setData((e) => ({ ...e, cancelled: true }));
          }}
        >
          <p class="muted">People's calendars will show it as cancelled.</p>
        </ConfirmSheet>
      )}
    </div>
  );
}
