import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import type { Me } from "../lib/api-types";
import { browserRefusal, getPasskey, passkeysSupported } from "../lib/passkeys";
import { cleanUsername } from "../lib/payload";
import { errorText, type ErrorTexts } from "../lib/problem";
import { safeNext } from "../lib/routes";
import { navigate } from "../lib/router";
import { loginNotice, signedIn } from "../lib/session";
import { FormError, TextField } from "../ui/Field";
import { useStore } from "../ui/hooks";
import { KeyIcon } from "../ui/icons";
import { AuthPage } from "../ui/AuthPage";

const PASSKEY_ERRORS: ErrorTexts = {
  bad_credentials: "That passkey isn't on an account here. Log in with your password.",
  suspended: "This account is suspended.",
  too_many_attempts: "Too many tries. Wait a few minutes, then try again.",
  passkey_challenge_expired: "That took too long. Try again.",
};

/** `/login` (`?next=/path`): log in, then go where the member was headed. */
export function LoginPage({ next }: { next: string }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const notice = useStore(loginNotice);
  const passkeys = passkeysSupported();

  const loggedIn = (me: Me) => {
    loginNotice.set(null);
    signedIn(me);
    navigate(safeNext(next), { replace: true });
  };

  // No username: the device offers the passkeys it holds for this Teahouse.
  const withPasskey = async () => {
    setBusy(true);
    setError(null);
    try {
      const { ceremony, options } = await api.passkeyLoginOptions();
      loggedIn(await api.passkeyLogin(ceremony, await getPasskey(options)));
    } catch (err) {
      setBusy(false);
      setError(browserRefusal(err) ?? errorText(err, "Couldn't log in with a passkey.", PASSKEY_ERRORS));
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!username || !password) {
      setError("Enter your username and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      loggedIn(await api.login(cleanUsername(username), password));
    } catch (err) {
      setBusy(false);
      setError(
        err instanceof ApiError && err.code === "bad_credentials"
          ? "That username and password don't match."
          : errorText(err),
      );
    }
  };

  return (
    <AuthPage>
      <form class="card auth-card" onSubmit={submit} noValidate data-testid="login-form">
        <h1>Welcome back</h1>
        <p class="muted">Teahouse is invitation-only. Log in to see who's talking.</p>
        {notice && (
          <p class="form-notice" role="status" data-testid="login-notice">
            {notice}
          </p>
        )}
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          value={username}
          onValue={setUsername}
          data-testid="login-username"
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          data-testid="login-password"
        />
        <FormError error={error} testid="login-error" />
        <button class="button button--primary button--block" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? "Logging in…" : "Log in"}
        </button>
        {passkeys && (
          <>
            <p class="auth-or muted small" aria-hidden="true">
              or
            </p>
            <button
              type="button"
              class="button button--secondary button--block"
              onClick={withPasskey}
              disabled={busy}
              data-testid="login-passkey"
            >
              <KeyIcon /> Log in with a passkey
            </button>
          </>
        )}
        <p class="muted small center">New here? You'll need an invitation link from a member.</p>
      </form>
    </AuthPage>
  );
}
