// Redaction profiles: the built-ins cover the record spec's personal data; custom JSON profiles
// are validated (every problem named with its path) and resolved on top of the built-in they extend.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PROFILE_NAMES,
  builtinProfile,
  DETECTORS,
  PERSONAL_DATA_FIELDS,
  RedactionProfileFile,
  resolveProfile,
} from '../../../src/shared/redaction-profile';
import { loadProfile, ProfileError } from '../../../src/main/services/redaction/profiles';

describe('built-in profiles', () => {
  it('external-auditor removes or pseudonymizes every personal-data field and runs every detector', () => {
    const p = builtinProfile('external-auditor');
    for (const f of PERSONAL_DATA_FIELDS) {
      const rule = p.fields.find((r) => r.path === f);
      expect(rule, f).toBeDefined();
      expect(['remove', 'pseudonymize', 'mask']).toContain(rule!.action);
    }
    for (const d of DETECTORS) expect(p.text.detectors[d].action, d).not.toBe('off');
    expect(p.text.scan).toBe('all');
  });

  it('internal keeps staff identities and masks payment data', () => {
    const p = builtinProfile('internal');
    expect(p.fields.find((r) => r.path === 'content_input.author.name')).toBeUndefined();
    expect(p.text.detectors.card_number.action).toBe('mask');
    expect(p.text.detectors.iban.action).toBe('mask');
    expect(p.text.detectors.person_name.action).toBe('off');
  });

  it('spelled out (as a manifest records them) are valid profile files that resolve to themselves', () => {
    for (const name of BUILTIN_PROFILE_NAMES) {
      const resolved = builtinProfile(name);
      const asFile = RedactionProfileFile.parse(JSON.parse(JSON.stringify(resolved)));
      expect(resolveProfile(asFile)).toEqual(resolved);
    }
  });
});

describe('custom profiles', () => {
  it('extend a built-in: same-path rules replace, detectors override, lists add up', () => {
    const p = resolveProfile({
      name: 'regulator',
      extends: 'external-auditor',
      fields: [{ path: 'processing_metadata.session_id', action: 'remove' }, { path: 'content_input.body', action: 'remove' }],
      text: { detectors: { phone: 'mask', ipv4: { action: 'pseudonymize', label: 'ADDR' } } },
      known_values: [{ path: 'processing_metadata.host', label: 'HOST' }],
    });
    expect(p.extends).toBe('external-auditor');
    expect(p.fields.find((f) => f.path === 'processing_metadata.session_id')!.action).toBe('remove');
    expect(p.fields.find((f) => f.path === 'content_input.body')!.action).toBe('remove');
    expect(p.fields.find((f) => f.path === 'content_input.author.name')!.action).toBe('pseudonymize');
    expect(p.text.detectors.phone).toEqual({ action: 'mask', label: 'PHONE' });
    expect(p.text.detectors.ipv4).toEqual({ action: 'pseudonymize', label: 'ADDR' });
    expect(p.text.detectors.email.action).toBe('pseudonymize');
    expect(p.known_values.map((k) => k.path)).toContain('processing_metadata.host');
    expect(p.known_values.map((k) => k.path)).toContain('content_input.author.name');
  });

  it('without extends, every detector is off unless named', () => {
    const p = resolveProfile({ name: 'minimal', text: { detectors: { email: 'mask' } } });
    expect(DETECTORS.filter((d) => p.text.detectors[d].action !== 'off')).toEqual(['email']);
  });

  it('reject what they cannot mean, naming the place', () => {
    const bad = RedactionProfileFile.safeParse({
      name: 'x y',
      fields: [{ path: 'a..b', action: 'mask' }, { path: 'c', action: 'pseudonymize' }, { path: 'd', action: 'shred' }],
      text: { detectors: { telepathy: 'mask' } },
      patterns: [{ id: 'p', pattern: '(', action: 'mask', label: 'P' }],
      surprise: true,
    });
    expect(bad.success).toBe(false);
    const where = bad.error!.issues.map((i) => i.path.join('.'));
    expect(where).toEqual(expect.arrayContaining(['name', 'fields.0.path', 'fields.1.label', 'fields.2.action', 'patterns.0.pattern']));
    expect(bad.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });

  it('load from a file or by built-in name, with readable errors', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'alog-profile-'));
    try {
      const good = path.join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ name: 'good', extends: 'internal', text: { detectors: { email: 'mask' } } }));
      expect((await loadProfile(good)).text.detectors.email.action).toBe('mask');
      expect((await loadProfile('external-auditor')).name).toBe('external-auditor');
      const badJson = path.join(dir, 'bad.json');
      await writeFile(badJson, '{ nope');
      await expect(loadProfile(badJson)).rejects.toThrow(/is not JSON/);
      const invalid = path.join(dir, 'invalid.json');
      await writeFile(invalid, JSON.stringify({ name: 'i', fields: [{ path: 'a', action: 'mask' }] }));
      await expect(loadProfile(invalid)).rejects.toThrow(/fields\.0\.label: mask and pseudonymize need a label/);
      await expect(loadProfile(path.join(dir, 'missing.json'))).rejects.toThrow(ProfileError);
      await expect(loadProfile('no-such-profile')).rejects.toThrow(/built-in profiles are external-auditor, internal/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
