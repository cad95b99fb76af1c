import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveFixture } from './archive-fixture';

// A producer that logged nothing on a day still signs a digest for it, with the chain head
// carried over from the day before.
describe('an archive with empty days', () => {
  const fx = new ArchiveFixture();
  beforeAll(() => fx.setup({ days: 3, perDay: 0 }));
  afterAll(() => fx.teardown());

  it('verifies: each empty day carries the previous chain head', async () => {
    const r = await fx.verify(fx.base);
    expect(r.summary.findings).toBe(0);
    expect(r.summary.ok).toBe(true);
    expect(r.files.map((f) => f.status)).toEqual(['valid', 'valid', 'valid']);
  });
});
