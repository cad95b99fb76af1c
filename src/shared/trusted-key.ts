import { z } from 'zod';

/** key_id of the sealed-archive spec: 16 lowercase hex characters. */
export const KeyId = z.string().regex(/^[0-9a-f]{16}$/, 'expected a key id of 16 lowercase hex characters');

export const TrustedKey = z.object({
  keyId: KeyId,
  /** Where the user got it: a file name, "pasted", or the --trust-key path. */
  source: z.string(),
  /** `imported` keys persist in the user's settings; `command_line` ones last for this run only. */
  origin: z.enum(['imported', 'command_line']),
  addedAt: z.string().nullable(),
});
export type TrustedKey = z.infer<typeof TrustedKey>;

/** Largest PEM text accepted; an Ed25519 public key is about 113 bytes. */
export const MAX_PEM_LENGTH = 16 * 1024;
