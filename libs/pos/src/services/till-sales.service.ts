import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError, validationError } from '@retail/common';
import { AppConfig, crashAt } from '@retail/config';
import { PrismaService } from '@retail/database';
import { TillSale, type SaleSyncResult } from '@retail/realtime-protocol';
import { assessTillSale, saleContentHash, type CatalogProduct } from '../domain/till-sale-rules.js';
import type { SaleView, TillSaleDto } from '../dto/sale.dto.js';
import { SALE_INCLUDE, toSaleView } from '../views/pos.views.js';
import { PosAccess } from './pos-access.js';
import { TillSaleWriter, type CheckedSale, type WrittenSales } from './till-sale-writer.js';

const NOTHING_WRITTEN: WrittenSales = { written: [], unknownDrawers: [], storedBefore: new Map() };

/** One sale's outcome: stored (now or before), or why not. */
export type TillSaleOutcome = { status: 'accepted' | 'duplicate'; sale: SaleView } | { status: 'conflict' | 'rejected'; error: AppError };

/** A well-formed sale of the upload, where it stood in it. */
interface Candidate {
  index: number;
  sale: TillSaleDto;
  hash: string;
}

const conflict = (id: string) => AppError.conflict('sale_conflict', `Sale ${id} is already stored with other content`);
const unknownDrawer = (sale: TillSaleDto) =>
  AppError.unprocessable('cash_session_unknown', `Cash session ${sale.cashSessionId} is not a drawer of this till`);
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
    const { checked, refused } = await this.check(user, candidates);
    const { written, unknownDrawers, storedBefore } = checked.length ? await this.writer.write(user, till, checked) : NOTHING_WRITTEN;
    if (written.length) crashAt(this.config, 'crash-after-committing-a-till-sale');

    const writtenById = new Map(written.map((sale) => [sale.id, sale]));
    const unwritten = checked.filter((c) => !writtenById.has(c.sale.id));
    for (const c of checked) if (writtenById.has(c.sale.id)) outcomes[c.index] = { status: 'accepted', sale: writtenById.get(c.sale.id)! };
    // A sale refused now may be one stored before: answered from the store, never judged again, however old it has grown.
    const stored = new Map([...storedBefore, ...(await this.storedHashes(refused.map((r) => r.sale.id)))]);
    for (const { index, sale, error } of refused) if (!stored.has(sale.id)) outcomes[index] = { status: 'rejected', error };
    // Not written and not stored: its drawer is not this till's, or another sale has its receipt number.
    for (const c of unwritten) {
      if (stored.has(c.sale.id)) continue;
      const error = unknownDrawers.includes(c.sale.id) ? unknownDrawer(c.sale) : sequenceTaken(c.sale);
      outcomes[c.index] = { status: 'rejected', error };
    }
    await this.answerFromStore(
      [...unwritten, ...refused].filter((c) => stored.has(c.sale.id)),
      stored,
      outcomes,
    );
    // An id repeated within one upload is answered as its first occurrence was.
    for (const { index, hash, first } of repeats) {
      const answer = outcomes[first.index];
      if (hash !== first.hash) outcomes[index] = { status: 'conflict', error: conflict(first.sale.id) };
      else outcomes[index] = 'sale' in answer ? { status: 'duplicate', sale: answer.sale } : answer;
    }
    return outcomes;
  }

  /** Sales stored before: the same content is a duplicate (answered with the stored sale), other content a conflict. */
  private async answerFromStore(candidates: Candidate[], stored: Map<string, string | null>, outcomes: TillSaleOutcome[]) {
    const views = await this.views(candidates.filter((c) => stored.get(c.sale.id) === c.hash).map((c) => c.sale.id));
    for (const c of candidates) {
      const view = views.get(c.sale.id);
      outcomes[c.index] = view ? { status: 'duplicate', sale: view } : { status: 'conflict', error: conflict(c.sale.id) };
    }
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

  /** Judges each sale against the catalog and the clock: checked, ready to write, or refused with why. */
  private async check(user: Principal, candidates: Candidate[]) {
    const checked: Array<CheckedSale & Candidate> = [];
    const refused: Array<Candidate & { error: AppError }> = [];
    if (!candidates.length) return { checked, refused };
    const productIds = [...new Set(candidates.flatMap((c) => c.sale.lines.map((l) => l.productId)))];
    const products = await this.prisma.product.findMany({
      where: { companyId: user.companyId, id: { in: productIds } },
      select: { id: true, sku: true, name: true, price: true, active: true },
    });
    const context = {
      now: new Date(),
      maxAgeDays: this.config.pos.offlineSaleMaxAgeDays,
      products: new Map<string, CatalogProduct>(products.map((p) => [p.id, p])),
    };
    for (const candidate of candidates) {
      try {
        checked.push({ ...candidate, assessed: assessTillSale(candidate.sale, context) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        refused.push({ ...candidate, error });
      }
    }
    return { checked, refused };
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
