/**
 * Trying every role on one machine: where the deployment allows it (local mode only, where there
 * is no authentication and nobody but this machine can connect), a person may act as another
 * member of their team by starting a message with `as` and that member's first name (`as Megan
 * due`). What comes back carries the member on its buttons and forms, so pressing them acts as
 * that member too. Nothing of this exists where `services.actingAs` is not set.
 */
import type { Member } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { InboundContext, Reply } from '../interaction.ts';
import type { Services } from '../services.ts';
import type { ActionView, MessageView } from '../views/message-view.ts';
import { resolveActor } from './resolve-actor.ts';

/** The key a button value or form context carries the member acted as under. */
export const ACTING_AS_KEY = 'actingAs';

/** `as Megan due` → { name: 'Megan', rest: 'due' }; anything else → undefined. */
export function parseActingAs(text: string): { name: string; rest: string } | undefined {
  const match = /^\s*as\s+([A-Za-z][A-Za-z'-]{0,40})\s+(\S[\s\S]*)$/i.exec(text);
  return match ? { name: match[1]!, rest: match[2]!.trim() } : undefined;
}

/** The context of `ctx`'s person acting as a member of their team, named by first name or by id. */
export async function actingContext(services: Services, ctx: InboundContext, who: { name?: string; memberId?: string }): Promise<{ ctx: InboundContext; member: Member }> {
  const actor = await resolveActor(services.store, ctx, services.clock.now(), services.directory, services.actors);
  if (!actor) throw new DomainError('not_a_member', 'You are not on a Casework team, so you cannot act as one of its members.');
  const { members, identities } = await services.store.read(async (repos) => {
    const members = await repos.members.listByTeam(actor.team.id);
    return { members, identities: await Promise.all(members.map((m) => repos.members.identitiesOf(m.id))) };
  });
  const index = members.findIndex((m) => (who.memberId ? m.id === who.memberId : m.displayName.split(' ')[0]!.toLowerCase() === who.name?.toLowerCase()));
  const member = members[index];
  const identity = identities[index]?.find((i) => i.platform === ctx.user.platform);
  if (!member || !identity) {
    const names = members.filter((_, i) => identities[i]?.some((x) => x.platform === ctx.user.platform)).map((m) => m.displayName.split(' ')[0]);
    throw new DomainError('not_found', `There is nobody called ${who.name ?? 'that'} on ${actor.team.name} to act as here. Try one of: ${names.join(', ')}.`);
  }
  return {
    member,
    ctx: { ...ctx, user: { platform: identity.platform, workspaceId: identity.workspaceId, userId: identity.userId, displayName: member.displayName } },
  };
}

function stampAction(action: ActionView, memberId: string): ActionView {
  return action.url ? action : { ...action, value: { ...(action.value ?? {}), [ACTING_AS_KEY]: memberId } };
}

function stampView(view: MessageView, memberId: string, name: string): MessageView {
  const stamp = (list: ActionView[] | undefined) => list?.map((a) => stampAction(a, memberId));
  return {
    ...view,
    subtitle: `Acting as ${name}${view.subtitle ? ` · ${view.subtitle}` : ''}`,
    ...(view.actions ? { actions: stamp(view.actions)! } : {}),
    ...(view.restrictedActions ? { restrictedActions: stamp(view.restrictedActions)! } : {}),
    ...(view.sections ? { sections: view.sections.map((s) => (s.actions ? { ...s, actions: stamp(s.actions)! } : s)) } : {}),
    ...(view.refresh ? { refresh: { ...view.refresh, ...stampAction(view.refresh, memberId) } } : {}),
  };
}

/** The reply with the member stamped on every button and form, so what follows acts as them too. */
export function stampActingAs(reply: Reply, member: Member): Reply {
  switch (reply.type) {
    case 'message':
    case 'update':
      return { ...reply, view: stampView(reply.view, member.id, member.displayName) };
    case 'form':
    case 'form-invalid':
      return {
        ...reply,
        form: {
          ...reply.form,
          intro: `Acting as ${member.displayName}. ${reply.form.intro ?? ''}`.trim(),
          context: { ...reply.form.context, [ACTING_AS_KEY]: member.id },
          ...(reply.form.secondaryActions ? { secondaryActions: reply.form.secondaryActions.map((a) => stampAction(a, member.id)) } : {}),
        },
      };
    case 'none':
      return reply;
  }
}

/** Splits the acted-as member off a button value or form context. */
export function takeActingAs(values: Record<string, string>): { memberId: string | undefined; rest: Record<string, string> } {
  const { [ACTING_AS_KEY]: memberId, ...rest } = values;
  return { memberId, rest };
}
