import { useEffect, useState } from "preact/hooks";
import { errorText, problemOf } from "../lib/problem";
import { api } from "../lib/api";
import { copyText } from "../lib/clipboard";
import { formatDate, plural, relative } from "../lib/format";
import type { InviteCreated, InviteInfo, Me } from "../lib/api-types";
import { profileHref } from "../lib/routes";
import { onLinkClick } from "../lib/router";
import { authStore } from "../lib/session";
import { Header } from "../shell/Header";
import { Avatar } from "../ui/Avatar";
import { ReadOnlyInput } from "../ui/Field";
import { CopyIcon, EnvelopeIcon } from "../ui/icons";

/** `/invites`: invitations left, make a link, and the earlier ones. */
export function InvitesPage({ me }: { me: Me }) {
  const [list, setList] = useState<{ invites: InviteInfo[]; invites_left: number } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [created, setCreated] = useState<InviteCreated | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [copied, setCopied] = useState(false);

  const load = async () => {
    try {
      const data = await api.invites();
      setList({ invites: Array.isArray(data.invites) ? data.invites : [], invites_left: data.invites_left });
      const auth = authStore.get();
      if (auth.status === "in" && auth.me.invites_left !== data.invites_left)
        authStore.set({ status: "in", me: { ...auth.me, invites_left: data.invites_left } });
    } catch (err) {
      setLoadError(errorText(err, "Couldn't load your invitations."));
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const create = async () => {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setCreated(await api.createInvite());
      await load();
    } catch (err) {
      setError(problemOf(err, "Couldn't create an invitation."));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    const ok = await copyText(created.url);
    setCopied(ok);
    if (!ok) {
      const input = document.querySelector<HTMLInputElement>("[data-testid=invite-link]");
      input?.select();
    }
  };

  const left = list?.invites_left ?? me.invites_left;
  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <section class="card invites-hero">
          <div class="invites-hero__icon">
            <EnvelopeIcon size={30} />
          </div>
          <h1>Invite a friend</h1>
          <p class="muted" data-testid="invites-left">
            You have <strong>{plural(left, "invitation", "invitations")}</strong> left.
          </p>
          {left <= 0 && !error && (
            <p class="notice notice--warm" data-testid="invite-quota-exhausted">
              You've used all your invitations. Teahouse grows slowly on purpose: each member gets only a few.
            </p>
          )}
          {error &&
            (error.code === "invite_quota_exhausted" ? (
              <p class="notice notice--warm" role="alert" data-testid="invite-quota-exhausted">
                You've used all your invitations. Teahouse grows slowly on purpose: each member gets only a few.
              </p>
            ) : (
              <p class="notice notice--error" role="alert">
                {error.message}
              </p>
            ))}
          {created && (
            <div class="invite-link">
              <ReadOnlyInput value={created.url} data-testid="invite-link" aria-label="Invitation link" />
              <button type="button" class="button button--secondary" onClick={copy} data-testid="copy-invite">
                <CopyIcon /> {copied ? "Copied" : "Copy"}
              </button>
              <p class="small muted">
                Send this link to one person. It works once and expires {relative(created.expires_at)}. We can't show it
                again.
              </p>
            </div>
          )}
          <button
            type="button"
            class="button button--primary button--block"
            onClick={create}
            disabled={busy || left <= 0}
            aria-describedby={left <= 0 ? "invite-disabled-reason" : undefined}
            data-testid="create-invite"
          >
            {busy ? "Creating…" : "Create invitation link"}
          </button>
          {left <= 0 && (
            <p class="small muted" id="invite-disabled-reason" data-testid="invite-disabled-reason">
              You have no invitations left. An admin of this Teahouse can give you more.
            </p>
          )}
        </section>

        <section>
          <h2 class="section-title">Earlier invitations</h2>
          {loadError && <p class="notice notice--error">{loadError}</p>}
          {list && list.invites.length === 0 && <p class="muted">You haven't invited anyone yet.</p>}
          <ul class="card invite-list">
            {list?.invites.map((inv) => (
              <li key={inv.id} class="invite-row" data-testid="invite-row" data-used={inv.used}>
                {inv.used && inv.used_by ? (
                  <>
                    <Avatar user={inv.used_by} size={40} />
                    <div class="invite-row__text">
                      <a href={profileHref(inv.used_by.username)} onClick={onLinkClick}>
                        {inv.used_by.display_name}
                      </a>
                      <small class="muted">joined with your invitation · created {formatDate(inv.created_at)}</small>
                    </div>
                    <span class="badge badge--green">Used</span>
                  </>
                ) : (
                  <>
                    <span class="invite-row__blank">
                      <EnvelopeIcon size={18} />
                    </span>
                    <div class="invite-row__text">
                      <span>Invitation link</span>
                      <small class="muted">
                        created {formatDate(inv.created_at)} ·{" "}
                        {new Date(inv.expires_at).getTime() < Date.now()
                          ? "expired"
                          : `expires ${relative(inv.expires_at)}`}
                      </small>
                    </div>
                    <span class="badge">{inv.used ? "Used" : "Unused"}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}
