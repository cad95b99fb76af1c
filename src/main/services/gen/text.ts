// Marketing copy for generated records: titles, bodies with personal data woven into the text,
// headlines, summaries, alt texts and Python-style stack traces.
import {
  AUTHORS,
  cardNumber,
  iban,
  ipv4,
  ipv6,
  person,
  phoneNumber,
  type Author,
  type PlantedValue,
} from './personal-data';
import { chance, digits, int, pick, weighted, type Rng } from './rng';

const PRODUCTS = [
  'Trail Runner X2', 'Everyday Linen Shirt', 'Aero Mesh Backpack', 'Nordic Wool Throw', 'Smart Kettle Pro',
  'Cold Brew Kit', 'Organic Cotton Hoodie', 'Studio Headphones', 'Bamboo Cutting Board', 'City Commuter Bike',
  'Ceramic Pour-Over Set', 'Merino Base Layer', 'Recycled Denim Jacket', 'Desk Lamp Halo', 'Weekend Duffel',
] as const;
const SEASONS = ['spring', 'summer', 'autumn', 'winter', 'holiday', 'back-to-school', 'Black Friday'] as const;
const BENEFITS = [
  'free shipping on every order', 'members-only early access', 'a 30-day fit guarantee', 'double loyalty points',
  'carbon-neutral delivery', 'free returns in store', 'a gift with every purchase over €75', 'next-day delivery',
] as const;
const CITIES = ['Berlin', 'Amsterdam', 'Lyon', 'Manchester', 'Austin', 'Milan', 'Copenhagen', 'Lisbon', 'Osaka', 'Toronto'] as const;
const TEAMS = ['customer care', 'loyalty', 'store operations', 'partnerships', 'events', 'concierge'] as const;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;

export const TAGS = [
  'newsletter', 'promo', 'seasonal', 'loyalty', 'product-launch', 'retention', 'win-back', 'onboarding',
  'b2c', 'b2b', 'flash-sale', 'sustainability', 'events', 'vip', 'cart-abandonment', 'app-users',
] as const;

function pickTwo<T>(rng: Rng, items: readonly T[]): [T, T] {
  const i = int(rng, 0, items.length - 1);
  const j = (i + int(rng, 1, items.length - 1)) % items.length;
  return [items[i]!, items[j]!];
}

const SENTENCES: readonly ((rng: Rng) => string)[] = [
  (r) => `Meet the new ${pick(r, PRODUCTS)}, designed for the way you actually move through the ${pick(r, SEASONS)} season.`,
  (r) => `This ${pick(r, SEASONS)}, we are bringing you ${pick(r, BENEFITS)} — no code needed.`,
  (r) => `Save ${int(r, 10, 45)}% on the ${pick(r, PRODUCTS)} until ${pick(r, WEEKDAYS)} at midnight.`,
  (r) => `Our ${pick(r, CITIES)} flagship store hosts a hands-on session with the ${pick(r, PRODUCTS)} next ${pick(r, WEEKDAYS)}.`,
  (r) => `Thousands of customers rated the ${pick(r, PRODUCTS)} ${(4 + r.next()).toFixed(1)} out of 5 for comfort and durability.`,
  (r) => `Every order ships in recyclable packaging, and ${int(r, 60, 98)}% of our range is now made from certified materials.`,
  (r) => `Members get ${pick(r, BENEFITS)} plus personal styling advice from our team.`,
  (r) => `Not sure which size fits? Our guide compares ${int(r, 3, 9)} fits side by side, so you can choose with confidence.`,
  (r) => `Limited stock: only ${int(r, 50, 900)} pieces of the ${pick(r, PRODUCTS)} are available in this colourway.`,
  (r) => `Pair it with the ${pick(r, PRODUCTS)} for a look that works from the office to the weekend.`,
  (r) => `We listened to your feedback: the updated ${pick(r, PRODUCTS)} is ${int(r, 10, 30)}% lighter and easier to care for.`,
  (r) => `Shop the collection online or visit one of our ${int(r, 12, 140)} stores across Europe and North America.`,
  () => `Questions about delivery? Track your parcel in the app and get updates every step of the way.`,
  (r) => `Because great design should last, the ${pick(r, PRODUCTS)} comes with a ${int(r, 2, 5)}-year warranty.`,
  (r) => `Join ${int(r, 2, 90)},${digits(r, 3)} subscribers who get our ${pick(r, SEASONS)} edit first.`,
  (r) => `From ${pickTwo(r, CITIES).join(' to ')}, our community has logged ${int(r, 1, 9)}.${int(r, 1, 9)} million kilometres in the ${pick(r, PRODUCTS)}.`,
  () => `Click below to discover what is new this week, curated by people who use it every day.`,
  () => `Unsubscribe at any time from your account settings; we will always respect your inbox.`,
];

