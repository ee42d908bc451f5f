import assert from 'node:assert/strict';
import { ProtoError, ProtoWriter, pushDoubles, pushFloats, pushInt64s, readFields, readVarint, str } from '../../../../shared/explain/onnx/protobuf';

describe('explain/onnx/protobuf', () => {
  it('round-trips varints, including negative int64 and values above 2^32', () => {
    for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -1, -2, -300, -(2 ** 40)]) {
      const b = new ProtoWriter().varintRaw(v).finish();
      const [got, next] = readVarint(b, 0, b.length);
      assert.equal(got, v, `value ${v}`);
      assert.equal(next, b.length);
      if (v < 0) assert.equal(b.length, 10, 'negative int64 takes ten bytes');
    }
  });

  it('reads every wire type and packed or unpacked repeated fields', () => {
    const b = new ProtoWriter()
      .int(1, 42).string(2, 'héllo').float(3, 1.5)
      .packedInts(4, [1, -1, 1000]).int(4, 7)
      .packedFloats(5, [0.25, -2]).float(5, 3)
      .packedDoubles(6, [Math.PI]).finish();
    const fields = readFields(b);
    assert.deepEqual(fields.map((f) => [f.num, f.wire]), [[1, 0], [2, 2], [3, 5], [4, 2], [4, 0], [5, 2], [5, 5], [6, 2]]);
    assert.equal(fields[0].value, 42);
    assert.equal(str(b, fields[1]), 'héllo');
    const ints: number[] = [], floats: number[] = [], doubles: number[] = [];
    for (const f of fields) {
      if (f.num === 4) pushInt64s(b, f, ints);
      if (f.num === 5 || f.num === 3) pushFloats(b, f, floats);
      if (f.num === 6) pushDoubles(b, f, doubles);
    }
    assert.deepEqual(ints, [1, -1, 1000, 7]);
    assert.deepEqual(floats, [1.5, 0.25, -2, 3]);
    assert.deepEqual(doubles, [Math.PI]);
  });

  it('rejects malformed input with ProtoError, never reading past the end', () => {
    const cases: [number[], RegExp][] = [
      [[0x08], /truncated varint/],
      [[0x08, 0x80, 0x80], /truncated varint/],
      [[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], /longer than 10 bytes/],
      [[0x12, 0x05, 0x61], /runs past the end/],
      [[0x0d, 0x00, 0x00], /truncated fixed32/],
      [[0x09, 0, 0, 0, 0], /truncated fixed64/],
      [[0x0b], /invalid wire type 3/],
      [[0x00], /field number 0/],
    ];
    for (const [bytes, re] of cases) {
      assert.throws(() => readFields(Uint8Array.from(bytes)), (e: unknown) => e instanceof ProtoError && re.test((e as Error).message), `bytes ${bytes}`);
    }
    const f = readFields(new ProtoWriter().bytes(1, Uint8Array.from([1, 2, 3])).finish())[0];
    assert.throws(() => pushFloats(new ProtoWriter().bytes(1, Uint8Array.from([1, 2, 3])).finish(), f, []), /not a multiple of 4/);
  });
});
