import {
  Rooms,
  type AlertUpdatedPayload,
  type EventKey,
  type EventPayload,
  type MovementPayload,
  type NotificationScope,
} from '@retail/realtime-protocol';

/** Where one event goes: its rooms, the store its envelope names, and rooms to leave out. */
export interface Route {
  rooms: string[];
  /** The envelope's `workspaceId`; left out when the event spans several stores or none. */
  workspaceId?: string;
  /** Rooms whose sockets must not receive it, e.g. the typist's own `user:{id}`. */
  except?: string[];
}

const deviceAndWorkspace = (p: { deviceId: string; workspaceId: string }) => [Rooms.pos(p.deviceId), Rooms.workspace(p.workspaceId)];

function movementRoute(payload: MovementPayload): Route {
  const { workspaceId, fromWorkspaceId, toWorkspaceId } = payload.movement;
  const workspaces = [workspaceId, fromWorkspaceId, toWorkspaceId].filter((id): id is string => Boolean(id));
  return {
    rooms: [...workspaces.map(Rooms.workspace), Rooms.company(payload.companyId)],
    workspaceId: workspaces.length === 1 ? workspaces[0] : undefined,
  };
}

/**
 * Alerts by scope. On `/notifications` every user of a company sits in `company:{id}`, so a
 * company-wide alert is one room; a store's alert reaches the store's room.
 */
function alertRoute({ scope, companyId }: { scope: NotificationScope; companyId: string }): Route {
  switch (scope.type) {
    case 'company':
      return { rooms: [Rooms.company(companyId)] };
    case 'workspace':
      return { rooms: [Rooms.workspace(scope.workspaceId)], workspaceId: scope.workspaceId };
    case 'user':
      return { rooms: [Rooms.user(scope.userId)] };
  }
}

/** An alert's change goes where the alert went; an escalated one to the company room (the admins) too. */
function alertUpdatedRoute(update: AlertUpdatedPayload): Route {
  const route = alertRoute(update);
  return update.escalated ? { ...route, rooms: [...route.rooms, Rooms.company(update.companyId)] } : route;
}

/**
 * THE routing table: one pure function per catalog key. Cart events stay with the device and
 * its store; sales, totals and inventory also reach the chain-wide (company) view.
 */
export const ROUTES: { [K in EventKey]: (payload: EventPayload<K>) => Route } = {
  posCartUpdated: (cart) => ({ rooms: deviceAndWorkspace(cart), workspaceId: cart.workspaceId }),
  posCartPayment: (payment) => ({ rooms: deviceAndWorkspace(payment), workspaceId: payment.workspaceId }),
  posSaleCompleted: (sale) => ({ rooms: [...deviceAndWorkspace(sale), Rooms.company(sale.companyId)], workspaceId: sale.workspaceId }),
  posSaleReturned: (returned) => ({
    rooms: [
      ...(returned.deviceId ? [Rooms.pos(returned.deviceId)] : []),
      Rooms.workspace(returned.workspaceId),
      Rooms.company(returned.companyId),
    ],
    workspaceId: returned.workspaceId,
  }),
  posDeviceStatus: (status) => ({ rooms: [Rooms.workspace(status.workspaceId)], workspaceId: status.workspaceId }),
  posCatalogChanged: (catalog) => ({ rooms: [Rooms.catalog(catalog.companyId)] }),
  posDailyTotalsUpdated: (totals) => ({
    rooms: [Rooms.workspace(totals.workspaceId), Rooms.company(totals.companyId)],
    workspaceId: totals.workspaceId,
  }),
  inventoryMovementCreated: movementRoute,
  inventoryMovementUpdated: movementRoute,
  inventoryCountUpdated: (count) => ({
    rooms: [Rooms.workspace(count.workspaceId), Rooms.company(count.companyId)],
    workspaceId: count.workspaceId,
  }),
  systemAlert: alertRoute,
  systemWarning: alertRoute,
  systemInfo: alertRoute,
  systemAlertUpdated: alertUpdatedRoute,
  chatMessage: (message) => ({ rooms: [Rooms.chat(message.roomId)] }),
  chatTyping: (typing) => ({ rooms: [Rooms.chat(typing.roomId)], except: [Rooms.user(typing.userId)] }),
  chatHistory: (page) => ({ rooms: [Rooms.chat(page.roomId)] }),
};

/** The route of one event. */
export function routeOf<K extends EventKey>(key: K, payload: EventPayload<K>): Route {
  return (ROUTES[key] as (p: EventPayload<K>) => Route)(payload);
}
