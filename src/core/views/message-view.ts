/**
 * Messages described once, as data. Every renderer (Block Kit, Adaptive Cards) turns a
 * MessageView into its platform's JSON; no platform detail belongs here.
 */
import type { ViewKind } from './view-kinds.ts';

/** A labelled value, shown as a fact row. */
export interface Fact {
  label: string;
  value: string;
}

/** A button. `id` is the interaction id `<domain>.<verb>`; `value` travels back with the click. */
export interface ActionView {
  id: string;
  label: string;
  value?: Record<string, string>;
  style?: 'primary' | 'danger';
  /** A link the button opens instead of coming back to Casework (a discussion's thread). */
  url?: string;
}

/** A highlighted line above the body: what went wrong, or something to notice. */
export interface Notice {
  tone: 'info' | 'warning' | 'error';
  text: string;
}

/** A titled part of a message with its own facts, text and buttons. */
export interface SectionView {
  heading?: string;
  text?: string;
  facts?: Fact[];
  actions?: ActionView[];
  /**
   * How much this part needs noticing: `attention` (overdue, very high risk), `warning` (due
   * soon, waiting). Renderers mark it with colour and a symbol; the text itself always says why,
   * so nothing is told by colour alone.
   */
  emphasis?: 'attention' | 'warning';
}

/** A message for a person or a channel: title, optional notice, facts, text, sections, buttons. */
export interface MessageView {
  /**
   * What kind of message this is (e.g. 'help', 'case-card'), from the catalogue in
   * `view-kinds.ts`: used by the renderer tests, `npm run cards` and logs.
   */
  kind: ViewKind;
  title: string;
  subtitle?: string;
  notice?: Notice;
  /** Plain paragraphs. Renderers escape them; they carry no markup. */
  paragraphs?: string[];
  facts?: Fact[];
  sections?: SectionView[];
  actions?: ActionView[];
  footer?: string;
  /**
   * Fit for everyone in a channel to see (help, a team's welcome). Anything else asked for in a
   * channel is answered privately where the platform cannot show a reply to one person only.
   */
  shared?: boolean;
  /**
   * An action the client runs by itself to bring the message up to date whenever it is shown
   * (Teams `refresh` with Action.Execute). Platforms without it ignore it. `chatUserIds`, when
   * given, names who it runs for (Teams: at most 60 people); otherwise the person it was made for.
   */
  refresh?: ActionView & { chatUserIds?: string[] };
  /**
   * Buttons only some people may use, on a message everyone in a channel sees. Where the
   * platform can draw a card per person (Teams, through `refresh`), only they see them; elsewhere
   * everyone sees them and anyone else who presses one is refused privately.
   */
  restrictedActions?: ActionView[];
}
