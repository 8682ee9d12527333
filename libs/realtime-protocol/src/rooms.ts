/** Room names. Tenants are kept apart by rooms; nothing else builds these strings. */
export const Rooms = {
  company: (id: string) => `company:${id}`,
  workspace: (id: string) => `workspace:${id}`,
  pos: (deviceId: string) => `pos:${deviceId}`,
  chat: (roomId: string) => `chat:${roomId}`,
  user: (id: string) => `user:${id}`,
  /** A company's product catalog, on `/pos`: every till of the company sits in it, whatever its store. */
  catalog: (companyId: string) => `catalog:${companyId}`,
} as const;
export type RoomKind = keyof typeof Rooms;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `kind:uuid`; anything else is unknown (null). */
export function parseRoom(room: string): { kind: RoomKind; id: string } | null {
  const [kind, id, ...rest] = room.split(':');
  if (rest.length || !id || !UUID.test(id) || !Object.hasOwn(Rooms, kind)) return null;
  return { kind: kind as RoomKind, id: id.toLowerCase() };
}
