export {
  createFakeSlackApi,
  type FakeSlackApi,
  type FakeSlackCall,
  type FakeSlackMessage,
} from './create-fake-slack-api.ts';
