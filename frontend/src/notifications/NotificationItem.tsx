import { useState } from "preact/hooks";
import type { Notification } from "../lib/api-types";
import { relative } from "../lib/format";
import { notificationText } from "../lib/notification-text";
import { answerClubInvite, answerClubRequest, markRead, notificationHref, notificationsStore, roomEnded } from "../lib/notifications";
import { errorText, type ErrorTexts } from "../lib/problem";
import { navigate, onLinkClick } from "../lib/router";
import { toast } from "../lib/toast";
import { Avatar, ClubBadge } from "../ui/Avatar";
import { useStore } from "../ui/hooks";
import { BellIcon, CalendarIcon, WaveIcon } from "../ui/icons";

const CLUB_ERRORS: ErrorTexts = {
  not_invited: "That invitation is no longer open.",
  join_request_not_found: "That request has already been answered or withdrawn.",
};

const REQUEST_OUTCOMES: Record<string, string> = {
  accepted: "Accepted",
  declined: "Declined",
  withdrawn: "Withdrawn",
};

/** The picture beside a notification: who did it, else what it is about. */
function Picture({ n, size }: { n: Notification; size: number }) {
  const badge =
    n.kind === "ping" ? <WaveIcon size={13} /> : n.kind === "event_starting" ? <CalendarIcon size={13} /> : null;
  const main = n.actor ? (
    <Avatar user={n.actor} size={size} />
  ) : n.club ? (
    <ClubBadge club={n.club} size={size} />
  ) : (
    <span class="notif__icon" style={{ width: `${size}px`, height: `${size}px` }}>
      <BellIcon size={Math.round(size / 2)} />
    </span>
  );
  return (
    <span class="notif__picture">
      {main}
      {badge && <span class={`notif__kind notif__kind--${n.kind}`}>{badge}</span>}
    </span>
  );
}

/** "Join" for pings and starting events: to the room, and the notification is read. */
function JoinButton({ n, big = false }: { n: Notification; big?: boolean }) {
  if (roomEnded(n)) {
    return (
      <span class="badge" data-testid="notification-ended">
        This room has ended
      </span>
    );
  }
  const href = notificationHref(n);
  if (!href) return null;
  return (
    <a
      class={`button button--green ${big ? "" : "button--small"} notif__join`}
      href={href}
      onClick={(e) => {
        void markRead([n.id]);
        onLinkClick(e);
      }}
      data-testid="notification-join"
    >
      Join
    </a>
  );
}

/** What became of a club invitation, as the server says (`state`), else Accept / Decline. */
function ClubInviteButtons({ n }: { n: Notification }) {
  const { answered } = useStore(notificationsStore);
  const [busy, setBusy] = useState(false);
  if (n.state === "accepted" || n.state === "closed") {
    // "closed": declined or withdrawn; this member declined it here if we saw them do so.
    const text = n.state === "accepted" ? "Joined" : answered[n.id] === "declined" ? "Declined" : "No longer open";
    return (
      <span class={`badge${n.state === "accepted" ? " badge--green" : ""}`} data-testid="club-invite-answer" data-answer={n.state}>
        {text}
      </span>
    );
  }
  const act = async (accept: boolean) => {
    setBusy(true);
    try {
      await answerClubInvite(n, accept);
      if (accept && n.club) toast(`Welcome to ${n.club.name}!`, "info");
    } catch (err) {
      toast(errorText(err, "Couldn't answer the invitation.", CLUB_ERRORS));
    } finally {
      setBusy(false);
    }
  };
  return <AnswerButtons busy={busy} onAnswer={act} />;
}

/** Accept and Decline, for a club invitation or a join request still open. */
function AnswerButtons({ busy, onAnswer }: { busy: boolean; onAnswer: (accept: boolean) => void }) {
  return (
    <span class="notif__buttons">
      <button type="button" class="button button--green button--small" disabled={busy} onClick={() => onAnswer(true)} data-testid="notification-accept">
        Accept
      </button>
      <button type="button" class="button button--secondary button--small" disabled={busy} onClick={() => onAnswer(false)} data-testid="notification-decline">
        Decline
      </button>
    </span>
  );
}

/** An admin's `club_request`: Accept / Decline while it is open, else what became of it. */
function ClubRequestButtons({ n }: { n: Notification }) {
  const [busy, setBusy] = useState(false);
  const outcome = n.state ? REQUEST_OUTCOMES[n.state] : undefined;
  if (outcome) {
    return (
      <span class={`badge${n.state === "accepted" ? " badge--green" : ""}`} data-testid="club-request-answer" data-answer={n.state}>
        {outcome}
      </span>
    );
  }
  if (n.state !== "open" || !n.join_request_id) return null;
  const act = async (accept: boolean) => {
    setBusy(true);
    try {
      await answerClubRequest(n, accept);
      const name = n.actor ? n.actor.display_name || n.actor.username : "They";
      if (accept) toast(`${name} is now a member.`, "info");
    } catch (err) {
      toast(errorText(err, "Couldn't answer the request.", CLUB_ERRORS));
    } finally {
      setBusy(false);
    }
  };
  return <AnswerButtons busy={busy} onAnswer={act} />;
}

/** One notification in the list. `fresh`: it was unread when the list opened. */
export function NotificationItem({ n, fresh }: { n: Notification; fresh: boolean }) {
  const href = notificationHref(n);
  const body = (
    <>
      <Picture n={n} size={46} />
      <span class="notif__text">
        <span>{notificationText(n, "Something happened.")}</span>
        <small class="muted">{relative(n.created_at)}</small>
      </span>
    </>
  );
  return (
    <li class={`notif${fresh ? " is-fresh" : ""}`} data-testid="notification-item" data-kind={n.kind} data-read={String(n.read)} data-id={n.id}>
      {href ? (
        <a
          class="notif__main"
          href={href}
          onClick={(e) => {
            void markRead([n.id]);
            onLinkClick(e);
          }}
        >
          {body}
        </a>
      ) : (
        <span class="notif__main">{body}</span>
      )}
      {(n.kind === "ping" || n.kind === "event_starting") && (n.room?.id || n.kind === "event_starting") && (
        <JoinButton n={n} big={n.kind === "ping"} />
      )}
      {n.kind === "club_invite" && n.club && <ClubInviteButtons n={n} />}
      {n.kind === "club_request" && n.club && <ClubRequestButtons n={n} />}
    </li>
  );
}

/** A live notification as a toast: the text, and its action. */
export function NotificationToast({ n, onDismiss }: { n: Notification; onDismiss: () => void }) {
  const href = notificationHref(n);
  const go = () => {
    onDismiss();
    void markRead([n.id]);
    if (href) navigate(href);
  };
  const joinable = !roomEnded(n) && ((n.kind === "ping" && n.room?.id) || (n.kind === "event_starting" && href));
  return (
    <div class={`toast toast--notification toast--${n.kind}`} role="status" data-testid="toast" data-kind={n.kind}>
      <button type="button" class="toast__body" onClick={href ? go : onDismiss}>
        <Picture n={n} size={36} />
        <span>{notificationText(n, "New notification")}</span>
      </button>
      {joinable ? (
        <button type="button" class="button button--green button--small" onClick={go} data-testid="notification-join">
          Join
        </button>
      ) : (
        <button type="button" class="toast__close" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
