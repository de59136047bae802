/**
 * Every kind of message Casework draws, declared once. `MessageView.kind` is one of these, so a
 * new kind of message is added here first; the renderer tests (test/renderers/parity.test.ts),
 * the size test and `npm run cards` each need an example of every kind listed, so a kind added
 * without one fails them.
 */
export const VIEW_KINDS = {
  help: 'what Casework does and the commands the person can use',
  greeting: 'a one-line answer to hello or thanks',
  welcome: 'the first message in a personal chat',
  me: 'the person: team, roles, supervisor, linked accounts',
  error: 'a refusal, an unexpected error with its reference, or a form that could not be read',
  'open-form': 'Slack: a button to open a form when Slack needs a fresh click',
  'team-welcome': 'a team registered for its channel',
  'team-already-registered': 'setup in a channel that already has a team',
  'setup-needs-channel': 'setup asked for outside a channel',
  roster: "the team's members and roles, a page at a time",
  'roster-member-saved': 'a person added to or changed on the roster',
  'roster-remove-confirm': 'the question before someone is removed from the roster',
  'policy-summary': "the team's policy",
  'case-card': 'one case: risk level, people, due dates',
  'case-list': 'cases, most urgent first, a page at a time',
  'case-record': "a case's complete record handed over as a file",
  'record-exported': 'the confirmation that a record was exported',
  'case-record-link': 'a private one-time link to a case record, for Teams clients that cannot take files',
  'visit-confirmation': 'a home visit recorded, with the due dates that follow',
  'visit-draft-saved': 'an unfinished visit form kept as a draft',
  'visit-urgent-change': "an urgent change seen on a visit, told to the case's supervisor",
  'discussion-root': "a case discussion's card in the team channel",
  'discussion-opened': 'the person who opened a discussion told where its thread is',
  'discussion-opened-notice': "the case's supervisor told a discussion was opened",
  'discussion-outsider': 'someone off the roster told their reply was not kept',
  'discussion-personal-data': 'a nudge when a reply looks like it holds personal data',
  'discussion-closed': "the closing card in a discussion's thread",
  'discussion-closed-confirmation': 'the person who closed a discussion told it is closed',
  'discussion-list': 'open discussions, longest waiting first',
  'supervision-note': 'a signed supervision note, read-only, in the thread',
  'supervision-draft': 'a supervision note kept as a draft',
  'supervision-sign-confirm': 'what signing a supervision note will lock, to confirm before it is signed',
  'roster-leaver': 'the question of where the cases of someone leaving the roster go',
  'roster-leaver-done': 'cases moved from someone leaving, and whether they were removed',
  'cases-received': 'cases moved to a person from a leaver or a mover',
  'supervision-session': 'a one-to-one supervision session recorded',
  'my-deadlines': "the person's open deadlines, most urgent first (due, deadlines, App Home)",
  'reminder-digest': "a person's daily reminder digest",
  'reminder-supervisor-digest': "a supervisor's digest of the team's escalated and overdue work",
  'reminder-escalation': 'an urgent escalation sent at once',
  'reminder-done': 'what to do next after Done on a reminder',
  'reminder-snoozed': 'a reminder snoozed until a day',
  'reminder-undeliverable': "an admin told a member's messages cannot be delivered",
  'oversight-overview': 'the team at a glance, per officer',
  'oversight-officer': "one officer's figures and overdue work",
  'oversight-list': 'a list behind the overview (discussions, unsupervised, no deadline, MAPPA)',
  'oversight-report': "the oversight report's headline figures",
  'oversight-report-sent': 'the oversight report handed over as a file',
  'oversight-digest': "a supervisor's weekly oversight digest",
} as const satisfies Record<string, string>;

/** A kind of message: one of {@link VIEW_KINDS}. */
export type ViewKind = keyof typeof VIEW_KINDS;

/** Every kind, in the catalogue's order. */
export const ALL_VIEW_KINDS = Object.keys(VIEW_KINDS) as ViewKind[];
