/**
 * The lines that point tccli at the emulator. tccli reads its keys and region from the
 * environment (TENCENTCLOUD_SECRET_ID, …_SECRET_KEY, …_REGION) and hands `--endpoint` to the
 * Python SDK, which calls an endpoint given with its scheme as it is — so
 * `--endpoint http://127.0.0.1:<port>` reaches the plain-HTTP emulator, and the SDK signs the
 * Host it sends, which the emulator checks. No profile is written into the user's ~/.tccli.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeTccliEnv(
  stateDir: string,
  account: { secretId: string; secretKey: string; region: string },
  endpoint: string,
): Promise<{ envFile: string; endpoint: string; example: string }> {
  const envFile = path.join(stateDir, 'tccli.env');
  const lines = [
    `TENCENTCLOUD_SECRET_ID=${account.secretId}`,
    `TENCENTCLOUD_SECRET_KEY=${account.secretKey}`,
    `TENCENTCLOUD_REGION=${account.region}`,
    '',
  ];
  await writeFile(envFile, lines.join('\n'), { mode: 0o600 });
  return {
    envFile,
    endpoint,
    example: `set -a; . ${envFile}; set +a; tccli vpc DescribeSecurityGroups --endpoint ${endpoint}`,
  };
}
