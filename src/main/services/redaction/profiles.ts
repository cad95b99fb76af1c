// Finds the profile an export names: a built-in one by name, or a custom JSON file checked against
// the shared schema (every problem reported with its JSON path).
import { readFile, stat } from 'node:fs/promises';
import {
  BUILTIN_PROFILE_NAMES,
  BuiltinProfileName,
  builtinProfile,
  describeProfileIssues,
  RedactionProfileFile,
  resolveProfile,
  type RedactionProfile,
} from '../../../shared/redaction-profile';

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

const MAX_PROFILE_BYTES = 1024 * 1024;

/** A profile from its parsed JSON (the wizard passes objects), validated and resolved. */
export function profileFromJson(json: unknown, source: string): RedactionProfile {
  const parsed = RedactionProfileFile.safeParse(json);
  if (!parsed.success) throw new ProfileError(`${source} is not a valid redaction profile:\n${describeProfileIssues(parsed.error)}`);
  return resolveProfile(parsed.data);
}

/** `external-auditor`, `internal`, or the path of a profile JSON file. */
export async function loadProfile(nameOrFile: string): Promise<RedactionProfile> {
  const builtin = BuiltinProfileName.safeParse(nameOrFile);
  if (builtin.success) return builtinProfile(builtin.data);
  let text: string;
  try {
    const st = await stat(nameOrFile);
    if (!st.isFile()) throw new ProfileError(`${nameOrFile} is not a file`);
    if (st.size > MAX_PROFILE_BYTES) throw new ProfileError(`${nameOrFile} is ${st.size} bytes, too large for a profile`);
    text = await readFile(nameOrFile, 'utf8');
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ProfileError(`no profile "${nameOrFile}": built-in profiles are ${BUILTIN_PROFILE_NAMES.join(', ')}; anything else must be a JSON file`);
    }
    throw new ProfileError(`cannot read profile ${nameOrFile}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${nameOrFile} is not JSON: ${(e as Error).message}`);
  }
  return profileFromJson(json, nameOrFile);
}
