/** `casework migrate`: applies pending migrations to the configured database and reports them. */
import { databaseTarget, migrateToLatest, openDatabase } from '../db/database.ts';
import { cliConfig } from './cli-context.ts';
import { writeStdout } from './cli-io.ts';

/** Runs the migrations and prints one line per migration applied. */
export async function migrateCommand(): Promise<number> {
  const config = cliConfig();
  const database = await openDatabase(databaseTarget(config));
  try {
    const result = await migrateToLatest(database.db);
    const applied = (result.results ?? []).filter((r) => r.status === 'Success');
    for (const r of applied) await writeStdout(`applied ${r.migrationName}\n`);
    await writeStdout(applied.length ? `${applied.length} migration(s) applied.\n` : 'The database is up to date.\n');
    return 0;
  } finally {
    await database.close();
  }
}