type Sink = (p: PlantedValue) => void;

/** Sentences carrying personal data; each reports what it planted. */
function personalSentence(rng: Rng, plant: Sink): string {
  const other = person(rng);
  switch (weighted(rng, [[0, 4], [1, 3], [2, 3], [3, 2], [4, 2]] as const)) {
    case 0: {
      const phone = phoneNumber(rng);
      plant({ kind: 'name', value: other.name });
      plant({ kind: 'email', value: other.email });
      plant({ kind: 'phone', value: phone });
      return `For questions about your order, contact ${other.name} at ${other.email} or call ${phone}.`;
    }
    case 1:
      plant({ kind: 'name', value: other.name });
      return `${other.name} from our ${pick(rng, TEAMS)} team will follow up with you by ${pick(rng, WEEKDAYS)}.`;
    case 2:
      plant({ kind: 'email', value: other.email });
      return `Reply to ${other.email} if you would like ${other.first} to reserve a fitting slot in ${pick(rng, CITIES)}.`;
    case 3: {
      const phone = phoneNumber(rng);
      plant({ kind: 'phone', value: phone });
      return `Prefer to talk? ${other.first} is on ${phone}, weekdays from 9:00 to 17:00.`;
    }
    default:
      plant({ kind: 'name', value: other.name });
      return `“I wore it every day for a month,” says ${other.name} from ${pick(rng, CITIES)}.`;
  }
}

/** Rarer, more sensitive leaks: the kind of thing redaction must catch in free text. */
function sensitiveSentence(rng: Rng, plant: Sink): string {
  switch (int(rng, 0, 3)) {
    case 0: {
      const ip = ipv4(rng);
      plant({ kind: 'ipv4', value: ip });
      return `Internal note: preview opened from ${ip} before approval.`;
    }
    case 1: {
      const ip = ipv6(rng);
      plant({ kind: 'ipv6', value: ip });
      return `Internal note: last edit came from ${ip}.`;
    }
    case 2: {
      const value = iban(rng);
      plant({ kind: 'iban', value });
      return `Refunds for the pilot group go to IBAN ${value} (reference ACT-${digits(rng, 6)}).`;
    }
    default: {
      const value = cardNumber(rng);
      plant({ kind: 'card_number', value });
      return `QA: test purchase was made with card ${value}, exp ${String(int(rng, 1, 12)).padStart(2, '0')}/${int(rng, 27, 31)}.`;
    }
  }
}

export function title(rng: Rng, contentType: string, recipientFirst: string | null): string {
  const product = pick(rng, PRODUCTS);
  const season = pick(rng, SEASONS);
  const options = [
    `${season[0]!.toUpperCase()}${season.slice(1)} edit: the ${product} is here`,
    `${int(rng, 10, 45)}% off the ${product} — this week only`,
    `New in: ${product} and ${pick(rng, BENEFITS)}`,
    `Why our customers love the ${product}`,
    `Your ${season} checklist, sorted`,
  ];
  if (recipientFirst && contentType === 'email_campaign' && chance(rng, 0.25)) {
    return `${recipientFirst}, your ${season} picks are ready`;
  }
  return pick(rng, options);
}

export interface BodyOptions {
  targetChars: number;
  contentType: string;
  author: Author;
  recipientFirst: string | null;
  plant: Sink;
}

