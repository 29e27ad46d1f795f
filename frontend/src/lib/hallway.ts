import { api, ApiError } from "./api";
import type { HallwayEvent, HallwayRoom } from "./api-types";
import { asArray } from "./payload";

/** What the hallway shows: ranked live rooms (a page of them) and the upcoming events. */
export interface Hallway {
  rooms: HallwayRoom[];
  events: HallwayEvent[];
  /** More rooms rank after these: GET /api/hallway?cursor= gives the next page. */
  nextCursor: string | null;
}

/** GET /api/hallway; before the server has it (404 on the route), the plain room list. */
export async function fetchHallway(): Promise<Hallway> {
  try {
    const data = await api.hallway();
    return {
      rooms: asArray<HallwayRoom>(data?.rooms),
      events: asArray<HallwayEvent>(data?.events),
      nextCursor: typeof data?.next_cursor === "string" ? data.next_cursor : null,
    };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.code === "not_found") {
      const { rooms } = await api.rooms();
      return { rooms: asArray<HallwayRoom>(rooms), events: [], nextCursor: null };
    }
    throw err;
  }
}

/** The next page of rooms after `hallway`'s, appended (rooms already shown are not repeated). */
export async function moreHallwayRooms(hallway: Hallway, cursor: string): Promise<Hallway> {
  const data = await api.hallway(cursor);
  const known = new Set(hallway.rooms.map((r) => r.id));
  const more = asArray<HallwayRoom>(data?.rooms).filter((r) => !known.has(r.id));
  return {
    ...hallway,
    rooms: [...hallway.rooms, ...more],
    nextCursor: typeof data?.next_cursor === "string" ? data.next_cursor : null,
  };
}
