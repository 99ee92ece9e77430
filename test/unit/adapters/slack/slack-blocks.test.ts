import { describe, expect, it } from 'vitest';
import { approvalCardBlocks, decidedCardBlocks } from '../../../../adapters/slack/approval-card-blocks.ts';
import { denyReasonModal, parseDenyReasonMetadata } from '../../../../adapters/slack/deny-reason-modal.ts';
import {
  progressMessage,
  withProgressLine,
  type ProgressChecklist,
} from '../../../../adapters/slack/progress-checklist.ts';
import { textMessages } from '../../../../adapters/slack/text-messages.ts';

describe('Slack message bodies', () => {
  it('renders the approval card in the reader’s language, with Approve when the whole plan fits', () => {
    const card = approvalCardBlocks({ requestId: 'R7K2', text: 'p'.repeat(3_000), locale: 'zh' });
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('"text":"批准"');
    expect(json).toContain('"text":"拒绝"');
    expect(json).toContain('"block_id":"sgops_approval.zh"');
    expect(json).not.toContain('计划过长');
  });

  it('takes Approve off a card whose plan is cut, and says where to read and approve it', () => {
    const card = approvalCardBlocks({
      requestId: 'R7K2',
      text: 'p'.repeat(50_000),
      locale: 'zh',
      reviewUrl: 'http://127.0.0.1:7700/#R7K2',
    });
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    const json = JSON.stringify(card.blocks);
    expect(json).not.toContain('"action_id":"sgops_approve"');
    expect(json).toContain('"text":"拒绝"');
    expect(json).toContain('"url":"http://127.0.0.1:7700/#R7K2"');
    expect(json).toContain('计划过长，无法在卡片上批准');
    expect(json).toContain('状态 请求 R7K2');
    expect(json).toContain('"block_id":"sgops_approval.zh"');
    for (const b of card.blocks) {
      if (b.type === 'section') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    }
    expect(card.text.length).toBeLessThanOrEqual(3000);
  });

  it('shows every line of what is approved in full, however long the plan behind it', () => {
    const foreign = Array.from(
      { length: 40 },
      (_, i) =>
        `Another team's group db-${i} (sg-db${String(i).padStart(5, '0')}): ingress TCP 5432 from the pod group`,
    ).join('\n');
    const card = approvalCardBlocks({
      requestId: 'R7K2',
      text: 'all',
      essentials: `alice asks: grant pod SG to app big (R7K2).\nAsked: \`grant pod SG to app big allow tcp:5432 to sg-db00039\`\n${foreign}`,
      plan: 'x'.repeat(60_000),
      locale: 'en',
    });
    const json = JSON.stringify(card.blocks);
    expect(card.blocks.length).toBeLessThanOrEqual(50);
    for (let i = 0; i < 40; i++) expect(json).toContain(`db-${i} (sg-db${String(i).padStart(5, '0')})`);
    expect(json).toContain('allow tcp:5432 to sg-db00039');
    expect(json).not.toContain('"action_id":"sgops_approve"');
    expect(json).toContain('cannot be approved here');
  });

  it('renders a decided card without buttons, saying who decided and why in words', () => {
    const card = decidedCardBlocks({
      requestId: 'R7K2',
      text: 'plan',
      locale: 'en',
      decision: { outcome: 'denied', by: [{ personId: 'bob', name: 'Bob' }], reason: 'freeze <!channel>' },
      state: 'denied',
      at: '2026-03-01 08:05 UTC',
    });
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('*Denied* by Bob (bob): freeze &lt;!channel&gt;');
    expect(json).toContain('Decided 2026-03-01 08:05 UTC');
    expect(json).not.toContain('*denied*');
  });

  it('says a decided card in Chinese for a Chinese reader, and reads the outcome from the state when nobody is named', () => {
    const zh = decidedCardBlocks({
      requestId: 'R7K2',
      text: 'plan',
      locale: 'zh',
      decision: { outcome: 'approved', by: [{ personId: 'carol', name: 'Carol' }] },
      state: 'ensurePodSecurityGroup',
      at: '2026-03-01 08:05 UTC',
    });
    expect(JSON.stringify(zh.blocks)).toContain('Carol (carol) *已批准*');
    expect(JSON.stringify(zh.blocks)).not.toContain('ensurePodSecurityGroup');
    const unnamed = decidedCardBlocks({
      requestId: 'R7K2',
      text: 'plan',
      locale: 'en',
      decision: undefined,
      state: 'ensurePodSecurityGroup',
      at: '2026-03-01 08:05 UTC',
    });
    expect(JSON.stringify(unnamed.blocks)).toContain(':white_check_mark: *Approved*');
    expect(JSON.stringify(unnamed.blocks)).not.toContain('ensurePodSecurityGroup');
  });

  it('builds a checklist that skips repeated lines and marks how it ended', () => {
    let list: ProgressChecklist = { requestId: 'R7K2', locale: 'en', state: 'allowDns', lines: [] };
    list = withProgressLine(list, 'Creating the pod group', 'ensurePodSecurityGroup');
    list = withProgressLine(list, 'Allowing DNS', 'allowDns');
    list = withProgressLine(list, 'Allowing DNS', 'allowDns');
    expect(list.lines).toEqual(['Creating the pod group', 'Allowing DNS']);
    expect(progressMessage(list).text).toContain(':hourglass_flowing_sand: Allowing DNS');
    const failed = progressMessage(withProgressLine(list, '', 'failed', 'failed')).text;
    expect(failed).toContain(':white_check_mark: Creating the pod group');
    expect(failed).toContain(':x: Allowing DNS');
    const many = Array.from({ length: 200 }, (_, i) => `step ${i} ${'z'.repeat(200)}`).reduce(
      (l, line) => withProgressLine(l, line, 'recreatePods'),
      list,
    );
    expect(progressMessage(many).text.length).toBeLessThanOrEqual(3000);
    expect(progressMessage(many).text).toContain('step 199');
  });

  it('splits long texts over several messages and says when it had to stop', () => {
    const messages = textMessages('w '.repeat(200_000), { truncatedNote: 'cut' });
    expect(messages).toHaveLength(5);
    expect(JSON.stringify(messages.at(-1)?.blocks)).toContain('"text":"cut"');
  });

  it('round-trips the deny modal’s metadata and rejects metadata that is not ours', () => {
    const view = denyReasonModal({ requestId: 'R7K2', channel: 'C1', threadTs: '1.2', locale: 'en' });
    expect(view.type === 'modal' ? view.title.text.length : 99).toBeLessThanOrEqual(24);
    expect(parseDenyReasonMetadata(view.private_metadata)).toEqual({
      requestId: 'R7K2',
      channel: 'C1',
      threadTs: '1.2',
      locale: 'en',
    });
    expect(parseDenyReasonMetadata('not json')).toBeNull();
    expect(parseDenyReasonMetadata('{"channel":"C1"}')).toBeNull();
  });
});
