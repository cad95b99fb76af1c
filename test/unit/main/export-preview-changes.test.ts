import { describe, expect, it } from 'vitest';
import { excerptPair, inColumns, MAX_CHANGES, recordChanges } from '../../../src/main/services/export/preview-changes';

describe('recordChanges', () => {
  const before = {
    activation_id: 'act_1',
    content_input: { author: { name: 'Anna Müller', email: 'anna@example.com' }, body: 'Hi, Anna here.' },
    processing_metadata: { session_id: 'sess_1', user_id: 'usr_1' },
    errors: [{ message: 'call +1 415 555 0101' }, { message: 'fine' }],
    integrity: { seq: 3, record_hash: 'ab' },
  };
  const after = {
    activation_id: 'act_1',
    content_input: { author: { name: 'PERSON_1', email: 'EMAIL_1' }, body: 'Hi, PERSON_1 here.' },
    processing_metadata: { user_id: 'USER_1' },
    errors: [{ message: 'call PHONE_1' }, { message: 'fine' }],
    integrity: { seq: 3, record_hash: 'ab' },
  };

  it('lists every changed and removed value with its place', () => {
    expect(recordChanges(before, after)).toEqual({
      changes: [
        { path: 'content_input.author.name', before: 'Anna Müller', after: 'PERSON_1' },
        { path: 'content_input.author.email', before: 'anna@example.com', after: 'EMAIL_1' },
        { path: 'content_input.body', before: 'Hi, Anna here.', after: 'Hi, PERSON_1 here.' },
        { path: 'processing_metadata.session_id', before: 'sess_1', after: null },
        { path: 'processing_metadata.user_id', before: 'usr_1', after: 'USER_1' },
        { path: 'errors[0].message', before: 'call +1 415 555 0101', after: 'call PHONE_1' },
      ],
      hidden: 0,
    });
  });

  it('counts the changes the chosen columns leave out', () => {
    const { changes, hidden } = recordChanges(before, after, ['activation_id', 'errors', 'processing_metadata.user_id']);
    expect(changes.map((c) => c.path)).toEqual(['processing_metadata.user_id', 'errors[0].message']);
    expect(hidden).toBe(4);
    expect(inColumns('errors[3].message', ['errors[].message'])).toBe(true);
    expect(inColumns('errors[3].message', ['errors[].error_class'])).toBe(false);
    expect(inColumns('content_input.author', ['content_input.author.name'])).toBe(true);
    expect(inColumns('content_input.authorship', ['content_input.author'])).toBe(false);
  });

  it('caps the list of one record', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_CHANGES + 5 }, (_, i) => [`f${i}`, `v${i}`]));
    const masked = Object.fromEntries(Object.keys(many).map((k) => [k, '[X]']));
    const { changes, hidden } = recordChanges(many, masked);
    expect(changes).toHaveLength(MAX_CHANGES);
    expect(hidden).toBe(5);
  });
});

describe('excerptPair', () => {
  it('shows short values whole', () => {
    expect(excerptPair('a@b.example', 'EMAIL_1')).toEqual({ before: 'a@b.example', after: 'EMAIL_1' });
  });

  it('cuts long texts to the same stretch around the first change', () => {
    const head = 'x'.repeat(500);
    const tail = ' and then the text goes on for a long while after the name, much longer than the window. '.repeat(5);
    const { before, after } = excerptPair(`${head} Anna Müller${tail}`, `${head} PERSON_1${tail}`);
    expect(before.startsWith('…')).toBe(true);
    expect(before).toContain('Anna Müller');
    expect(after).toContain('PERSON_1');
    // Both end at the same words.
    expect(before.slice(-30)).toBe(after.slice(-30));
    expect(before.length).toBeLessThan(300);
  });
});
