/** The `wecom` config section. */
import { z } from 'zod';

/** WeCom self-built app (callback at /wecom/callback); off when absent. */
export const wecomConfigSchema = z.object({
  corpId: z.string().min(1),
  corpSecret: z.string().min(1),
  agentId: z.union([z.string().min(1), z.number().int()]),
  token: z.string().min(1),
  encodingAESKey: z.string().length(43),
  apiBaseUrl: z.string().url().optional(),
});

export type WeComConfig = z.output<typeof wecomConfigSchema>;

/** The section's settings that may come from the environment (secrets stay out of the YAML file). */
export const wecomEnv = {
  corpSecret: 'WECOM_CORP_SECRET',
  token: 'WECOM_TOKEN',
  encodingAESKey: 'WECOM_ENCODING_AES_KEY',
} as const;
