import { z } from 'zod';
import { HandshakeAppVersion } from './presence.js';

/**
 * Where an event sits in one room's stream. `offset` is a decimal string of consecutive integers
 * within the room's `epoch`: the next event of the room is always the previous offset plus one,
 * so a client sees a gap by itself. `epoch` changes only when the room's history is lost or reset.
 */
export const StreamPosition = z
  .object({
    offset: z.string().regex(/^\d{1,19}$/, 'a decimal integer'),
    epoch: z.string().min(1).max(64),
  })
  .meta({ id: 'StreamPosition' });
export type StreamPosition = z.infer<typeof StreamPosition>;

/** A position per room, e.g. `{ "workspace:…": { offset: "41", epoch: "…" } }`. */
export const RoomPositions = z.record(z.string().min(1).max(100), StreamPosition);
export type RoomPositions = z.infer<typeof RoomPositions>;

/** At most this many rooms in one resume (a dashboard's stores, plus its own rooms). */
export const MAX_RESUME_ROOMS = 200;

const ResumeRooms = RoomPositions.refine((rooms) => Object.keys(rooms).length <= MAX_RESUME_ROOMS, {
  message: `at most ${MAX_RESUME_ROOMS} rooms`,
});

/** `auth` of the Socket.IO handshake: the token, and where to resume each room from. */
export const HandshakeAuth = z
  .object({ token: z.string().optional(), resume: ResumeRooms.optional(), appVersion: HandshakeAppVersion.optional() })
  .meta({ id: 'HandshakeAuth' });
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/** `resume {rooms}`: the in-band form, for rooms joined after connect. */
export const ResumeCommand = z.object({ rooms: ResumeRooms }).meta({ id: 'ResumeCommand' });
export type ResumeCommand = z.infer<typeof ResumeCommand>;

/** `session.ready`: right after connect, the head of every room the socket joined. */
export const SessionReadyPayload = z.object({ rooms: RoomPositions }).meta({ id: 'SessionReadyPayload' });
export type SessionReadyPayload = z.infer<typeof SessionReadyPayload>;

/** `replay_limited`: the user's sockets replayed REPLAY_EVENTS_PER_USER_PER_MINUTE already; REST is cheaper than a replay this long. */
export const ResetReason = z.enum(['epoch_changed', 'retention_exceeded', 'replay_limited']);
export type ResetReason = z.infer<typeof ResetReason>;

/** `resume.ok`: the position each room was resumed to, and the rooms the caller may no longer see. */
export const ResumeOkPayload = z
  .object({ rooms: RoomPositions, refused: z.record(z.string(), z.enum(['forbidden'])) })
  .meta({ id: 'ResumeOkPayload' });
export type ResumeOkPayload = z.infer<typeof ResumeOkPayload>;

/** `resume.reset`: this room cannot be replayed; reload its state over REST, then go on from `position`. */
export const ResumeResetPayload = z
  .object({ room: z.string(), reason: ResetReason, position: StreamPosition })
  .meta({ id: 'ResumeResetPayload' });
export type ResumeResetPayload = z.infer<typeof ResumeResetPayload>;
