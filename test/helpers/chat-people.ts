/**
 * alice, bob and carol as the chat fakes know them: each one person on every platform, the Slack
 * user `U0<NAME>` and the WeCom user of their own id; carol reads Chinese.
 */
export const chatPeople = [
  { id: 'alice', name: 'Alice', slack: 'U0ALICE', wecom: 'alice' },
  { id: 'bob', name: 'Bob', slack: 'U0BOB', wecom: 'bob' },
  { id: 'carol', name: 'Carol', slack: 'U0CAROL', wecom: 'carol', locale: 'zh' as const },
];
