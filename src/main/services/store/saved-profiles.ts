// Custom redaction profiles the user saved from the export wizard: one JSON file per profile in the
// user-data folder (`redaction-profiles/NAME.json`), in the very form `alog export --profile FILE`
// reads, each checked against the shared schema whenever it is read.
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BUILTIN_PROFILE_NAMES,
  BuiltinProfileName,
  builtinProfile,
  RedactionProfileFile,
  resolveProfile,
  type RedactionProfile,
} from '../../../shared/redaction-profile';
import type { ProfileEntry, ProfileIssue } from '../../../shared/export-wizard';
import { ProfileError } from '../redaction/profiles';

const MAX_PROFILE_BYTES = 1024 * 1024;

/** Checks a profile's JSON text; every problem with its JSON path. */
export function validateProfileText(
  text: string,
): { valid: true; profile: RedactionProfile; file: RedactionProfileFile } | { valid: false; issues: ProfileIssue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { valid: false, issues: [{ path: '', message: `not JSON: ${(e as Error).message}` }] };
  }
  const parsed = RedactionProfileFile.safeParse(json);
  if (!parsed.success) {
    const issues: ProfileIssue[] = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return { valid: false, issues };
  }
  return { valid: true, profile: resolveProfile(parsed.data), file: parsed.data };
}

export class SavedProfiles {
  readonly folder: string;

  constructor(userDataDir: string) {
    this.folder = path.join(userDataDir, 'redaction-profiles');
  }

  /** The built-in profiles, then the saved ones by name; saved files that do not validate are listed as problems. */
  async list(): Promise<{ profiles: ProfileEntry[]; problems: { file: string; message: string }[] }> {
    const profiles: ProfileEntry[] = BUILTIN_PROFILE_NAMES.map((name) => ({ name, source: 'built-in', profile: builtinProfile(name) }));
    const problems: { file: string; message: string }[] = [];
    let names: string[];
    try {
      names = (await readdir(this.folder)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return { profiles, problems };
    }
    for (const name of names) {
      const file = path.join(this.folder, name);
      try {
        const profile = await this.#read(file);
        profiles.push({ name: profile.name, source: 'saved', profile });
      } catch (e) {
        problems.push({ file, message: (e as Error).message });
      }
    }
    return { profiles, problems };
  }

  /** A built-in or saved profile by name. */
  async byName(name: string): Promise<RedactionProfile> {
    const builtin = BuiltinProfileName.safeParse(name);
    if (builtin.success) return builtinProfile(builtin.data);
    try {
      return await this.#read(this.#fileOf(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ProfileError(`no profile named "${name}": the built-in ones are ${BUILTIN_PROFILE_NAMES.join(', ')}, and none is saved under that name`);
      }
      throw e;
    }
  }

  /** Validates and saves a profile under its name (replacing a saved one of that name). */
  async save(text: string): Promise<ProfileEntry> {
    const checked = validateProfileText(text);
    if (!checked.valid) {
      throw new ProfileError(`the profile is not valid: ${checked.issues.map((i) => `${i.path || '(profile)'}: ${i.message}`).join('; ')}`);
    }
    const name = checked.file.name;
    if (BuiltinProfileName.safeParse(name).success) throw new ProfileError(`"${name}" is a built-in profile; give yours another name`);
    await mkdir(this.folder, { recursive: true });
    const file = this.#fileOf(name);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(checked.file, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
    return { name, source: 'saved', profile: checked.profile };
  }

  #fileOf(name: string): string {
    // ProfileName allows letters, digits, . _ - only (no separators), and never a leading dot.
    return path.join(this.folder, `${name}.json`);
  }

  async #read(file: string): Promise<RedactionProfile> {
    const st = await stat(file);
    if (st.size > MAX_PROFILE_BYTES) throw new ProfileError(`${file} is ${st.size} bytes, too large for a profile`);
    const checked = validateProfileText(await readFile(file, 'utf8'));
    if (!checked.valid) throw new ProfileError(`not a valid profile: ${checked.issues.map((i) => `${i.path || '(profile)'}: ${i.message}`).join('; ')}`);
    const expected = path.basename(file, '.json');
    if (checked.profile.name !== expected) throw new ProfileError(`its name is "${checked.profile.name}" but the file is ${expected}.json: rename one of them`);
    return checked.profile;
  }
}
