/** The Slack adapter: what the composition root, tests and the sandbox use. */
export {
  createSlackAdapter,
  slackEventsPath,
  type SlackAdapter,
  type SlackAdapterOptions,
} from './create-slack-adapter.ts';
export {
  createSlackTransport,
  requestOfThread,
  threadKey,
  type SlackTransportOptions,
} from './create-slack-transport.ts';
export {
  createDurableSlackThreadStore,
  createMemorySlackThreadStore,
  requestIdOfSlackEntry,
  type DurableSlackThreadStoreOptions,
  type SlackThreadStore,
} from './slack-thread-store.ts';
export { signSlackRequest, type SlackSignedHeaders } from './sign-slack-request.ts';
export { verifySlackSignature, type SlackSignatureVerdict } from './verify-slack-signature.ts';
export { approveActionId, denyActionId } from './approval-card-blocks.ts';
export { denyReasonCallbackId } from './deny-reason-modal.ts';
export { createFakeSlackApi, type FakeSlackApi, type FakeSlackCall } from './fake-api/index.ts';
export { slackUserGroupReader } from './read-slack-user-group.ts';
