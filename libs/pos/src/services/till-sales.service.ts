import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError, validationError } from '@retail/common';
import { AppConfig, crashAt } from '@retail/config';
import { PrismaService, TransactionRunner, type CashSession, type Tx } from '@retail/database';
import { StockLedger } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import { TillSale, type DeviceSyncState, type SaleSyncResult, type SaleWarning } from '@retail/realtime-protocol';
import { fromDateColumn, toDateColumn } from '../domain/business-date.js';
import { keptByMethod } from '../domain/cart-math.js';
import { assessTillSale, drawerWarnings, saleContentHash, type AssessedSale, type CatalogProduct } from '../domain/till-sale-rules.js';
import type { SaleView, TillSaleDto } from '../dto/sale.dto.js';
import { SALE_INCLUDE, toDailyTotalsPayload, toSalePayload, toSaleView, type SaleWithLines } from '../views/pos.views.js';
import { CashAlerts } from './cash-alerts.js';
import { CashSessionsService, type DrawerTake } from './cash-sessions.service.js';
import { DailyTotalsService, salesByDay } from './daily-totals.service.js';
import { PosAccess } from './pos-access.js';
import { insertTillSales, type TillSaleToWrite } from './sale-records.js';

/** One sale's outcome: stored (now or before), or why not. */
export type TillSaleOutcome = { status: 'accepted' | 'duplicate'; sale: SaleView } | { status: 'conflict' | 'rejected'; error: AppError };

/** A well-formed sale of the upload, where it stood in it. */
interface Candidate {
  index: number;
  sale: TillSaleDto;
  hash: string;
}

/** A candidate checked and ready to store, with the drawer it goes to. */
interface Checked extends Candidate {
  assessed: AssessedSale;
  drawer: Pick<CashSession, 'id' | 'status'> | null;
}

type Till = Awaited<ReturnType<PosAccess['till']>>;

/** How many missing receipt numbers a sync state lists. */
const MISSING_SHOWN = 1000;

const conflict = (id: string) => AppError.conflict('sale_conflict', `Sale ${id} is already stored with other content`);
const sequenceTaken = (sale: TillSaleDto) =>
  AppError.conflict('sequence_taken', `Receipt number ${sale.sequence} of this till belongs to another sale`, { sequence: sale.sequence });

/**
 * Sales made on the till, sent whole: one at a time as they happen, or hundreds after an outage.
 * A sale's id is the till's, so a retry, a resend or a concurrent upload through another replica
 * stores it once and counts it once: ids stored before are answered from what is stored, new ones
 * are inserted with ON CONFLICT DO NOTHING and whatever lost a race is looked up again. Each sale
 * is judged on its own, so one bad sale never blocks the rest; the good ones are written in one
 * transaction with set-based statements (their number does not grow with the batch's size).
 */