/**
 * Body text of roughly `targetChars` characters. Always names the author; personal data of other
 * people appears in some paragraphs; HTML markup for landing pages, as a CMS delivers it.
 */
export function body(rng: Rng, o: BodyOptions): string {
  const html = o.contentType === 'landing_page';
  const parts: string[] = [];
  let size = 0;
  const add = (s: string): void => {
    parts.push(s);
    size += s.length + 2;
  };
  if (o.recipientFirst) add(html ? `<p>Hi ${o.recipientFirst},</p>` : `Hi ${o.recipientFirst},`);
  else if (o.contentType === 'email_campaign') add('Dear customer,');
  // Reserve room for the sign-off so short bodies still name the author.
  const budget = Math.max(0, o.targetChars - 120);
  let sensitiveLeft = chance(rng, 0.15) ? 1 : 0;
  let headed = false;
  while (size < budget) {
    // Whole sentences only: a cut could split a planted value, which must appear verbatim.
    const sentences: string[] = [];
    let length = 0;
    const n = int(rng, 2, 6);
    for (let i = 0; i < n && size + length < budget; i++) {
      let sentence: string;
      if (chance(rng, 0.08)) sentence = personalSentence(rng, o.plant);
      else if (sensitiveLeft > 0 && chance(rng, 0.2)) {
        sentence = sensitiveSentence(rng, o.plant);
        sensitiveLeft--;
      } else sentence = pick(rng, SENTENCES)(rng);
      sentences.push(sentence);
      length += sentence.length + 1;
    }
    const paragraph = sentences.join(' ');
    if (html) {
      if (!headed || chance(rng, 0.3)) {
        add(`<h2>${headline(rng)}</h2>`);
        headed = true;
      }
      add(`<p>${paragraph}</p>`);
    } else add(paragraph);
  }
  const a = o.author;
  const signOff = html
    ? `<p class="byline">Written by ${a.name} · ${a.email}</p>`
    : o.contentType === 'email_campaign'
      ? `Best regards,\n${a.name}\n${pick(rng, TEAMS).replace(/^./, (c) => c.toUpperCase())} team · ${a.email}`
      : `— ${a.name}`;
  add(signOff);
  if (chance(rng, 0.05)) add('🎉 See you soon!');
  return parts.join(html ? '\n' : '\n\n');
}

export function headline(rng: Rng): string {
  return pick(rng, [
    `The ${pick(rng, PRODUCTS)} you have been waiting for`,
    `${pick(rng, BENEFITS).replace(/^./, (c) => c.toUpperCase())}, starting today`,
    `Made to last: meet the ${pick(rng, PRODUCTS)}`,
    `Your ${pick(rng, SEASONS)} upgrade starts here`,
  ]);
}

export function summary(rng: Rng): string {
  const n = int(rng, 2, 3);
  const s: string[] = [];
  for (let i = 0; i < n; i++) s.push(pick(rng, SENTENCES)(rng));
  return s.join(' ');
}

export function altText(rng: Rng): string {
  return pick(rng, [
    `A person wearing the ${pick(rng, PRODUCTS)} on a city street in ${pick(rng, CITIES)}`,
    `Close-up of the ${pick(rng, PRODUCTS)} on a wooden table in soft daylight`,
    `Flat lay of the ${pick(rng, SEASONS)} collection on a neutral background`,
    `Two friends laughing outdoors, one carrying the ${pick(rng, PRODUCTS)}`,
    `Product photo`,
  ]);
}

export function randomAuthor(rng: Rng): Author {
  return pick(rng, AUTHORS);
}

export function recipientFirstName(rng: Rng): string {
  return person(rng).first;
}

interface Frame {
  file: string;
  fn: string;
  code: string;
}

