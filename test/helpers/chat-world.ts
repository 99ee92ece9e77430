/**
 * A test world that talks Slack and WeCom through the fake chat APIs: the fakes start first, the
 * world is configured to reach them (chatFakesConfig), and if the world cannot start the fakes
 * stop again. The caller stops the world, then the fakes.
 */
import type { ConfigInput } from '../../src/config.ts';
import { startChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { chatFakesConfig } from './chat-fakes-config.ts';
import { startTestWorld } from './test-world.ts';
import type { TestWorld, WorldOptions } from './test-world.ts';

export interface ChatWorld {
  world: TestWorld;
  fakes: ChatFakes;
  /** The app's HTTP address, where Slack and WeCom post. */
  url: string;
}

export async function startChatWorld(
  name: string,
  overrides: Partial<ConfigInput> = {},
  options: WorldOptions = {},
): Promise<ChatWorld> {
  const fakes = await startChatFakes();
  try {
    const world = await startTestWorld(name, { ...chatFakesConfig(fakes), ...overrides }, options);
    return { world, fakes, url: world.app.httpUrl! };
  } catch (error) {
    await fakes.stop();
    throw error;
  }
}
