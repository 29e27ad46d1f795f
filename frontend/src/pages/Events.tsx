import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { copyText } from "../lib/clipboard";
import { formatLongDay, formatWhen, hostZoneNote, localInputValue, plural, viewerTimeZone } from "../lib/format";
import { asArray, cleanUsername, errorText, useLoad, USERNAME_RE } from "../lib/load";
import { navigate, onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import type { Club, Me, User } from "../lib/types";
import { ClubBadge } from "../ui/Avatar";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { Header } from "../ui/Header";
import { BellIcon, CalendarIcon, CheckIcon, CopyIcon } from "../ui/icons";
import { EmptyCard, UserRow } from "../ui/UserRow";

const EVENT_ERRORS: Record<string, string> = {
  event_in_past: "That time has already passed. Pick a time in the future.",
  invalid_time_zone: "The server doesn't know your time zone. Set your device's time zone and try again.",
  not_club_admin: "Only the club's admins can schedule its rooms.",
  not_host: "Only the host and co-hosts can do that.",
  event_started: "This room has already started.",
  event_cancelled: "This event was cancelled.",
};

const eventHref = (id: string) => `/event/${encodeURIComponent(id)}`;

/** The next full hour, at least 30 minutes from now: a sensible default start. */
function defaultStart(): Date {
  const d = new Date(Date.now() + 90 * 60_000);
  d.setMinutes(0, 0, 0);
  return d;
}

/** `/events/new` (`?club=<id>`): schedule a room. */
export function NewEventPage({ me, clubId }: { me: Me; clubId: string | null }) {
  const zone = viewerTimeZone();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [startsAt, setStartsAt] = useState(() => localInputValue(defaultStart()));
  const [cohostInput, setCohostInput] = useState("");
  const [cohosts, setCohosts] = useState<string[]>([]);
  const [club, setClub] = useState<string>(clubId ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cohostError, setCohostError] = useState<string | null>(null);
  const { data: clubsData } = useLoad("my-clubs", () => api.myClubs(), "");
  const adminClubs = asArray<Club>(clubsData?.clubs).filter((c) => c.my_role === "admin");
  // A ?club= the member doesn't admin is dropped once the list is known.
  useEffect(() => {
    if (clubsData && club && !adminClubs.some((c) => c.id === club)) setClub("");
  }, [clubsData]);

  const addCohost = () => {
    const name = cleanUsername(cohostInput);
    if (!name) return;
    if (!USERNAME_RE.test(name)) {
      setCohostError("Usernames are 2-30 letters, digits or _.");
      return;
    }
    if (name === me.username) {
      setCohostError("You're the host already.");
      return;
    }
    setCohostError(null);
    if (!cohosts.includes(name)) setCohosts([...cohosts, name]);
    setCohostInput("");
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const t = title.trim();
    if (!t) {
      setError("Give your room a title.");
      return;
    }
    const when = new Date(startsAt); // datetime-local values are read as local time
    if (!startsAt || Number.isNaN(when.getTime())) {
      setError("Pick a date and time.");
      return;
    }
    if (when.getTime() <= Date.now()) {
      setError(EVENT_ERRORS.event_in_past!);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await api.createEvent({
        title: t,
        description: description.trim(),
        // The wall-clock time as typed, without an offset: the server reads it in `time_zone`.
        starts_at: startsAt.length === 16 ? `${startsAt}:00` : startsAt,
        time_zone: zone,
        cohosts,
        ...(club ? { club_id: club } : {}),
      });
      navigate(eventHref(created.id), { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === "user_not_found") {
        setError(`${err.message} Check the co-hosts' usernames.`);
      } else {
        setError(errorText(err, "Couldn't schedule the room.", EVENT_ERRORS));
      }
    }
  };

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <h1 class="page-title">Schedule a room</h1>
        <form class="card stack" onSubmit={submit} noValidate data-testid="event-form">
          <label class="field">
            <span>Title</span>
            <input maxLength={120} value={title} placeholder="Sunday tea with friends" onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} data-testid="event-title-input" />
          </label>
          <label class="field">
            <span>Description</span>
            <textarea rows={3} maxLength={2000} value={description} placeholder="What will you talk about?" onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} data-testid="event-description-input" />
          </label>
          <label class="field">
            <span>When</span>
            <input
              type="datetime-local"
              value={startsAt}
              min={localInputValue(new Date())}
              required
              onInput={(e) => setStartsAt((e.currentTarget as HTMLInputElement).value)}
              data-testid="event-starts-at"
            />
            <small class="field__hint" data-testid="event-time-zone">
              Your time zone: {zone.replace(/_/g, " ")}
            </small>
          </label>
          <div class="field">
            <span>Co-hosts</span>
            <div class="input-row">
              <div class="input-prefix">
                <span aria-hidden="true">@</span>
                <input
                  autoCapitalize="none"
                  autoComplete="off"
                  spellcheck={false}
                  placeholder="username"
                  aria-label="Co-host's username"
                  value={cohostInput}
                  onInput={(e) => setCohostInput((e.currentTarget as HTMLInputElement).value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault();
                      addCohost();
                    }
                  }}
                  data-testid="event-cohost-input"
                />
              </div>
              <button type="button" class="button button--secondary" onClick={addCohost} disabled={!cohostInput.trim()} data-testid="event-cohost-add">
                Add
              </button>
            </div>
            {cohostError && <small class="field__error">{cohostError}</small>}
            {cohosts.length > 0 && (
              <ul class="chips">
                {cohosts.map((name) => (
                  <li key={name}>
                    <span class="chip" data-testid="event-cohost" data-user={name}>
                      @{name}
                      <button type="button" class="chip__remove" aria-label={`Remove @${name}`} onClick={() => setCohosts(cohosts.filter((c) => c !== name))} data-testid="event-cohost-remove">
                        ×
                      </button>
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <small class="field__hint">Co-hosts can start the room and moderate it with you.</small>
          </div>
          {adminClubs.length > 0 && (
            <label class="field">
              <span>Club</span>
              <select value={club} onChange={(e) => setClub((e.currentTarget as HTMLSelectElement).value)} data-testid="event-club-select">
                <option value="">No club</option>
                {adminClubs.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {error && (
            <p class="form-error" role="alert" data-testid="event-error">
              {error}
            </p>
          )}
          <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="event-create">
            <CalendarIcon /> {busy ? "Scheduling…" : "Schedule"}
          </button>
        </form>
      </main>
    </div>
  );
}

/** `/event/<id>`: when, who, "Notify me", the calendar, and for hosts "Start the room". */
export function EventPage({ me, eventId }: { me: Me; eventId: string }) {
  const { data: event, problem, setData, reload } = useLoad(`event:${eventId}`, () => api.event(eventId), "Couldn't load this event.");
  const [calendarUrl, setCalendarUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState<"notify" | "start" | null>(null);
  const [copied, setCopied] = useState(false);
  const [cancelling, setCancelling] = useState(false);

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
  const started = typeof event.room_id === "string" && event.room_id !== "";
  const isHost = event.host?.id === me.id;
  const note = hostZoneNote(event.starts_at, event.time_zone);
  const interested = typeof event.interested_count === "number" ? event.interested_count : 0;

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
      navigate(`/room/${encodeURIComponent(room_id)}`);
    } catch (err) {
      setBusy(null);
      if (err instanceof ApiError && err.code === "event_started") {
        // A co-host was quicker: go to their room.
        try {
          const fresh = await api.event(event.id);
          if (fresh.room_id) {
            navigate(`/room/${encodeURIComponent(fresh.room_id)}`);
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
        <section class="card event" data-testid="event" data-event-id={event.id} data-cancelled={String(event.cancelled)} data-started={String(started)}>
          {event.club && (
            <a class="club-label" href={`/c/${encodeURIComponent(event.club.id)}`} onClick={onLinkClick}>
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
          <p class="small muted">{formatLongDay(event.starts_at)}</p>
          <h1 class="event__title">{event.title}</h1>
          {event.description && <p class="event__description">{event.description}</p>}
          {event.cancelled && (
            <p class="notice notice--warm" data-testid="event-cancelled">
              This event was cancelled.
            </p>
          )}
          {interested > 0 && !event.cancelled && (
            <p class="small muted" data-testid="event-interested" data-count={interested}>
              {plural(interested, "person wants", "people want")} to be notified
            </p>
          )}

          <div class="event__actions">
            {started && !event.cancelled && (
              <a class="button button--green button--block" href={`/room/${encodeURIComponent(event.room_id!)}`} onClick={onLinkClick} data-testid="event-join">
                Join the room
              </a>
            )}
            {event.can_start && !started && !event.cancelled && (
              <button type="button" class="button button--primary button--block" onClick={start} disabled={busy !== null} data-testid="event-start">
                {busy === "start" ? "Starting…" : "Start the room"}
              </button>
            )}
            {!started && !event.cancelled && (
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

        {isHost && !event.cancelled && !started && (
          <button type="button" class="button button--ghost button--block danger-text" onClick={() => setCancelling(true)} data-testid="event-cancel">
            Cancel this event
          </button>
        )}
      </main>
      {cancelling && (
        <ConfirmSheet
          title="Cancel this event?"
          confirmLabel="Cancel the event"
          busyLabel="Cancelling…"
          danger
          onClose={() => setCancelling(false)}
          confirmTestid="event-cancel-confirm"
          onConfirm={async () => {
            try {
              await api.cancelEvent(event.id);
            } catch (err) {
              throw new Error(errorText(err, "Couldn't cancel it.", EVENT_ERRORS));
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

