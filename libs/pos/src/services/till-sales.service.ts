import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError, validationError } from '@retail/common';
import { AppConfig, crashAt } from '@retail/config';
import { PrismaService } from '@retail/database';
import { TillSale, type SaleSyncResult } from '@retail/realtime-protocol';
import { assessTillSale, drawerWarnings, saleContentHash, type CatalogProduct } from '../domain/till-sale-rules.js';
import type { SaleView, TillSaleDto } from '../dto/sale.dto.js';
import { SALE_INCLUDE, toSaleView } from '../views/pos.views.js';
import { PosAccess, type Till } from './pos-access.js';
import { TillSaleWriter, type CheckedSale } from './till-sale-writer.js';

/** One sale's outcome: stored (now or before), or why not. */
export type TillSaleOutcome = { status: 'accepted' | 'duplicate'; sale: SaleView } | { status: 'conflict' | 'rejected'; error: AppError };

/** A well-formed sale of the upload, where it stood in it. */
interface Candidate {
  index: number;
  sale: TillSaleDto;
  hash: string;
}

const conflict = (id: string) => AppError.conflict('sale_conflict', `Sale ${id} is already stored with other content`);
const sequenceTaken = (sale: TillSaleDto) =>
  AppError.conflict('sequence_taken', `Receipt number ${sale.sequence} of this till belongs to another sale`, { sequence: sale.sequence });

/**
 * Sales made on the till, sent whole: one at a time as they happen, or hundreds after an outage.
 * A sale's id is the till's, so a retry, a resend or a concurrent upload through another replica
 * stores it once and counts it once: ids stored before are answered from what is stored, new ones
 * are inserted with ON CONFLICT DO NOTHING and whatever lost a race is looked up again. Each sale
 * is judged on its own, so one bad sale never blocks the rest; the good ones are written together
 * (TillSaleWriter).
 */
