/**
 * alice, bob and carol as the chat fakes know them: each one person on every platform, the Slack
 * user `U0<NAME>` and the WeCom user of their own id; carol reads Chinese.
 */
export const chatPeople = [
  { id: 'alice', name: 'Alice', slack: 'U0ALICE', wecom: 'alice' },
  { id: 'bob', name: 'Bob', slack: 'U0BOB', wecom: 'bob' },
  { id: 'carol', name: 'Carol', slack: 'U0CAROL', wecom: 'carol', locale: 'zh' as const },
];

/**
 * The chat tests' usual policy: alice (or `requesters`) requests in my-namespace; bob and carol
 * (group sre) approve, one enough.
 */
export function sreApprovedPolicy<Person extends { id: string; name: string }>(
  people: readonly Person[] = chatPeople as unknown as readonly Person[],
  requesters: readonly string[] = ['alice'],
) {
  return {
    people: [...people],
    groups: { sre: ['bob', 'carol'] },
    rules: [
      {
        clusters: ['*'],
        namespaces: ['my-namespace'],
        requesters: [...requesters],
        approvers: ['group:sre'],
        quorum: 1,
      },
    ],
  };
}
