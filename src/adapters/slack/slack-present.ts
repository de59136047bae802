/**
 * Shows a core Reply in Slack where the user is: an ephemeral answer to a command, a modal for a
 * form (opened at once and filled in when ready), or the original message replaced in place.
 */
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import type { Reply } from '../../core/interaction.ts';
import { renderFormModal, renderLoadingModal, renderMessageModal } from '../../renderers/block-kit/form-modal.ts';
import { renderMessageBlocks } from '../../renderers/block-kit/message-blocks.ts';
import type { MessageView } from '../../core/views/message-view.ts';

/** A message as Slack takes it: blocks and the notification text. */
function slackMessage(view: MessageView): { blocks: unknown[]; text: string } {
  const { blocks, text } = renderMessageBlocks(view);
  return { blocks, text };
}

/** Where a reply can go for this request. */
export interface SlackSurface {
  client: WebClient;
  /** Posts a message privately to the user (response_url, or chat.postMessage in a DM). */
  post: (message: { blocks: unknown[]; text: string }) => Promise<unknown>;
  /** Replaces the message the button was on, when there is one. */
  replace?: (message: { blocks: unknown[]; text: string }) => Promise<unknown>;
  /** A trigger id for opening a modal, when the request carried one. */
  triggerId?: string;
  /** The modal this request came from or already opened, if any. */
  viewId?: string;
}

/** Opens a placeholder modal straight away (inside Slack's 3-second trigger window). */
export async function openLoadingModal(client: WebClient, triggerId: string, title: string, pushOnto?: boolean): Promise<string | undefined> {
  const view = renderLoadingModal(title);
  const opened = pushOnto ? await client.views.push({ trigger_id: triggerId, view: view as never }) : await client.views.open({ trigger_id: triggerId, view: view as never });
  return opened.view?.id;
}

/** Presents a reply on the surface. */
export async function presentSlackReply(reply: Reply, surface: SlackSurface): Promise<void> {
  switch (reply.type) {
    case 'none':
      return;
    case 'form':
    case 'form-invalid': {
      const view = renderFormModal(reply.form) as never;
      if (surface.viewId) await surface.client.views.update({ view_id: surface.viewId, view });
      else if (surface.triggerId) await surface.client.views.open({ trigger_id: surface.triggerId, view });
      else await surface.post(slackMessage({ kind: 'error', title: 'Open this form again', notice: { tone: 'warning', text: 'Slack needs a fresh click to open a form. Run the command again.' } }));
      return;
    }
    case 'update':
      if (surface.replace) {
        await surface.replace(slackMessage(reply.view));
        return;
      }
      break;
    case 'message':
      break;
  }
  if (surface.viewId) {
    await surface.client.views.update({ view_id: surface.viewId, view: renderMessageModal(reply.view) as never });
  } else {
    await surface.post(slackMessage(reply.view));
  }
}
