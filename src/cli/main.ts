/**
 * `casework <command>`: the command-line entry. `serve` (the default) runs the bot; the rest are
 * operator tools that open the database, do one thing, print the result and exit.
 */
import { parseArgs } from 'node:util';
import { finish, watchOutputStreams, writeStderr, writeStdout } from './cli-io.ts';

const USAGE = `Usage: casework <command> [options]

Commands:
  serve                         Start the bot (the default; what npm start runs)
  migrate                       Apply pending database migrations and exit
  package-teams [--out FILE]    Build the Teams app package (zip) from manifest/teams
  team create NAME [--timezone Europe/London]
                                Create a team and print its key
  team channel --team TEAM --slack-channel CHANNEL_ID --workspace WORKSPACE_ID [--reason TEXT]
                                Give a team its Slack channel (Teams: add Casework to the team)
  teams                         List teams with their keys, members, cases and channel
  import people FILE --team TEAM [--dry-run] [--skip-invalid]
                                Import the team's people from CSV (see docs/people-csv.md)
  export people --team TEAM --reason TEXT [--out FILE]
                                Write the team's people as CSV (stdout by default)
  people --team TEAM            List the roster and who is not yet linked to chat
  import cases FILE --team TEAM [--dry-run] [--skip-invalid] [--encoding windows-1252]
                                Import a caseload CSV (see docs/caseload-csv.md)
  export cases --team TEAM --reason TEXT [--out FILE]
                                Write the team's caseload as CSV (stdout by default)
  export record CW-7K3P --format md|pdf --reason TEXT [--out FILE]
                                Write a case's complete supervision record (SHA-256 in the footer)
  verify record FILE            Say whether a record file (Markdown or PDF) is intact
  audit --case CW-7K3P [--json] [--reason TEXT]
                                Print a case's audit trail
  reminders preview --team TEAM --from YYYY-MM-DD --days N [--json]
                                Show what reminders would be sent, day by day, without sending
  reassign cases --team TEAM --from PERSON --to PERSON [--supervised] [--dry-run] [--reason TEXT]
                                Move every active case one person leads (or supervises) to another
  report oversight --team TEAM --from YYYY-MM-DD --to YYYY-MM-DD --format md|pdf|csv [--out FILE]
                                Write the team's oversight report (figures in docs/oversight.md)
  help                          Show this help

TEAM is a team's key or its name. PERSON is a member id, or a name or email as on the roster.
`;

async function run(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { serve } = await import('../main.ts');
      await serve();
      return -1; // keep running
    }
    case 'migrate': {
      const { migrateCommand } = await import('./migrate-command.ts');
      return migrateCommand();
    }
    case 'package-teams': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
      const { packageTeamsCommand } = await import('./package-teams-command.ts');
      return packageTeamsCommand(values.out);
    }
    case 'team': {
      const { teamCommand } = await import('./team-commands.ts');
      return teamCommand(rest);
    }
    case 'teams': {
      const { teamsCommand } = await import('./team-commands.ts');
      return teamsCommand(rest);
    }
    case 'import': {
      if (rest[0] === 'people') {
        const { importPeopleCommand } = await import('./people-commands.ts');
        return importPeopleCommand(rest);
      }
      const { importCasesCommand } = await import('./import-cases-command.ts');
      return importCasesCommand(rest);
    }
    case 'export': {
      if (rest[0] === 'people') {
        const { exportPeopleCommand } = await import('./people-commands.ts');
        return exportPeopleCommand(rest);
      }
      if (rest[0] === 'record') {
        const { exportRecordCommand } = await import('./export-record-command.ts');
        return exportRecordCommand(rest);
      }
      const { exportCasesCommand } = await import('./export-cases-command.ts');
      return exportCasesCommand(rest);
    }
    case 'people': {
      const { peopleCommand } = await import('./people-commands.ts');
      return peopleCommand(rest);
    }
    case 'verify': {
      const { verifyRecordCommand } = await import('./verify-record-command.ts');
      return verifyRecordCommand(rest);
    }
    case 'audit': {
      const { auditCommand } = await import('./audit-command.ts');
      return auditCommand(rest);
    }
    case 'reminders': {
      const { remindersCommand } = await import('./reminders-command.ts');
      return remindersCommand(rest);
    }
    case 'reassign': {
      const { reassignCommand } = await import('./reassign-command.ts');
      return reassignCommand(rest);
    }
    case 'report': {
      const { reportCommand } = await import('./report-command.ts');
      return reportCommand(rest);
    }
    case 'help':
    case '--help':
    case '-h':
      await writeStdout(USAGE);
      return 0;
    default:
      await writeStderr(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

// A one-shot command exits only once its output has drained: exiting straight away would cut
// output to a pipe short. `serve` (-1) keeps running.
watchOutputStreams();
run(process.argv.slice(2)).then(
  async (code) => {
    if (code >= 0) await finish(code);
  },
  async (error: unknown) => {
    await writeStderr(`${error instanceof Error ? error.message : String(error)}\n`);
    await finish(1);
  },
);
