import { z } from 'zod';

/** `subscribe` / `unsubscribe` on every namespace: join or leave a room such as `workspace:{id}`. */
export const RoomCommand = z.object({ room: z.string().min(1).max(100) }).meta({ id: 'RoomCommand' });
export type RoomCommand = z.infer<typeof RoomCommand>;
