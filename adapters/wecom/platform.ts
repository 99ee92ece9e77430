/**
 * WeCom as a chat platform: a self-built app's encrypted callback (/wecom/callback), text replies
 * and approval template cards (the cards sent are in `wecom_cards`). Its XML and crypto load only
 * when WeCom is configured.
 */
import { z } from 'zod';
import type { ChatPlatform } from '../../src/ports/chat-platform.ts';
import { wecomConfigSchema, type WeComConfig } from './wecom-config.ts';
import { createDurableWeComCardStore, pruneExpiredWeComCards } from './wecom-card-store.ts';

export const wecomPlatform: ChatPlatform<WeComConfig> = {
  name: 'wecom',
  config: wecomConfigSchema,
  identity: {
    personId: z.string().min(1),
    // WeCom userids are case-insensitive.
    keyOf: (id) => id.toLowerCase(),
    directoryGroup: {
      field: 'wecomDepartment',
      /** WeCom department id (部门ID); its direct members only, not its sub-departments. */
      value: z.number().int().positive(),
      described: 'a WeCom department',
      platformTitle: 'WeCom',
    },
  },
  async open({ section, intake, decisionLine, state, clock, logger }) {
    if (!section) return null;
    const [{ createWeComApiClient }, { createWeComTransport }, { createWeComCallback }] = await Promise.all([
      import('./create-wecom-api-client.ts'),
      import('./create-wecom-transport.ts'),
      import('./create-wecom-callback.ts'),
    ]);
    const cards = createDurableWeComCardStore(state, { now: () => clock.now() });
    const api = createWeComApiClient({
      corpId: section.corpId,
      corpSecret: section.corpSecret,
      agentId: section.agentId,
      ...(section.apiBaseUrl ? { apiBaseUrl: section.apiBaseUrl } : {}),
      fetch,
    });
    const callback = createWeComCallback({
      token: section.token,
      encodingAESKey: section.encodingAESKey,
      corpId: section.corpId,
      agentId: section.agentId,
      intake,
      decisionLine,
      logger,
      cards,
    });
    return {
      transport: createWeComTransport({ api, cards, logger }),
      routes: [{ prefix: '/wecom/', listener: callback }],
      directory: { wecomDepartment: (id) => api.departmentUserIds(Number(id)) },
      disconnect: () => callback.idle(),
    };
  },
  prune: (state, now) => pruneExpiredWeComCards(state, now),
};
