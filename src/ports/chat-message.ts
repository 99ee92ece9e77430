/**
 * The platform-neutral message model: what a person said, and what the bot says back. Every chat
 * platform (console, Slack, WeCom, one added later) speaks these types and nothing of the core's.
 */
import type { StatePhase } from './state-phase.ts';
import type { Locale } from '../domain/locale.ts';

/** The name of a registered chat platform (`console`, `slack`, `wecom`, …). */
export type Platform = string;

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
  /**
   * What the message says as data, for scripts (`sgops say --json` prints these fields beside the
   * text): an explanation's verdict, pods and hops.
   */
  facts?: Record<string, unknown>;
  /**
   * Lines the reader may start with one press (an explanation's smallest change), in the reader's
   * words; a press is the presser's own line, checked as if typed.
   */
  offers?: string[];
  /**
   * Buttons a platform may render: approve/deny on approval cards, `repair` on a drift report (a
   * press is the presser's line `repair <requestId>`).
   */
  actions?: { id: 'approve' | 'deny' | 'repair'; requestId: string }[];
  /**
   * How the request's wait for a decision ended, for approval cards to say in words. While it
   * still waits (phase `waiting`): the recipient's own approval, one of several (ownApproval).
   */
  decision?: CardDecision;
}

/** A decision as an approval card shows it once its buttons are gone. */
export interface CardDecision {
  outcome: 'approved' | 'denied' | 'cancelled' | 'expired';
  /** Who decided, in the order they did; empty when the request expired. */
  by: { personId: string; name: string }[];
  /** A denial's or cancellation's reason. */
  reason?: string;
}

export interface ChatTransport {
  send(message: ChatOutbound): Promise<void>;
  /**
   * Closes the request's approval cards in this conversation to show `message.decision` (and its
   * state), saying nothing else: for a person already answered elsewhere. Optional: a platform
   * without cards has nothing to close.
   */
  closeCards?(message: ChatOutbound): Promise<void>;
}

/** Where a person is reached on a platform; console conversations are named after the person. */
export interface Recipient {
  platform: Platform;
  conversationId: string;
  personId: string;
  locale: Locale;
}

/**
 * What the message's request state means (waiting, working, ok, failed); the notifier and the chat
 * service set it from the request's workflow. Undefined when the message is about no state.
 */
export function messagePhase(message: Pick<ChatOutbound, 'state' | 'phase'>): StatePhase | undefined {
  if (message.phase) return message.phase;
  return message.state ? 'working' : undefined;
}

/**
 * Whether the message closes its recipient's own cards because his approval counted while the
 * request still waits for others': they say he approved; the other approvers' cards stay live.
 */
export function ownApproval(
  message: Pick<ChatOutbound, 'state' | 'phase' | 'decision' | 'personId'>,
): boolean {
  return (
    messagePhase(message) === 'waiting' &&
    message.decision?.outcome === 'approved' &&
    message.decision.by.some((p) => p.personId === message.personId)
  );
}
