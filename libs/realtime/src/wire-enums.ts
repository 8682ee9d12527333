import type * as Db from '@retail/database';
import type * as Wire from '@retail/realtime-protocol';

// The wire contract has no Prisma in it, so its enums are written out twice. These compile-time
// checks fail the build the moment the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type CartStatus = Wire.CartPayload['status'];
type CountStatus = Wire.CountPayload['count']['status'];

export const WIRE_ENUMS_MATCH_THE_DATABASE: [
  Same<Wire.PaymentMethod, Db.PaymentMethod>,
  Same<Wire.MovementType, Db.MovementType>,
  Same<Wire.TransferStatus, Db.TransferStatus>,
  Same<CartStatus, Db.CartStatus>,
  Same<CountStatus, Db.CountStatus>,
  Same<Wire.NotificationLevel, Db.NotificationLevel>,
  Same<Wire.NotificationKind, Db.NotificationKind>,
] = [true, true, true, true, true, true, true];
