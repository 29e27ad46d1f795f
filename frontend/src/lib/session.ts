import { api, ApiError, setUnauthenticatedHandler } from "./api";
import { navigate } from "./router";
import { Store } from "./store";
import type { Me } from "./api-types";

export type Auth = { status: "loading" } | { status: "out" } | { status: "in"; me: Me };

export const authStore = new Store<Auth>({ status: "loading" });

setUnauthenticatedHandler(() => {
  if (authStore.get().status !== "out") authStore.set({ status: "out" });
});

export async function loadMe(): Promise<void> {
  try {
    const me = await api.me();
    authStore.set({ status: "in", me });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) authStore.set({ status: "out" });
    else if (authStore.get().status === "loading") {
      // The server is unreachable: retry shortly instead of pretending we're logged out.
      setTimeout(() => void loadMe(), 2000);
    }
  }
}

export function signedIn(me: Me): void {
  authStore.set({ status: "in", me });
}

/** Why the member was sent to the log-in page (a revoked session, a suspension); shown there once. */
export const loginNotice = new Store<string | null>(null);

export function signedOut(notice?: string): void {
  if (notice) loginNotice.set(notice);
  authStore.set({ status: "out" });
}

export function currentMe(): Me | null {
  const auth = authStore.get();
  return auth.status === "in" ? auth.me : null;
}

/** Log out on the server, then locally (which closes the socket and leaves any room). */
export async function logOut(): Promise<void> {
  await api.logout();
  signedOut();
  navigate("/login", { replace: true });
}

/** Merge fresh fields (a new display name or avatar) into the signed-in member. */
export function updateMe(part: Partial<Me>): void {
  const auth = authStore.get();
  if (auth.status === "in") authStore.set({ status: "in", me: { ...auth.me, ...part } });
}
