export { createFakeWeComApi } from './create-fake-wecom-api.ts';
export type { FakeWeComApi, FakeWeComApiOptions, FakeWeComCall } from './create-fake-wecom-api.ts';
