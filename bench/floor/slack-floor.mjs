// The Slack floor for `npm run bench:http`: the least a Bolt app can do for a slash command that
// writes something and answers. Bolt's HTTP receiver verifies the signature, the listener acks,
// inserts one row with kysely over pg, and posts the answer to the command's response_url.
// Plain JavaScript (no tsx), so it carries no more than it needs. Environment: PORT,
// DATABASE_URL, SLACK_SIGNING_SECRET, SLACK_API_URL.
import process from 'node:process';
import bolt from '@slack/bolt';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

const { App, ExpressReceiver } = bolt;
const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) }) });
await sql`create table if not exists bench_floor_events (id bigserial primary key, user_id text not null, body text not null, at timestamptz not null default now())`.execute(db);

const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events', processBeforeResponse: false });
const app = new App({
  token: 'xoxb-floor',
  receiver,
  tokenVerificationEnabled: false,
  botId: 'B0FLOOR',
  botUserId: 'U0FLOOR',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/casework', async ({ ack, command, respond }) => {
  await ack();
  await db.insertInto('bench_floor_events').values({ user_id: command.user_id, body: command.text }).execute();
  await respond({ response_type: 'ephemeral', text: `Noted: ${command.text}` });
});
receiver.app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
const server = receiver.app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => db.destroy().then(() => process.exit(0))));