@Injectable()
export class TillSalesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
    private readonly access: PosAccess,
    private readonly writer: TillSaleWriter,
  ) {}

  /** `POST /pos/sales`: the stored sale and whether it was stored now, or the refusal. */
  async recordOne(user: Principal, sale: TillSaleDto): Promise<{ created: boolean; sale: SaleView }> {
    const [outcome] = await this.record(user, [sale]);
    if ('sale' in outcome) return { created: outcome.status === 'accepted', sale: outcome.sale };
    throw outcome.error;
  }

  /** `POST /pos/sales/sync`: every sale's outcome, in the request's order. */
  async sync(user: Principal, sales: unknown[]): Promise<SaleSyncResult[]> {
    const outcomes = await this.record(user, sales);
    return outcomes.map((outcome, i) => {
      const sent = sales[i] as { id?: unknown } | null;
      const id = typeof sent?.id === 'string' ? sent.id : null;
      if ('sale' in outcome) return { id, status: outcome.status, sale: outcome.sale };
      const { code, message, details } = outcome.error;
      return { id, status: outcome.status, error: { code, message, ...(details === undefined ? {} : { details }) } };
    });
  }

  private async record(user: Principal, sales: unknown[]): Promise<TillSaleOutcome[]> {
    const till = await this.access.till(user);
    const outcomes: TillSaleOutcome[] = new Array(sales.length);
    const { candidates, repeats } = this.parse(till.id, sales, outcomes);

    // Stored before: answered from what is stored, never judged again, however old it has grown.
    const stored = await this.storedHashes(candidates.map((c) => c.sale.id));
    const fresh = candidates.filter((c) => !stored.has(c.sale.id));
    const checked = await this.check(user, till, fresh, outcomes);
    const written = checked.length ? await this.writer.write(user, till, checked) : [];
    if (written.length) crashAt(this.config, 'crash-after-committing-a-till-sale');

    const writtenById = new Map(written.map((sale) => [sale.id, sale]));
    for (const c of checked) if (writtenById.has(c.sale.id)) outcomes[c.index] = { status: 'accepted', sale: writtenById.get(c.sale.id)! };
    // What another request stored meanwhile; a sale stored by nobody lost on its receipt number.
    const raced = checked.filter((c) => !writtenById.has(c.sale.id));
    const storedSince = raced.length ? await this.storedHashes(raced.map((c) => c.sale.id)) : new Map<string, string | null>();
    for (const c of raced) if (!storedSince.has(c.sale.id)) outcomes[c.index] = { status: 'rejected', error: sequenceTaken(c.sale) };

    const answeredFromStore = [...candidates.filter((c) => stored.has(c.sale.id)), ...raced.filter((c) => storedSince.has(c.sale.id))];
    const hashes = new Map([...stored, ...storedSince]);
    const views = await this.views(answeredFromStore.filter((c) => hashes.get(c.sale.id) === c.hash).map((c) => c.sale.id));
    for (const c of answeredFromStore) {
      const view = views.get(c.sale.id);
      outcomes[c.index] = view ? { status: 'duplicate', sale: view } : { status: 'conflict', error: conflict(c.sale.id) };
    }
    // An id repeated within one upload is answered as its first occurrence was.
    for (const { index, hash, first } of repeats) {
      const answer = outcomes[first.index];
      if (hash !== first.hash) outcomes[index] = { status: 'conflict', error: conflict(first.sale.id) };
      else outcomes[index] = 'sale' in answer ? { status: 'duplicate', sale: answer.sale } : answer;
    }
    return outcomes;
  }

  /** Each sale apart: a malformed one is rejected alone. */
  private parse(deviceId: string, sales: unknown[], outcomes: TillSaleOutcome[]) {
    const candidates: Candidate[] = [];
    const repeats: Array<Candidate & { first: Candidate }> = [];
    const firstById = new Map<string, Candidate>();
    sales.forEach((sent, index) => {
      const parsed = TillSale.safeParse(sent);
      if (!parsed.success) {
        outcomes[index] = { status: 'rejected', error: validationError(parsed.error.issues) };
        return;
      }
      const candidate = { index, sale: parsed.data, hash: saleContentHash(deviceId, parsed.data) };
      const first = firstById.get(candidate.sale.id);
      if (first) repeats.push({ ...candidate, first });
      else {
        firstById.set(candidate.sale.id, candidate);
        candidates.push(candidate);
      }
    });
    return { candidates, repeats };
  }

  /** Judges the sales not stored yet against the catalog, the clock and the till's drawers; the refused get their outcome. */
  private async check(
    user: Principal,
    till: Till,
    fresh: Candidate[],
    outcomes: TillSaleOutcome[],
  ): Promise<Array<CheckedSale & Candidate>> {
    if (!fresh.length) return [];
    const productIds = [...new Set(fresh.flatMap((c) => c.sale.lines.map((l) => l.productId)))];
    const named = [...new Set(fresh.flatMap((c) => (c.sale.cashSessionId ? [c.sale.cashSessionId] : [])))];
    const [products, drawers] = await Promise.all([
      this.prisma.product.findMany({
        where: { companyId: user.companyId, id: { in: productIds } },
        select: { id: true, sku: true, name: true, price: true, active: true },
      }),
      this.prisma.cashSession.findMany({
        where: { deviceId: till.id, OR: [{ id: { in: named } }, { status: 'OPEN' }] },
        select: { id: true, status: true },
      }),
    ]);
    const context = {
      now: new Date(),
      maxAgeDays: this.config.pos.offlineSaleMaxAgeDays,
      timeZone: till.workspace.timeZone,
      products: new Map<string, CatalogProduct>(products.map((p) => [p.id, p])),
    };
    const open = drawers.find((d) => d.status === 'OPEN') ?? null;
    return fresh.flatMap((candidate) => {
      try {
        const assessed = assessTillSale(candidate.sale, context);
        const { cashSessionId } = candidate.sale;
        const drawer = cashSessionId ? drawers.find((d) => d.id === cashSessionId) : open;
        if (drawer === undefined) {
          throw AppError.unprocessable('cash_session_unknown', `Cash session ${cashSessionId} is not a drawer of this till`);
        }
        assessed.warnings.push(...drawerWarnings(candidate.sale, drawer));
        return [{ ...candidate, assessed, drawer }];
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes[candidate.index] = { status: 'rejected', error };
        return [];
      }
    });
  }

  /** The content hash of each of these ids that is stored (null for a cart's sale, which has none). */
  private async storedHashes(ids: string[]): Promise<Map<string, string | null>> {
    if (!ids.length) return new Map();
    const rows = await this.prisma.sale.findMany({ where: { id: { in: ids } }, select: { id: true, contentHash: true } });
    return new Map(rows.map((r) => [r.id, r.contentHash]));
  }

  private async views(ids: string[]): Promise<Map<string, SaleView>> {
    if (!ids.length) return new Map();
    const rows = await this.prisma.sale.findMany({ where: { id: { in: ids } }, include: SALE_INCLUDE });
    return new Map(rows.map((row) => [row.id, toSaleView(row)]));
  }
}
