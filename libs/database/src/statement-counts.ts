// Transaction control is bookkeeping around the work, counted apart from it.
const TRANSACTION_CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET\s+TRANSACTION)\b/i;

/**
 * The statements this process has sent to PostgreSQL since it started: the work (what reads and
 * writes data) apart from transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT). Exact, so a
 * command's cost in statements can be tested (db_statements_total on /metrics).
 */
export class StatementCounts {
  work = 0;
  transactionControl = 0;

  /** One statement, as pg's `query` takes it: its text, or a config holding it. */
  count(query: unknown): void {
    const text = typeof query === 'string' ? query : ((query as { text?: unknown } | null)?.text ?? '');
    if (typeof text === 'string' && TRANSACTION_CONTROL.test(text)) this.transactionControl++;
    else this.work++;
  }
}
