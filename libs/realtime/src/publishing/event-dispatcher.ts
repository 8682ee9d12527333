import { Injectable } from '@nestjs/common';
import { afterCommit, type Tx } from '../../../database/src/index.js';
import { EVENTS, NAMESPACES, type EventKey, type EventPayload } from '../events/catalog.js';
import { createEnvelope, type RealtimeEnvelope } from '../events/envelope.js';
import { EventPublisher } from './event-publisher.js';

export interface EmitOptions {
  /**
   * The transaction that records the change this event describes. The event then leaves only
   * after that transaction commits (and never if it rolls back). The outbox will store it in
   * this same transaction.
   */
  tx?: Tx;
  /** Rooms whose sockets must not receive it, e.g. the typing user's own `user:{id}` room. */
  except?: string[];
}

/** Builds the envelope once, then publishes it now or after the caller's transaction commits. */
@Injectable()
export class EventDispatcher {
  constructor(private readonly publisher: EventPublisher) {}

  dispatch<K extends EventKey>(
    key: K,
    scope: { companyId: string; workspaceId?: string },
    data: EventPayload<K>,
    rooms: string[],
    options: EmitOptions = {},
  ): RealtimeEnvelope<K> {
    const envelope = createEnvelope(key, scope, data);
    const namespace = NAMESPACES[EVENTS[key].namespace].path;
    const send = () => this.publisher.publish(namespace, [...new Set(rooms)], envelope, options.except);
    if (options.tx) afterCommit(options.tx, send);
    else send();
    return envelope;
  }
}
