/**
 * The core's front door. Adapters call these functions with a platform-neutral context; the
 * core routes to the feature that owns the command, button or form and answers with a Reply to
 * render. Nothing here knows which platform is asking.
 */
import type { ActionSpec, CommandSpec, Feature, FormSpec } from './commands/registry.ts';
import { parseCommand } from './commands/parse-command.ts';
import { recordThreadMessage, type ThreadMessageEvent, type ThreadMessageOutcome } from './discussions/thread-messages.ts';
import { DomainError } from './errors.ts';
import { commandsFor, greetingView, helpView, isGreeting, nearestCommand, welcomeView, type HelpAudience } from './help/help-view.ts';
import type { InboundContext, Reply } from './interaction.ts';
import type { Services } from './services.ts';
import { registerTeamForChannel } from './teams/team-registration.ts';
import type { PrivateContent } from './effects/effect.ts';
import { linkByEmail, type LinkOutcome } from './people/link-by-email.ts';
import { resolveActor } from './people/resolve-actor.ts';
import { inTransaction } from './unit-of-work.ts';
import { actingContext, parseActingAs, stampActingAs, takeActingAs } from './people/acting-as.ts';

/** The operations adapters may call. */
export interface Casework {
  /** A typed command: a Slack slash command or DM, a Teams personal message or @mention. */
  handleText(ctx: InboundContext, text: string): Promise<Reply>;
  /** A button press, identified by its interaction id `<domain>.<verb>`. */
  handleAction(ctx: InboundContext, actionId: string, value: Record<string, string>): Promise<Reply>;
  /** A submitted form, identified by its form id. Values and context are untrusted. */
  submitForm(ctx: InboundContext, formId: string, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply>;
  /**
   * A form closed without submitting (Slack `view_closed`): its answers are kept as a draft when
   * the form keeps drafts, and ignored otherwise. Values and context are untrusted.
   */
  formClosed(ctx: InboundContext, formId: string, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply>;
  /**
   * The title of the form this text or button would open, or null. Pure (no database): Slack
   * uses it to open a modal at once, inside its trigger window, and fills it in afterwards.
   */
  formTitleFor(input: { text: string } | { actionId: string; value: Record<string, string> }): string | null;
  /**
   * Casework was added to a channel (a Slack invite, a Teams install in a team). `ctx.user` is the
   * person who added it; the channel is registered as their team's, with them as first admin, or
   * the reply says which team already has it. The adapter posts the reply in that channel.
   */
  botAddedToChannel(ctx: InboundContext, info: { channelName?: string; teamName?: string }): Promise<Reply>;
  /**
   * Someone other than the bot joined a channel (`ctx.user` is who joined): if the channel is a
   * team's and that team has a person with the account's email not yet linked, they are linked.
   */
  personJoinedChannel(ctx: InboundContext): Promise<LinkOutcome>;
  /**
   * A message in a channel thread (new, edited or deleted), from `ctx.user`. Replies in a case
   * discussion's thread are recorded exactly once; anything else is ignored. Nothing to render:
   * any private note goes out through the notifier.
   */
  threadMessage(ctx: InboundContext, event: ThreadMessageEvent): Promise<ThreadMessageOutcome>;
  /**
   * Sends a reply to the person privately, in their own chat with Casework: for platforms that
   * cannot show a reply to one person in a shared conversation (Teams channels and group chats).
   * Resolves with whether it was delivered now, is on its way, or cannot be.
   */
  sendPrivately(ctx: InboundContext, reply: Reply): Promise<'sent' | 'queued' | 'failed'>;
  /** The short welcome for someone opening their personal chat with Casework for the first time. */
  welcome(ctx: InboundContext): Promise<Reply>;
}

/** What a reply shows when sent privately, or undefined when it shows nothing. */
function privateContent(reply: Reply): PrivateContent | undefined {
  switch (reply.type) {
    case 'message':
    case 'update':
      return { view: reply.view };
    case 'form':
    case 'form-invalid':
      return { form: reply.form };
    case 'none':
      return undefined;
  }
}

/**
 * Who help is for: the asker's roles (null when they are on no team) and one of their own case
 * keys for the examples (the team's first for someone without cases of their own).
 */
async function helpAudience(services: Services, ctx: InboundContext): Promise<HelpAudience> {
  const actor = await resolveActor(services.store, ctx, services.clock.now(), services.directory, services.actors);
  if (!actor) return { roles: null };
  const mine = await services.store.read((repos) => repos.cases.list(actor.team.id, { memberId: actor.member.id, offset: 0, limit: 1, status: 'active' }));
  const any = mine.items[0] ?? (await services.store.read((repos) => repos.cases.list(actor.team.id, { offset: 0, limit: 1, status: 'active' }))).items[0];
  return { roles: actor.member.roles, ...(any ? { exampleKey: any.key } : {}) };
}

/** Builds the core from its services and the features it offers. */
export function createCasework(services: Services, features: readonly Feature[]): Casework {
  const commands = new Map<string, CommandSpec>();
  const actions = new Map<string, ActionSpec>();
  const forms = new Map<string, FormSpec>();
  const listed: CommandSpec[] = [];
  for (const feature of features) {
    for (const command of feature.commands ?? []) {
      for (const word of [command.name, ...(command.aliases ?? [])]) {
        if (commands.has(word)) throw new Error(`Command word "${word}" is registered twice`);
        commands.set(word, command);
      }
      listed.push(command);
    }
    for (const action of feature.actions ?? []) {
      if (actions.has(action.id)) throw new Error(`Action "${action.id}" is registered twice`);
      actions.set(action.id, action);
    }
    for (const form of feature.forms ?? []) {
      if (forms.has(form.id)) throw new Error(`Form "${form.id}" is registered twice`);
      forms.set(form.id, form);
    }
  }

  const core: Casework = {
    async handleText(ctx, text) {
      const acting = services.actingAs ? parseActingAs(text) : undefined;
      if (acting) {
        const as = await actingContext(services, ctx, { name: acting.name });
        return stampActingAs(await core.handleText(as.ctx, acting.rest), as.member);
      }
      const command = parseCommand(text);
      const platformCommand = ctx.commandPrefix;
      if (isGreeting(text)) return { type: 'message', view: greetingView(platformCommand, /thank|cheers|\bta\b/i.test(text)) };
      if (command.name === 'help' || command.name === '?') {
        return { type: 'message', view: helpView(listed, { platformCommand, audience: await helpAudience(services, ctx) }) };
      }
      const spec = commands.get(command.name);
      if (!spec) {
        const audience = await helpAudience(services, ctx);
        const usable = commandsFor(listed, audience.roles).flatMap((c) => [c.name, ...(c.aliases ?? [])]);
        const suggestion = nearestCommand(command.name, [...usable, 'help']);
        return { type: 'message', view: helpView(listed, { notUnderstood: command.name, platformCommand, audience, ...(suggestion ? { suggestion } : {}) }) };
      }
      return spec.run({ ctx, services }, command);
    },
    async handleAction(ctx, actionId, value) {
      const acting = services.actingAs ? takeActingAs(value) : undefined;
      if (acting?.memberId) {
        const as = await actingContext(services, ctx, { memberId: acting.memberId });
        return stampActingAs(await core.handleAction(as.ctx, actionId, acting.rest), as.member);
      }
      const spec = actions.get(actionId);
      if (!spec) throw new DomainError('unsupported', 'That button is no longer available. Run the command again to get a fresh one.', { actionId });
      return spec.run({ ctx, services, lookupAction: (id) => actions.get(id) }, value);
    },
    async submitForm(ctx, formId, values, context) {
      const acting = services.actingAs ? takeActingAs(context) : undefined;
      if (acting?.memberId) {
        const as = await actingContext(services, ctx, { memberId: acting.memberId });
        return stampActingAs(await core.submitForm(as.ctx, formId, values, acting.rest), as.member);
      }
      const spec = forms.get(formId);
      if (!spec) throw new DomainError('unsupported', 'That form is no longer available. Run the command again to get a fresh one.', { formId });
      return spec.submit({ ctx, services }, values, context);
    },
    async formClosed(ctx, formId, values, context) {
      const acting = services.actingAs ? takeActingAs(context) : undefined;
      if (acting?.memberId) {
        const as = await actingContext(services, ctx, { memberId: acting.memberId });
        return core.formClosed(as.ctx, formId, values, acting.rest);
      }
      const spec = forms.get(formId);
      if (!spec?.saveDraft) return { type: 'none' };
      return spec.saveDraft({ ctx, services }, values, context);
    },
    formTitleFor(input) {
      if ('text' in input) {
        const command = parseCommand(input.text);
        return commands.get(command.name)?.opensForm?.(command) ?? null;
      }
      return actions.get(input.actionId)?.opensForm?.(input.value) ?? null;
    },
    botAddedToChannel(ctx, info) {
      return registerTeamForChannel({ ctx, services }, info);
    },
    async personJoinedChannel(ctx) {
      if (ctx.surface.kind !== 'channel') return 'none';
      const { channelId } = ctx.surface;
      const team = await services.store.read((repos) => repos.teams.findByChannel(ctx.user.platform, ctx.user.workspaceId, channelId));
      if (!team) return 'none';
      return linkByEmail(services.store, services.directory, ctx, { teamId: team.id });
    },
    threadMessage(ctx, event) {
      return recordThreadMessage(services, ctx, event);
    },
    async welcome(ctx) {
      const actor = await resolveActor(services.store, ctx, services.clock.now(), services.directory, services.actors);
      const audience = await helpAudience(services, ctx);
      return { type: 'message', view: welcomeView(actor ? { name: actor.member.displayName, teamName: actor.team.name, roles: actor.member.roles } : undefined, audience.exampleKey, ctx.commandPrefix) };
    },
    async sendPrivately(ctx, reply) {
      const content = privateContent(reply);
      if (!content) return 'sent';
      const actor = await resolveActor(services.store, ctx, services.clock.now(), services.directory, services.actors);
      const handle = await inTransaction(services, actor?.team.id ?? '', async (_repos, effects) => {
        if (actor) {
          return effects.add(
            { kind: 'person', memberId: actor.member.id, platform: ctx.user.platform, content, ...(ctx.conversationRef ? { conversationRef: ctx.conversationRef } : {}) },
            { await: true },
          );
        }
        // Someone on no roster gets only messages (help, a refusal), never a form.
        if (!('view' in content)) return undefined;
        const team = await _repos.teams.findByChannel(ctx.user.platform, ctx.user.workspaceId, ctx.surface.kind === 'channel' ? ctx.surface.channelId : '');
        if (!team) return undefined;
        return effects.add({ kind: 'outsider', user: ctx.user, conversationRef: ctx.conversationRef ?? null, view: content.view }, { await: true, teamId: team.id });
      });
      const status = handle?.outcome?.status;
      return status === 'sent' ? 'sent' : status === 'queued' ? 'queued' : 'failed';
    },
  };
  return core;
}