const FRAMES: Record<string, readonly Frame[]> = {
  common: [
    { file: '/app/activation/pipeline/runner.py', fn: 'run', code: 'result = await stage.execute(ctx)' },
    { file: '/app/activation/pipeline/runner.py', fn: '_run_stage', code: 'return await self._with_timeout(stage, ctx)' },
    { file: '/app/activation/pipeline/runner.py', fn: '_with_timeout', code: 'return await asyncio.wait_for(coro, timeout=self.timeout_s)' },
    { file: '/usr/local/lib/python3.12/asyncio/tasks.py', fn: 'wait_for', code: 'return await fut' },
    { file: '/app/activation/observability/tracing.py', fn: 'wrapper', code: 'return await fn(*args, **kwargs)' },
  ],
  enrichment: [
    { file: '/app/activation/enrichment/service.py', fn: 'enrich', code: 'completion = await self.provider.complete(prompt, model=model)' },
    { file: '/app/activation/enrichment/providers/openai_provider.py', fn: 'complete', code: 'response = await self._client.chat.completions.create(**request)' },
    { file: '/usr/local/lib/python3.12/site-packages/openai/resources/chat/completions.py', fn: 'create', code: 'return await self._post("/chat/completions", body=body, cast_to=ChatCompletion)' },
    { file: '/usr/local/lib/python3.12/site-packages/openai/_base_client.py', fn: 'request', code: 'return await self._retry_request(options, cast_to, retries_taken)' },
    { file: '/usr/local/lib/python3.12/site-packages/httpx/_client.py', fn: 'send', code: 'response = await self._send_handling_auth(request, auth=auth)' },
  ],
  vision: [
    { file: '/app/activation/enrichment/vision.py', fn: 'describe_images', code: 'alt = await self.model.describe(image.url, locale=ctx.locale)' },
    { file: '/app/activation/enrichment/vision.py', fn: '_fetch', code: 'raise VisionModelError(f"image {image.image_id} could not be fetched")' },
  ],
  brand_voice: [
    { file: '/app/activation/brand_voice/gate.py', fn: 'check', code: 'raise BrandVoiceGateBlocked(reason, scores=scores)' },
    { file: '/app/activation/brand_voice/scorer.py', fn: 'score', code: 'scores = self._aggregate(chunks)' },
  ],
  publishing: [
    { file: '/app/activation/publishing/service.py', fn: 'publish', code: 'campaign = await adapter.create_campaign(payload)' },
    { file: '/app/activation/publishing/retry.py', fn: 'with_backoff', code: 'return await operation()' },
    { file: '/app/activation/publishing/adapters/base.py', fn: '_request', code: 'response.raise_for_status()' },
    { file: '/usr/local/lib/python3.12/site-packages/httpx/_models.py', fn: 'raise_for_status', code: 'raise HTTPStatusError(message, request=request, response=self)' },
  ],
  validation: [
    { file: '/app/activation/validation/validator.py', fn: 'validate', code: 'self._check_fields(content, schema)' },
    { file: '/app/activation/validation/validator.py', fn: '_check_fields', code: 'raise ContentValidationError(errors)' },
  ],
};

/** A multi-line Python traceback ending in `errorClass: message`, sometimes chained. */
export function stackTrace(rng: Rng, stage: string, errorClass: string, message: string): string {
  const lines: string[] = [];
  const emit = (frames: readonly Frame[], cls: string, msg: string): void => {
    lines.push('Traceback (most recent call last):');
    for (const f of frames) {
      lines.push(`  File "${f.file}", line ${int(rng, 12, 880)}, in ${f.fn}`);
      lines.push(`    ${f.code}`);
    }
    lines.push(`${cls}: ${msg}`);
  };
  const common = FRAMES['common']!;
  const own = FRAMES[stage] ?? FRAMES['publishing']!;
  const frames = [...common.slice(0, int(rng, 2, common.length)), ...own];
  if (chance(rng, 0.4)) {
    emit(own.slice(-2), pick(rng, ['httpx.ReadTimeout', 'httpx.HTTPStatusError', 'ssl.SSLError', 'ConnectionResetError']), 'upstream call failed');
    lines.push('');
    lines.push('During handling of the above exception, another exception occurred:');
    lines.push('');
  }
  emit(frames, `activation.errors.${errorClass}`, message);
  return lines.join('\n');
}
