/**
 * Just enough of the protobuf wire format to write a message: varints, and length-delimited
 * strings and sub-messages. Fields are appended in the order written; empty ones are skipped.
 */
export class ProtobufWriter {
  private readonly chunks: Buffer[] = [];

  private static varint(value: number): Buffer {
    const bytes: number[] = [];
    let rest = value;
    while (rest > 0x7f) {
      bytes.push((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    bytes.push(rest);
    return Buffer.from(bytes);
  }

  private tag(field: number, wireType: 0 | 2): void {
    this.chunks.push(ProtobufWriter.varint(field * 8 + wireType));
  }

  private bytes(field: number, data: Buffer): this {
    this.tag(field, 2);
    this.chunks.push(ProtobufWriter.varint(data.length), data);
    return this;
  }

  string(field: number, value: string | undefined): this {
    return value === undefined || value === '' ? this : this.bytes(field, Buffer.from(value, 'utf8'));
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  /** A non-negative integer (int64 or bool) as a varint. */
  integer(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    this.tag(field, 0);
    this.chunks.push(ProtobufWriter.varint(value));
    return this;
  }

  message(field: number, write: (w: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
