import type { ComponentChildren } from "preact";
import { CupIcon } from "./icons";

/** The frame of the screens before log-in (log in, sign up, reset): the brand, then a card. */
export function AuthPage({ children }: { children: ComponentChildren }) {
  return (
    <main class="auth-page">
      <div class="auth-brand">
        <CupIcon size={34} />
        <span>Teahouse</span>
      </div>
      {children}
    </main>
  );
}
