import { describe, expect, it } from 'vitest';
import { errorIn } from '../../../src/chat/error-in.ts';
import { AppError, errorCodes } from '../../../src/errors.ts';
import type { ErrorCode } from '../../../src/errors.ts';
import { otherLanguageIn } from '../../helpers/other-language.ts';

describe('an error as one reader reads it', () => {
  it("gives a step's own 中文 to a 中文 reader and its English to an English one", () => {
    const error = new AppError('PRECONDITION_FAILED', 'The cluster has no super nodes.', {
      hint: 'Add a super node pool.',
      zh: { message: '集群没有超级节点。', hint: '请添加超级节点池。' },
    }).toJSON();
    expect(errorIn(error, 'zh')).toEqual({ message: '集群没有超级节点。', hint: '请添加超级节点池。' });
    expect(errorIn(error, 'en')).toEqual({
      message: 'The cluster has no super nodes.',
      hint: 'Add a super node pool.',
    });
  });

  it.each(Object.keys(errorCodes) as ErrorCode[])(
    'says what %s means in 中文 and quotes an English-only message instead of mixing it in',
    (code) => {
      const error = new AppError(code, 'RequestLimitExceeded: too many calls to DescribeSecurityGroups', {
        hint: 'wait a moment, then retry',
      }).toJSON();
      const { message, hint } = errorIn(error, 'zh');
      expect(message).toMatch(/\p{Script=Han}/u);
      expect(message).toContain('「RequestLimitExceeded: too many calls to DescribeSecurityGroups」');
      expect(otherLanguageIn(`${message}\n${hint}`, 'zh')).toEqual([]);
    },
  );
});
