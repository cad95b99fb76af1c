import { describe, expect, it } from 'vitest';
import { buildDiffTree, isVolatileKey, recordDelta, splitChange, type DiffNode } from '../../../src/renderer/src/features/diff/diff-model';

const earlier = {
  activation_id: 'act_1',
  timestamp: '2026-11-18T19:12:22.453326Z',
  trace_id: 'aaa',
  content_input: { content_id: 'c-1', title: 'Same title', tags: ['promo', 'sale'] },
  platform_publishing: {
    status: 'blocked',
    attempts: [{ attempt: 1, at: '2026-11-18T19:12:23Z', status: 'failed' }],
  },
  errors: [{ error_class: 'BrandVoiceGateBlocked', occurred_at: '2026-11-18T19:12:23Z' }],
  integrity: { seq: 1, record_hash: 'h1', chain_hash: 'c1', v: 1 },
};

const later = {
  activation_id: 'act_2',
  timestamp: '2026-11-18T19:51:02.044747Z',
  trace_id: 'bbb',
  content_input: { content_id: 'c-1', title: 'Same title', tags: ['promo', 'autumn', 'sale'] },
  platform_publishing: {
    status: 'published',
    attempts: [
      { attempt: 1, at: '2026-11-18T19:51:03Z', status: 'failed' },
      { attempt: 2, at: '2026-11-18T19:51:05Z', status: 'succeeded' },
    ],
    campaign_id: '777',
  },
  errors: [],
  integrity: { seq: 9, record_hash: 'h9', chain_hash: 'c9', v: 1 },
};

function find(node: DiffNode, path: string): DiffNode | undefined {
  if (node.path === path) return node;
  for (const c of node.children ?? []) {
    const hit = find(c, path);
    if (hit) return hit;
  }
  return undefined;
}

describe('record diff tree', () => {
  const delta = recordDelta(earlier, later);

  it('shows every field, marking what changed, was added or removed', () => {
    const tree = buildDiffTree(earlier, later, delta, { hideVolatile: false });
    expect(find(tree, 'platform_publishing.status')).toMatchObject({ status: 'changed', left: 'blocked', right: 'published', changes: 1 });
    expect(find(tree, 'platform_publishing.campaign_id')).toMatchObject({ status: 'added', hasLeft: false, right: '777' });
    expect(find(tree, 'content_input.title')).toMatchObject({ status: 'same', left: 'Same title', right: 'Same title' });
    expect(find(tree, 'content_input')).toMatchObject({ status: 'changed', changes: 1 });
    // An unchanged subtree is still there to unfold.
    expect(find(tree, 'content_input.content_id')!.status).toBe('same');
    expect(find(tree, 'errors[0]')).toMatchObject({ status: 'removed', hasRight: false });
    expect(find(tree, 'errors[0].error_class')).toMatchObject({ status: 'removed', left: 'BrandVoiceGateBlocked' });
    expect(find(tree, 'activation_id')).toMatchObject({ status: 'changed' });
  });

  it('aligns arrays along the delta: inserted items, items changed in place', () => {
    const tree = buildDiffTree(earlier, later, delta, { hideVolatile: false });
    const tags = find(tree, 'content_input.tags')!;
    expect(tags.children!.map((c) => [c.status, c.left, c.right])).toEqual([
      ['same', 'promo', 'promo'],
      ['added', undefined, 'autumn'],
      ['same', 'sale', 'sale'],
    ]);
    const attempts = find(tree, 'platform_publishing.attempts')!;
    expect(attempts.children!.map((c) => c.status)).toEqual(['changed', 'added']);
    expect(find(tree, 'platform_publishing.attempts[0].at')!.status).toBe('changed');
    expect(find(tree, 'platform_publishing.attempts[0].status')!.status).toBe('same');
  });

  it('hides volatile fields (ids, times, trace ids, hashes, the seal) when asked, and counts only the rest', () => {
    const all = buildDiffTree(earlier, later, delta, { hideVolatile: false });
    const calm = buildDiffTree(earlier, later, delta, { hideVolatile: true });
    for (const path of ['activation_id', 'timestamp', 'trace_id', 'integrity', 'platform_publishing.attempts[0].at']) {
      expect(find(all, path), path).toBeDefined();
      expect(find(calm, path), path).toBeUndefined();
    }
    // attempts[0] differs only by its time: not a difference once times are hidden.
    expect(find(calm, 'platform_publishing.attempts[0]')!.status).toBe('same');
    expect(calm.changes).toBeLessThan(all.changes);
    expect(calm.changes).toBe(
      1 /* status */ + 1 /* campaign_id */ + 1 /* tag */ + 2 /* attempts[1] without its time */ + 1 /* errors[0].error_class */,
    );
  });

  it('says there is nothing to show for equal records', () => {
    const tree = buildDiffTree(earlier, structuredClone(earlier), recordDelta(earlier, structuredClone(earlier)), { hideVolatile: false });
    expect(tree).toMatchObject({ status: 'same', changes: 0 });
  });

  it('knows the volatile names', () => {
    for (const k of ['activation_id', 'timestamp', 'integrity', 'trace_id', 'span_id', 'session_id', 'request_id', 'occurred_at', 'at', 'record_hash', 'chain_hash', 'content_sha256']) {
      expect(isVolatileKey(k), k).toBe(true);
    }
    for (const k of ['status', 'attempt', 'hashtag', 'format', 'content_id', 'category']) expect(isVolatileKey(k), k).toBe(false);
  });

  it('finds the differing middle of two strings', () => {
    expect(splitChange('The Studio Headphones you want', 'The Desk Lamp you want')).toEqual({
      prefix: 'The ',
      left: 'Studio Headphones',
      right: 'Desk Lamp',
      suffix: ' you want',
    });
    expect(splitChange('abc', 'abc')).toEqual({ prefix: 'abc', left: '', right: '', suffix: '' });
  });
});
