/**
 * @retail/realtime-client/node: what only Node can run, kept out of the root entry, which browsers load.
 *
 * ```ts
 * const sales = createSaleQueue({ url, getToken, store: await openFileSaleStore('data/sales.jsonl') });
 * ```
 */
export { openFileSaleStore } from './file-sale-store.js';
