import { randomUUID } from 'node:crypto';
import { api, sleep } from './clients.js';

/** A product of the caller's company, by sku. */
export async function productBySku(baseUrl: string, token: string, sku: string): Promise<{ id: string; price: number }> {
  const { body } = await api(baseUrl, 'GET', '/inventory/products?limit=100', token);
  const product = body.items.find((p: { sku: string }) => p.sku === sku);
  if (!product) throw new Error(`no product ${sku}`);
  return product;
}

/** One whole sale through the REST API: open a cart, set its items, pay, check out (timed on its own). */
export async function sell(
  baseUrl: string,
  token: string,
  items: Array<{ productId: string; quantity: number }>,
  method: 'CASH' | 'CARD' = 'CARD',
) {
  const cart = await api(baseUrl, 'POST', '/pos/carts', token, {});
  if (cart.status !== 201) throw new Error(`create cart: ${cart.status} ${JSON.stringify(cart.body)}`);
  const priced = await api(baseUrl, 'PATCH', `/pos/carts/${cart.body.id}`, token, { items });
  if (priced.status !== 200) throw new Error(`set items: ${priced.status} ${JSON.stringify(priced.body)}`);
  const paid = await api(baseUrl, 'POST', `/pos/carts/${cart.body.id}/payments`, token, { method, amount: priced.body.total });
  if (paid.status !== 201) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  const checkoutStarted = performance.now();
  const checkout = await api(baseUrl, 'POST', `/pos/carts/${cart.body.id}/checkout`, token);
  return { ...checkout, checkoutMs: performance.now() - checkoutStarted };
}

/** A sale as a till makes it: its own id, now, paid by card to the cent. */
export function tillSale(lines: Array<{ productId: string; quantity: number; unitPrice: number }>) {
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  return { id: randomUUID(), occurredAt: new Date().toISOString(), lines, payments: [{ method: 'CARD' as const, amount: total }] };
}

/** One whole sale in one call, as a till that knows the whole sale sends it. */
export function sellAtTill(baseUrl: string, token: string, lines: Array<{ productId: string; quantity: number; unitPrice: number }>) {
  return api(baseUrl, 'POST', '/pos/sales', token, tillSale(lines));
}

/** Sells one unit of `productId` every `everyMs` until `stop()`; `committed` holds the ids of the sales that committed. */
export function sellSteadily(baseUrl: string, token: string, productId: string, everyMs: number) {
  const committed: string[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = Date.now();
      const sale = await sell(baseUrl, token, [{ productId, quantity: 1 }]).catch(() => undefined);
      if (sale?.status === 201) committed.push(sale.body.id);
      await sleep(Math.max(0, everyMs - (Date.now() - started)));
    }
  })();
  return {
    committed,
    stop: async () => {
      running = false;
      await done;
      return committed;
    },
  };
}
