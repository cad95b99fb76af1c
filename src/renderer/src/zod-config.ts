import { z } from 'zod';

// The page's CSP forbids eval. Zod decides whether to compile object schemas when each schema is
// built, probing `new Function` (a CSP violation report even though it is caught), so this module
// is imported before any module that builds a schema.
z.config({ jitless: true });
