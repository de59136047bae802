// The Teams floor for `npm run bench:http`: a bare botbuilder CloudAdapter behind express that
// answers each message with one reply, authentication off as in Casework's local mode. Plain
// JavaScript (no tsx). Environment: PORT.
import process from 'node:process';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import express from 'express';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
class FloorBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Noted: ${context.activity.text}`);
      await next();
    });
  }
}
const bot = new FloorBot();
const app = express();
app.post('/api/messages', express.json({ limit: '1mb' }), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
