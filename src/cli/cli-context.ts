/** Shared set-up for command-line tools: configuration from the environment and an open, migrated database. */
import { loadConfig, loadDotEnv, type AppConfig } from '../config/config.ts';
import { databaseTarget, migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.ts';

/**
 * Loads the configuration. A ConfigError (its message lists the problems) reaches the dispatcher,
 * which prints it and exits 1 once stderr has drained.
 */
export function cliConfig(): AppConfig {
  loadDotEnv();
  return loadConfig(process.env);
}

/** Opens and migrates the configured database, runs `work`, and always closes it. */
export async function withDatabase<T>(work: (database: DatabaseHandle, config: AppConfig) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const database = await openDatabase(databaseTarget(config));
  try {
    await migrateToLatest(database.db);
    return await work(database, config);
  } finally {
    await database.close();
  }
}
