/** The platform-neutral message model: what a person said, and what the bot says back. */
import type { Locale } from '../commands/command.ts';
import type { StatePhase } from '../../workflows/workflow-module.ts';

export type Platform = 'console' | 'slack' | 'wecom';

export interface ChatInbound {
  platform: Platform;
  /** The platform's message or action id: the idempotency key of everything that follows. */
  messageId: string;
  platformUserId: string;
  conversationId: string;
  threadId?: string;
  text: string;
}

export type OutboundKind = 'reply' | 'plan' | 'approval' | 'progress' | 'result' | 'error';

export interface ChatOutbound {
  platform: Platform;
  conversationId: string;
  threadId?: string;
  /** The person the message is for, when it is addressed to one. */
  personId?: string;
  /** Which inbound line this answers, when it is an answer. */
  inReplyTo?: string;
  /** The platform user id of whoever wrote that line (a private answer goes to them). */
  inReplyToUser?: string;
  locale: Locale;
  kind: OutboundKind;
  text: string;
  requestId?: string;
  state?: string;
  /** What `state` means to people (its workflow says): transports read this, never state names. */
  phase?: StatePhase;
  /**
   * An approval card's two parts: `essentials` (who asks what, other teams' groups, sign-offs) is
   * shown in full on every card; `plan` may be cut, and then the card says so and offers
   * `reviewUrl` (the request in the console) instead of its Approve button. `text` holds both.
   */
  card?: { essentials: string; plan: string; reviewUrl?: string };
  /** Buttons a platform may render (approve/deny on approval cards). */
  actions?: { id: 'approve' | 'deny'; requestId: string }[];
}

export interface ChatTransport {
  send(message: ChatOutbound): Promise<void>;
}

/** Where a person is reached on a platform; console conversations are named after the person. */
export interface Recipient {
  platform: Platform;
  conversationId: string;
  personId: string;
  locale: Locale;
}
