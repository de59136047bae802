/** `casework package-teams`: builds the Teams app zip, substituting the configured app id. */
import { cliConfig } from './cli-context.ts';
import { packageTeamsApp } from './package-teams.ts';
import { writeStdout } from './cli-io.ts';

/** Writes the zip and prints where it is. */
export async function packageTeamsCommand(outFile: string | undefined): Promise<number> {
  const config = cliConfig();
  const written = await packageTeamsApp({ appId: config.teams.appId, ...(outFile ? { outFile } : {}) });
  await writeStdout(`Teams app package written to ${written}${config.teams.appId ? '' : ' (no MICROSOFT_APP_ID set: the placeholder id is kept)'}\n`);
  return 0;
}
