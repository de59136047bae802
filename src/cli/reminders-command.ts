/**
 * `casework reminders preview --team TEAM --from YYYY-MM-DD --days N [--json]`: what the reminder
 * pipeline would send, day by day and to whom, for the team's open deadlines as they stand. Sends
 * nothing and stores nothing.
 */
import { parseArgs } from 'node:util';
import { isIsoDate } from '../core/calendar/working-calendar.ts';
import { previewReminders, type PreviewMessage } from '../core/reminders/reminder-preview.ts';
import { reposFor } from '../db/kysely-store.ts';
import { withDatabase } from './cli-context.ts';
import { formatTable, guarded, UsageError, writeStdout } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';

const USAGE = 'casework reminders preview --team TEAM --from YYYY-MM-DD --days N [--json]';
const MAX_DAYS = 731;

/** Renders the preview as a table, one row per message. */
export function previewTable(messages: readonly PreviewMessage[]): string {
  const rows = [['DATE', 'TIME', 'MEMBER', 'KIND', 'ITEMS']];
  for (const m of messages) {
    rows.push([m.date, m.time, m.member, m.kind, m.items.map((i) => `${i.caseKey ?? '-'} ${i.deadline} ${i.dueOn} ${i.stage}`).join('; ')]);
  }
  return formatTable(rows);
}

/** `reminders preview …`. */
export function remindersCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { team: { type: 'string' }, from: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals[0] !== 'preview') throw new UsageError(positionals[0] ? `Unknown reminders command "${positionals[0]}".` : 'Which reminders command?');
    if (!values.team) throw new UsageError('Say which team with --team.');
    if (!isIsoDate(values.from)) throw new UsageError('Give --from as a date, YYYY-MM-DD.');
    const days = Number(values.days ?? '');
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw new UsageError(`Give --days as a whole number from 1 to ${MAX_DAYS}.`);
    return withDatabase(async (database) => {
      const repos = reposFor(database.db);
      const team = await resolveTeam(repos, values.team!);
      const members = await repos.members.listByTeam(team.id);
      const deadlines = await repos.reminders.openForTeam(team.id);
      const messages = previewReminders(team, members, deadlines, values.from as string, days);
      if (values.json) {
        for (const m of messages) await writeStdout(`${JSON.stringify(m)}\n`);
      } else {
        await writeStdout(messages.length ? previewTable(messages) : 'Nothing would be sent.\n');
      }
      return 0;
    });
  });
}
