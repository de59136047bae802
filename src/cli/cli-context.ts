/** Shared set-up for command-line tools: configuration from the environment and an open, migrated database. */
import { databaseTarget } from '../app.ts';
import { ConfigError, loadConfig, loadDotEnv, type AppConfig } from '../config/config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.ts';

/** Loads the configuration or exits with the list of problems. */
export function cliConfig(): AppConfig {
  loadDotEnv();
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
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
