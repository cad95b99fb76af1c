import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActivationIdSet, PackedIdList, packActivationId, unpackActivationId } from '../../../src/main/services/verify/activation-id-set';

const canonicalId = fc.stringMatching(/^act_[0-9a-f]{32}$/);
const anyId = fc.oneof(canonicalId, fc.string({ maxLength: 40 }), fc.constantFrom('__proto__', 'ACT_' + 'A'.repeat(32), 'act_' + 'g'.repeat(32)));

describe('ActivationIdSet', () => {
  it('behaves like a Map of first sightings, across growth, for any ids', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyId, fc.nat({ max: 1000 })), { maxLength: 3000 }), (entries) => {
        const set = new ActivationIdSet(4);
        const model = new Map<string, number>();
        for (const [id, v] of entries) {
          expect(set.addIfAbsent(id, v)).toBe(model.get(id));
          if (!model.has(id)) model.set(id, v);
        }
        expect(set.size).toBe(model.size);
      }),
      { numRuns: 40 },
    );
  });

  it('packs only the spec form of an id, and unpacks it unchanged', () => {
    const id = 'act_0123456789abcdef0123456789abcdef';
    expect(unpackActivationId(packActivationId(id)!)).toBe(id);
    expect(packActivationId('act_0123456789ABCDEF0123456789abcdef')).toBeUndefined();
    expect(packActivationId(id + '0')).toBeUndefined();
  });

  it('keeps a packed list of a file in order, with the odd ids apart', () => {
    const list = new PackedIdList();
    const ids = Array.from({ length: 2500 }, (_, i) => `act_${i.toString(16).padStart(32, '0')}`);
    ids.forEach((id, i) => list.push(id, i + 1));
    list.push('not-an-id', 9999);
    const packed = list.toJSON();
    expect(packed.lines.length).toBe(2500);
    expect(unpackActivationId(packed.bytes, 2499 * 16)).toBe(ids[2499]);
    expect(packed.otherIds).toEqual(['not-an-id']);
    expect(packed.otherLines).toEqual([9999]);
  });
});
