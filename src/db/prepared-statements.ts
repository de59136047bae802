/**
 * Statements a server sends again and again are prepared: PostgreSQL parses and plans each once
 * per connection instead of on every request. Kysely sends every statement unnamed, and planning
 * was most of the database's work for a case card (its query, measured on its own at 10 at a time:
 * about 2,100 a second unnamed, 7,400 to 9,500 prepared).
 *
 * A statement is named once the same text has been sent `after` times, so one-off statements (an
 * import's batch with its own number of rows) never are; at most `max` names are given, and
 * texts longer than `maxLength` are left alone. node-postgres keeps each connection's prepared
 * statements and parses a name once per connection.
 *
 * A prepared statement outlives a schema change made by another process (a migration run by a
 * newer version while this one serves): PostgreSQL plans it again, but refuses one whose result
 * columns changed until this server restarts. Migrations run at start-up, before any statement.
 */
import type pg from 'pg';

export interface PreparingOptions {
  after?: number;
  max?: number;
  maxLength?: number;
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Makes every connection `pool` opens prepare the statements sent repeatedly. */
export function prepareRepeatedStatements(pool: pg.Pool, options: PreparingOptions = {}): void {
  const after = options.after ?? 3;
  const max = options.max ?? 500;
  const maxLength = options.maxLength ?? 20_000;
  const seen = new Map<string, number>();
  const names = new Map<string, string>();

  const nameFor = (text: string): string | undefined => {
    const named = names.get(text);
    if (named !== undefined) return named;
    if (names.size >= max || text.length > maxLength) return undefined;
    const count = (seen.get(text) ?? 0) + 1;
    if (count < after) {
      // Bounded: texts that differ every time (a batch's own row count) would grow it for ever.
      if (seen.size >= 10_000) seen.clear();
      seen.set(text, count);
      return undefined;
    }
    seen.delete(text);
    const name = `casework_${names.size + 1}`;
    names.set(text, name);
    return name;
  };

  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (config, values, callback) => {
      if (typeof config === 'string') {
        const name = nameFor(config);
        if (name !== undefined) return query({ text: config, values, name }, callback);
      }
      return query(config, values, callback);
    };
  });
}
