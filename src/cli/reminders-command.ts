/**
 * `casework reminders preview --team TEAM --from YYYY-MM-DD --days N [--json]`: what the reminder
 * pipeline would send, day by day and to whom, for the team's open deadlines as they stand. Sends
 * nothing and stores nothing.
 */
import { parseArgs } from 'node:util';
import { isIsoDate } from '../core/calendar/working-calendar.ts';
import { deadlineKindLabels, labelFrom, wordsForCode } from '../core/domain/vocabulary.ts';
import { formatDate } from '../core/views/format.ts';
import { previewReminders, type PreviewMessage } from '../core/reminders/reminder-preview.ts';
import { reposFor } from '../db/kysely-store.ts';
import { withDatabase } from './cli-context.ts';
import { formatTable, guarded, UsageError, writeStdout } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';

const USAGE = 'casework reminders preview --team TEAM --from YYYY-MM-DD --days N [--json]';
const MAX_DAYS = 731;

const MESSAGE_KINDS: Record<PreviewMessage['kind'], string> = { digest: 'Digest', 'supervisor-digest': 'Supervisor digest', escalation: 'Escalation', 'oversight-digest': 'Weekly oversight' };

/** A reminder stage in words: 'before-10' reads "10 working days before". */
export function stageWords(stage: string): string {
  const [key = stage] = stage.split('@');
  const before = /^before-(\d+)$/.exec(key);
  if (before) return `${before[1]} working day${before[1] === '1' ? '' : 's'} before`;
  const overdue = /^overdue-(\d+)$/.exec(key);
  if (overdue) return `${overdue[1]} working day${overdue[1] === '1' ? '' : 's'} overdue`;
  if (key === 'due') return 'due today';
  if (key.startsWith('snoozed')) return 'after a snooze';
  return wordsForCode(key).toLowerCase();
}

/** Renders the preview as a table in words, one row per message (`--json` keeps the stored codes). */
export function previewTable(messages: readonly PreviewMessage[]): string {
  const rows = [['DATE', 'TIME', 'MEMBER', 'KIND', 'ITEMS']];
  for (const m of messages) {
    const items = m.items.map((i) => `${i.caseKey ?? '-'} ${labelFrom(deadlineKindLabels, i.deadline)} due ${formatDate(i.dueOn)} (${stageWords(i.stage)})`);
    rows.push([formatDate(m.date), m.time, m.member, MESSAGE_KINDS[m.kind] ?? m.kind, items.join('; ')]);
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
