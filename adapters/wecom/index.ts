export { createWeComCallback } from './create-wecom-callback.ts';
export type {
  WeComCallback,
  WeComCallbackLogger,
  WeComCallbackOptions,
  WeComCallbackServer,
} from './create-wecom-callback.ts';
export { createWeComApiClient, defaultWeComApiBaseUrl, taskIdPattern } from './create-wecom-api-client.ts';
export type {
  WeComApiClient,
  WeComApiClientOptions,
  WeComButton,
  WeComButtonCard,
  WeComSendResult,
} from './create-wecom-api-client.ts';
export { createWeComTransport, weComCardTexts, maxWeComTextBytes } from './create-wecom-transport.ts';
export type { WeComTransportOptions } from './create-wecom-transport.ts';
export { createDurableWeComCardStore, createInMemoryWeComCardStore } from './wecom-card-store.ts';
export type { DurableWeComCardStoreOptions } from './wecom-card-store.ts';
export type { WeComCard, WeComCardClick, WeComCardStore } from './wecom-card-store.ts';
export { cardDenyReasons, cardButtonKey, cardClickLine } from './read-wecom-message.ts';
export {
  encryptWeComCallback,
  encryptWeComUrlVerification,
  weComTextXml,
  weComCardClickXml,
} from './encrypt-wecom-callback.ts';
export type { EncryptWeComCallbackInput, WeComCallbackRequest } from './encrypt-wecom-callback.ts';