@Injectable()
export class TillSalesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly access: PosAccess,
    private readonly ledger: StockLedger,
    private readonly dailyTotals: DailyTotalsService,
    private readonly cashSessions: CashSessionsService,
    private readonly cashAlerts: CashAlerts,
    private readonly realtime: RealtimeService,
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
    const written = checked.length ? await this.write(user, till, checked) : [];
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
  private async check(user: Principal, till: Till, fresh: Candidate[], outcomes: TillSaleOutcome[]): Promise<Checked[]> {
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

  /**
   * One transaction: the sales, their stock and movements, the daily totals of their days and
   * their drawers, then their events and alerts, which leave once it commits. Only what this
   * transaction inserted is counted: a sale a concurrent upload stored first is left to it.
   */
  private async write(user: Principal, till: Till, checked: Checked[]): Promise<SaleView[]> {
    const { companyId, userId } = user;
    const workspaceId = till.workspaceId;
    return this.transactions.run(async (tx) => {
      const sales = await insertTillSales(tx, { workspaceId, deviceId: till.id, userId }, checked.map(toRecord));
      if (!sales.length) return [];
      const entries = await this.ledger.recordTillSales(tx, {
        companyId,
        workspaceId,
        userId,
        lines: sales.flatMap((sale) =>
          sale.lines.map((l) => ({ saleId: sale.id, product: { id: l.productId, sku: l.sku, name: l.name }, quantity: l.quantity })),
        ),
      });
      const views = sales.map(toSaleView);
      const totals = await this.dailyTotals.addSales(
        tx,
        workspaceId,
        salesByDay(views.map((v) => ({ ...v, byMethod: keptByMethod(v.payments, v.change) }))),
      );
      const takes = drawerTakes(views);
      const drawers = await this.cashSessions.takeTillSales(tx, takes);
      await this.markLate(
        tx,
        sales,
        views,
        drawers.filter((d) => d.late).map((d) => d.session.id),
      );

      for (const view of views) this.realtime.posSaleCompleted(toSalePayload(companyId, view), { tx });
      for (const row of totals) {
        this.realtime.updateDailyTotals(toDailyTotalsPayload(companyId, workspaceId, fromDateColumn(row.businessDate), row), { tx });
      }
      for (const entry of entries) await this.ledger.announce(tx, entry, 'created');
      for (const { session, late, passedLimit } of drawers) {
        if (passedLimit) await this.cashAlerts.limitPassed(tx, companyId, session, till.name);
        const take = takes.find((t) => t.sessionId === session.id)!;
        if (late) await this.cashAlerts.lateSales(tx, companyId, session, till.name, take.sales, take.cash);
      }
      return views;
    });
  }

  /**
   * A drawer that closed between the check and the write took its sales as late: they say so too.
   * (Rare: the drawer's row lock decides, and the sales were written a moment before.)
   */
  private async markLate(tx: Tx, sales: SaleWithLines[], views: SaleView[], lateDrawers: string[]): Promise<void> {
    const unmarked = views.filter((v) => v.cashSessionId && lateDrawers.includes(v.cashSessionId) && !v.warnings.includes('late_sale'));
    if (!unmarked.length) return;
    await tx.$executeRaw`UPDATE "Sale" SET warnings = array_append(warnings, 'late_sale') WHERE id = ANY(${unmarked.map((v) => v.id)}::uuid[])`;
    for (const view of unmarked) view.warnings.push('late_sale');
    for (const sale of sales) if (unmarked.some((v) => v.id === sale.id)) sale.warnings.push('late_sale');
  }

  /**
   * Where a till's receipt counter stands: the highest number stored, the numbers missing between
   * the lowest and the highest (a sale lost on the way shows as a hole), and its latest sale.
   */
  async syncState(user: Principal, deviceId: string): Promise<DeviceSyncState> {
    await this.access.deviceToRead(user, deviceId);
    const [state] = await this.prisma.$queryRaw<[{ lastSequence: number | null; lastSaleAt: Date | null; missing: number[] }]>`
      WITH numbered AS (
        SELECT sequence, lag(sequence) OVER (ORDER BY sequence) AS previous
        FROM "Sale" WHERE "deviceId" = ${deviceId}::uuid AND sequence IS NOT NULL
      ), hole AS (
        -- At most the first MISSING_SHOWN of each hole: a counter that jumped by millions stays cheap.
        SELECT generate_series(previous + 1, LEAST(sequence - 1, previous + ${MISSING_SHOWN})) AS missing
        FROM numbered WHERE sequence - previous > 1
      )
      SELECT (SELECT max(sequence) FROM numbered) AS "lastSequence",
        (SELECT max("occurredAt") FROM "Sale" WHERE "deviceId" = ${deviceId}::uuid) AS "lastSaleAt",
        ARRAY(SELECT missing FROM hole ORDER BY missing LIMIT ${MISSING_SHOWN}) AS missing`;
    return { lastSequence: state.lastSequence, missingSequences: state.missing, lastSaleAt: state.lastSaleAt?.toISOString() ?? null };
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

function toRecord({ sale, hash, assessed, drawer }: Checked): TillSaleToWrite {
  const { money } = assessed;
  return {
    sale: {
      id: sale.id,
      sequence: sale.sequence ?? null,
      cashSessionId: drawer?.id ?? null,
      total: BigInt(money.total),
      paid: BigInt(money.paid),
      change: BigInt(money.change),
      businessDate: toDateColumn(assessed.businessDate),
      occurredAt: assessed.occurredAt,
      warnings: assessed.warnings satisfies SaleWarning[],
      contentHash: hash,
    },
    lines: assessed.lines,
    payments: sale.payments,
  };
}

/** The cash of each drawer's sales, net of change, and their number. */
function drawerTakes(sales: SaleView[]): DrawerTake[] {
  const takes = new Map<string, DrawerTake>();
  for (const sale of sales) {
    if (!sale.cashSessionId) continue;
    const take = takes.get(sale.cashSessionId) ?? { sessionId: sale.cashSessionId, cash: 0, sales: 0 };
    take.cash += keptByMethod(sale.payments, sale.change).CASH;
    take.sales += 1;
    takes.set(sale.cashSessionId, take);
  }
  return [...takes.values()];
}
