/** What every Adaptive Card Casework sends shares: its type, and text escaped for Teams' card markdown. */

/** Adaptive Card JSON as sent to Teams. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/**
 * Escapes the few characters Teams' card markdown gives meaning to, so text a user typed is
 * shown as typed. Templating markers are neutralised too: values are data, never template (the
 * cards keep the shape of the templates in adaptive-cards/, which a designer may fill with them).
 */
export function escapeCardText(text: string): string {
  return text.replace(/([\\*_[\]`~#>])/g, '\\$1').replace(/\$\{/g, '$\u200b{');
}
