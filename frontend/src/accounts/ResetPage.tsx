import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import type { ResetLinkInfo } from "../lib/api-types";
import { relative } from "../lib/format";
import { errorMessage } from "../lib/error-messages";
import { errorText, type ErrorTexts } from "../lib/problem";
import { navigate } from "../lib/router";
import { currentMe, signedOut } from "../lib/session";
import { toast } from "../lib/toast";
import { FormError, TextField } from "../ui/Field";
import { decodeFragment } from "./SignupPage";
import { AuthPage } from "../ui/AuthPage";

/** Why a reset link can't be used, as the member reads it (docs/API.md, "Passwords"). */
const RESET_PROBLEMS: Record<string, { title: string; text: string }> = {
  reset_link_unknown: {
    title: "We don't know this link",
    text: "This password reset link doesn't exist. Open it exactly as you received it, or ask an admin for a new one.",
  },
  reset_link_used: {
    title: "This link was already used",
    text: "Each reset link works once. Log in with the password you set, or ask an admin for a new link.",
  },
  reset_link_expired: {
    title: "This link has expired",
    text: "Reset links work for a short time, and a newer link replaces the older ones. Ask an admin for a new one.",
  },
  too_many_attempts: {
    title: "Too many tries",
    text: "Too many links or passwords were tried from here. Wait a few minutes, then open the link again.",
  },
};

const SET_ERRORS: ErrorTexts = {
  weak_password: "At least 10 characters, at most 256.",
};

type Load =
  | { state: "loading" }
  | { state: "ok"; info: ResetLinkInfo }
  | { state: "problem"; code: string };

/**
 * `/reset#<token>`: an admin's one-time link sets a new password. The token stays in the
 * fragment, which the browser never sends to a server (nor in a Referer), like an invitation's.
 */
export function ResetPage({ hash }: { hash: string }) {
  const token = decodeFragment(hash);
  const [load, setLoad] = useState<Load>({ state: "loading" });

  useEffect(() => {
    if (!token) {
      setLoad({ state: "problem", code: "reset_link_unknown" });
      return;
    }
    let live = true;
    setLoad({ state: "loading" });
    api.inspectReset(token).then(
      (info) => live && setLoad({ state: "ok", info }),
      (err: unknown) => {
        if (!live) return;
        setLoad({ state: "problem", code: err instanceof ApiError ? err.code : "unknown" });
      },
    );
    return () => {
      live = false;
    };
  }, [token]);

  return (
    <AuthPage>
      {load.state === "loading" && <div class="card auth-card skeleton" aria-busy="true">Checking your link…</div>}
      {load.state === "problem" && <ResetProblem code={load.code} />}
      {load.state === "ok" && <ResetForm token={token} info={load.info} onProblem={(code) => setLoad({ state: "problem", code })} />}
    </AuthPage>
  );
}

function ResetProblem({ code }: { code: string }) {
  const known = RESET_PROBLEMS[code];
  return (
    <div class="card auth-card" data-testid="reset-error" data-code={code}>
      <h1>{known?.title ?? "This link can't be used"}</h1>
      <p class="muted">{known?.text ?? errorMessage(code)}</p>
      <a class="button button--secondary button--block" href="/login">
        Go to log in
      </a>
    </div>
  );
}

function ResetForm({
  token,
  info,
  onProblem,
}: {
  token: string;
  info: ResetLinkInfo;
  onProblem: (code: string) => void;
}) {
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < 10) return setError("At least 10 characters.");
    if (password.length > 256) return setError("At most 256 characters.");
    if (password !== again) return setError("The two passwords are not the same.");
    setBusy(true);
    setError(null);
    try {
      const done = await api.useReset(token, password);
      const me = currentMe();
      if (me && me.username !== done.username) {
        // Someone else's link, tried from another member's browser: that session goes on.
        toast(`@${done.username}'s new password is set.`, "info");
        navigate("/", { replace: true });
        return;
      }
      // Every session of the member ended, this browser's too: log in with the new password.
      signedOut("Your new password is set. Log in with it.");
      navigate("/login", { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code in RESET_PROBLEMS) onProblem(err.code);
      else setError(errorText(err, "Couldn't set your password.", SET_ERRORS));
    }
  };

  return (
    <form class="card auth-card stack" onSubmit={submit} noValidate data-testid="reset-form">
      <h1 data-testid="reset-for">New password for @{info.username}</h1>
      <p class="muted">
        Choose a new password for {info.display_name}. This link works once and expires {relative(info.expires_at)}. You'll
        be logged out everywhere, then log in with the new password.
      </p>
      <input type="text" name="username" autoComplete="username" value={info.username} hidden readOnly />
      <TextField
        label="New password"
        hint="At least 10 characters."
        type="password"
        autoComplete="new-password"
        minLength={10}
        maxLength={256}
        value={password}
        onValue={setPassword}
        data-testid="reset-password"
      />
      <TextField
        label="The same again"
        type="password"
        autoComplete="new-password"
        maxLength={256}
        value={again}
        onValue={setAgain}
        data-testid="reset-password-again"
      />
      <FormError error={error} testid="reset-form-error" />
      <button class="button button--primary button--block" type="submit" disabled={busy} data-testid="reset-submit">
        {busy ? "Setting…" : "Set my new password"}
      </button>
    </form>
  );
}
