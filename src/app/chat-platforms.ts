/** Every chat platform sgops speaks: adding one is its folder plus one line here. */
import { identitiesOf, type ChatPlatform } from '../ports/chat-platform.ts';
import { consolePlatform } from '../../adapters/console/platform.ts';
import { slackPlatform } from '../../adapters/slack/platform.ts';
import { wecomPlatform } from '../../adapters/wecom/platform.ts';

export const chatPlatforms: readonly ChatPlatform[] = [consolePlatform, slackPlatform, wecomPlatform];

/** What the registered platforms declare to the policy (person fields, directory group fields). */
export const chatIdentities = identitiesOf(chatPlatforms);
