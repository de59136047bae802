/**
 * The team onboarding feature in chat: `setup [team name]`, run in the channel where the team's
 * case discussions will go. Adding the bot to a channel does the same through
 * `Casework.botAddedToChannel`; both share {@link registerTeamForChannel}.
 */
import type { Feature } from '../commands/registry.ts';
import { registerTeamForChannel } from './team-registration.ts';

/** The onboarding feature. */
export const setupFeature: Feature = {
  commands: [
    {
      name: 'setup',
      audience: ['admin'],
      usage: 'setup [team name | TEAMKEY]',
      summary: 'Register your team for this channel (run it in the team channel); you become its first admin. An admin of a team made on the command line gives it this channel (setup TEAMKEY when they admin several).',
      run: (req, cmd) => registerTeamForChannel(req, { requestedName: cmd.rest, via: 'command' }),
    },
  ],
};
