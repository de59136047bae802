/**
 * What the Slack adapter needs from Slack: the bot events it registers listeners for, the bot
 * token scopes those listeners and its Web API calls need, and the slash command.
 *
 * These lists are the single source of truth. `manifest/slack/manifest.yaml` must cover them
 * exactly (see `test/manifest/slack-manifest.test.ts`): add an event or scope here and in the
 * manifest together, with a note on what needs it.
 */

/**
 * Bot events the adapter subscribes to (Events API / Socket Mode), as named in the manifest's
 * `settings.event_subscriptions.bot_events`.
 *
 * - `app_home_opened`: republish the App Home tab ("my deadlines") with `views.publish`.
 * - `member_joined_channel`: notice when Casework (or a colleague) joins a team channel.
 * - `message.channels`: thread replies in public channels (recorded case discussions).
 * - `message.groups`: thread replies in private channels.
 * - `message.im`: messages in the app's DM (Messages tab).
 */
export const SLACK_BOT_EVENTS = [
  'app_home_opened',
  'member_joined_channel',
  'message.channels',
  'message.groups',
  'message.im',
] as const;

/** One of {@link SLACK_BOT_EVENTS}. */
export type SlackBotEvent = (typeof SLACK_BOT_EVENTS)[number];

/**
 * Bot token scopes requested at install (`oauth_config.scopes.bot` in the manifest).
 *
 * - `commands`: the `/casework` slash command.
 * - `chat:write`: post and update messages (`chat.postMessage`, `chat.update`).
 * - `channels:history`, `groups:history`, `im:history`: read messages and thread replies in
 *   public channels, private channels and the app DM (needed by the `message.*` events).
 * - `im:write`: open a DM with a user (`conversations.open`) for reminders.
 * - `users:read`: look up users (names, time zones, deleted/bot flags).
 * - `users:read.email`: the profile email in `users.info`, to link people imported by email
 *   (docs/people-csv.md) to their Slack account.
 * - `channels:read`, `groups:read`: channel info and membership (`conversations.info`,
 *   `member_joined_channel`).
 * - `files:write`: upload exported case records.
 *
 * The App Home tab (`app_home_opened`, `views.publish`) needs no extra scope.
 */
export const SLACK_BOT_SCOPES = [
  'commands',
  'chat:write',
  'channels:history',
  'groups:history',
  'im:history',
  'im:write',
  'users:read',
  'users:read.email',
  'channels:read',
  'groups:read',
  'files:write',
] as const;

/** One of {@link SLACK_BOT_SCOPES}. */
export type SlackBotScope = (typeof SLACK_BOT_SCOPES)[number];

/**
 * The bot scopes Slack requires before it delivers each event in {@link SLACK_BOT_EVENTS}
 * (an empty list: none needed). Used to check that the scope list covers the event list.
 */
export const SLACK_EVENT_SCOPES: { readonly [E in SlackBotEvent]: readonly SlackBotScope[] } = {
  app_home_opened: [],
  member_joined_channel: ['channels:read', 'groups:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
};

/** The one slash command; its subcommands (`help`, `case CW-7K3P`, `due`, ...) follow it. */
export const SLACK_COMMAND = '/casework' as const;
