import type { MovementType, TransferStatus } from '@retail/database';

/**
 * What a new movement does to the stock of its store. A transfer takes its goods out of the
 * source when it is created, so they cannot be sold while on their way.
 */
export function stockDeltaOnCreate(type: MovementType, quantity: number): number {
  switch (type) {
    case 'IN':
    case 'RETURN':
      return quantity;
    case 'ADJUSTMENT':
      return quantity; // already signed
    case 'OUT':
    case 'SALE':
    case 'TRANSFER':
      return -quantity;
  }
}

const NEXT_STATUSES: Record<TransferStatus, readonly TransferStatus[]> = {
  PENDING: ['IN_TRANSIT', 'RECEIVED', 'CANCELLED'],
  IN_TRANSIT: ['RECEIVED', 'CANCELLED'],
  RECEIVED: [],
  CANCELLED: [],
};

/** Where a transfer's goods go back into stock on a status change, or null for none; undefined when the change is not allowed. */
export function transferRestock(from: TransferStatus, to: TransferStatus): 'destination' | 'source' | null | undefined {
  if (!NEXT_STATUSES[from].includes(to)) return undefined;
  if (to === 'RECEIVED') return 'destination';
  if (to === 'CANCELLED') return 'source';
  return null;
}
