import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from '../../../../adapters/kubernetes/simulator/protobuf-writer.ts';

describe('the protobuf writer', () => {
  it('writes strings, multi-byte varints and nested messages in the wire format', () => {
    const bytes = new ProtobufWriter()
      .string(1, '2.0')
      .integer(15, 300)
      .message(2, (m) => m.string(1, 'K'))
      .finish();
    expect(bytes.toString('hex')).toBe(['0a03322e30', '78ac02', '1203', '0a014b'].join(''));
  });

  it('leaves out empty strings and zero integers, as proto3 does', () => {
    expect(new ProtobufWriter().string(1, '').integer(2, 0).string(3, undefined).finish().length).toBe(0);
  });
});
