// How the UI words and colours integrity, in one place, so that every view says the same thing (the
// words themselves are the ones the CLI and the reports use, from integrity-class.ts):
// green only for what was verified under a trusted key, amber for "intact, but the key is not
// trusted" (never the colour or the word of tampering), red for findings, grey for not known.
import { CLASS_WORDS, FILE_VERDICT_WORDS, type IntegrityClass } from '../../../shared/integrity-class';
import type { FileVerdict } from '../../../shared/verification-report';
import type { StateVerdict } from '../../../shared/verification-run';
import type { BadgeTone } from './StatusBadge';

export interface Look {
  tone: BadgeTone;
  word: string;
  title: string;
}

export const RECORD_LOOK: Record<IntegrityClass, Look> = {
  verified: {
    tone: 'good',
    word: CLASS_WORDS.verified,
    title: 'Verified: the record hashes to its seal, links into the chain, and its day is signed by a key you trust.',
  },
  untrusted_key: {
    tone: 'warn',
    word: CLASS_WORDS.untrusted_key,
    title: "Intact, but its day is signed by a key you have not trusted: authentic only if that key is the publisher's.",
  },
  invalid: {
    tone: 'bad',
    word: CLASS_WORDS.invalid,
    title: 'Not valid: a finding concerns this record or its day file (altered, inserted, missing, malformed, count or root mismatch).',
  },
  unsealed: { tone: 'neutral', word: CLASS_WORDS.unsealed, title: 'Unsealed: the archive carries no seal, so nothing about this record can be verified.' },
  unknown: { tone: 'neutral', word: CLASS_WORDS.unknown, title: 'Not verified yet: no verification result exists for this record.' },
};

export const FILE_LOOK: Record<FileVerdict | 'not_verified', Look> = {
  verified: { tone: 'good', word: FILE_VERDICT_WORDS.verified, title: 'Every record, chain link and the digest check out, and a key you trust signed it.' },
  untrusted_key: {
    tone: 'warn',
    word: FILE_VERDICT_WORDS.untrusted_key,
    title: "Every record, chain link and digest value checks out, but the digest is signed by a key you have not trusted: authentic only if it is the publisher's.",
  },
  invalid: { tone: 'bad', word: FILE_VERDICT_WORDS.invalid, title: 'Verification found problems in this file or its digest; see Integrity.' },
  unsealed: { tone: 'neutral', word: FILE_VERDICT_WORDS.unsealed, title: 'The file carries no integrity seal, so it cannot be verified.' },
  unreadable: { tone: 'bad', word: FILE_VERDICT_WORDS.unreadable, title: 'The file could not be read.' },
  not_verified: { tone: 'neutral', word: CLASS_WORDS.unknown, title: 'No verification result yet.' },
};

/** The archive's state in the header and the summaries. */
export const STATE_LOOK: Record<StateVerdict, Look> = {
  not_verified: { tone: 'neutral', word: 'Not verified yet', title: 'No verification result yet: start one on the Integrity tab.' },
  verifying: { tone: 'info', word: 'Verifying…', title: 'Verification is running.' },
  verified: { tone: 'good', word: 'Verified', title: 'Every record, chain link and signed digest checks out under the keys you trust.' },
  untrusted_key: {
    tone: 'warn',
    word: 'Key not trusted',
    title: "Everything checks out, but the digests are signed by a key you have not trusted: authentic only if it is the publisher's.",
  },
  invalid: { tone: 'bad', word: 'Invalid', title: 'Verification found problems; see Integrity.' },
  unsealed: { tone: 'neutral', word: 'Unsealed', title: 'The archive carries no seal: nothing in it can be verified.' },
};
