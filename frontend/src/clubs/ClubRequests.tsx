import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Club, JoinRequest } from "../lib/api-types";
import { relative } from "../lib/format";
import { asArray } from "../lib/payload";
import { errorText } from "../lib/problem";
import { toast } from "../lib/toast";
import { UserRow } from "../ui/UserRow";
import { CLUB_ERRORS } from "./errors";

/** An admin's list of who asked to join, each with Accept and Decline. */
export function ClubRequests({ club, version, onAnswered }: { club: Club; version: number; onAnswered: () => void }) {
  const [requests, setRequests] = useState<JoinRequest[]>([]);
  const [busy, setBusy] = useState<string | null>(null);

  const load = async () => {
    try {
      const page = await api.clubRequests(club.id);
      setRequests(asArray<JoinRequest>(page?.requests).filter((r) => r.user && typeof r.id === "string"));
    } catch {
      setRequests([]); // the members list below says if the club itself failed to load
    }
  };
  useEffect(() => {
    void load();
  }, [club.id, version]);

  if (requests.length === 0) return null;
  const answer = async (r: JoinRequest, accept: boolean) => {
    setBusy(r.id);
    try {
      await api.answerClubRequest(club.id, r.id, accept);
      const name = r.user.display_name || r.user.username;
      toast(accept ? `${name} is now a member.` : `You declined ${name}'s request.`, "info");
      onAnswered();
    } catch (err) {
      toast(errorText(err, "Couldn't answer the request.", CLUB_ERRORS));
    } finally {
      setBusy(null);
      void load();
    }
  };
  return (
    <section class="stack" data-testid="club-requests">
      <h2 class="section-title">Asking to join</h2>
      <ul class="card user-list">
        {requests.map((r) => (
          <UserRow key={r.id} user={r.user} testid="club-request" note={`asked ${relative(r.created_at)}`}>
            <span class="notif__buttons">
              <button
                type="button"
                class="button button--green button--small"
                disabled={busy !== null}
                onClick={() => answer(r, true)}
                data-testid="club-request-accept"
              >
                Accept
              </button>
              <button
                type="button"
                class="button button--secondary button--small"
                disabled={busy !== null}
                onClick={() => answer(r, false)}
                data-testid="club-request-decline"
              >
                Decline
              </button>
            </span>
          </UserRow>
        ))}
      </ul>
    </section>
  );
}
