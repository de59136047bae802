/** Validates Adaptive Cards with Microsoft's own parser, the way a client would read them. */
import * as AC from 'adaptivecards';

/** Every problem the official parser reports for a card: unknown elements, bad properties. */
export function adaptiveCardProblems(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) problems.push(context.getEventAt(i).message);
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

/** The ids of every input and the verbs of every Action.Execute in a card, recursively. */
export function cardIds(json: unknown): { inputs: string[]; verbs: string[] } {
  const inputs: string[] = [];
  const verbs: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') inputs.push(o.id);
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') verbs.push(o.verb);
    Object.values(o).forEach(walk);
  };
  walk(json);
  return { inputs, verbs };
}
