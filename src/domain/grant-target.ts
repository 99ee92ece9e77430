/** What a grant is for: an app's pods (label `app=<name>`) or a service account's. */
export type GrantTarget = { kind: 'app'; app: string } | { kind: 'serviceAccount'; serviceAccount: string };
