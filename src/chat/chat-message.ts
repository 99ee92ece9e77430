/** The message model lives in src/ports (platforms import it from there); re-exported for the core. */
export type {
  Platform,
  ChatInbound,
  OutboundKind,
  ChatOutbound,
  ChatTransport,
  Recipient,
} from '../ports/chat-message.ts';
