/** `sgops audit`'s help: its own file, so `sgops --help` loads none of the audit's modules. */
export const auditUsage = `Usage:
  sgops audit verify [--request <id>] [--checkpoint FILE] [--json]
  sgops audit export [--request <id>] [--out FILE]
Against Postgres when DATABASE_URL is set (verify needs SGOPS_AUDIT_KEY; --schema NAME picks a schema),
otherwise against the running sandbox in --state-dir (default .sgops; --token <token> outside the sandbox).
`;
