export {
  createFakeSlackApi,
  type FakeSlackApi,
  type FakeSlackSocketModeOptions,
  type FakeSlackCall,
  type FakeSlackMessage,
  type FakeSlackResponse,
} from './create-fake-slack-api.ts';
export {
  type FakeSocketAck,
  type FakeSocketEnvelope,
  type FakeSocketEnvelopeState,
  type FakeSocketMode,
  type SocketDisconnectReason,
  type SocketEnvelopeType,
} from './fake-socket-mode.ts';
