// One realistic ActivationLog record from a seeded PRNG: no I/O, so tests and benchmarks can make
// records without files. The outcome mix (~80% published, ~10% failed, ~10% blocked by the brand
// voice gate), latencies (log-normal with a long tail) and costs (from tokens and list prices)
// follow what a production pipeline logs.
import type { ActivationRecord } from '../../../shared/record-schema';
import { ipv4, ipv6, type Author, type PlantedValue } from './personal-data';
import {
  base62,
  chance,
  clamp,
  hex,
  hex32,
  int,
  logNormal,
  mix32,
  pick,
  round,
  uniform,
  weighted,
  type Rng,
} from './rng';
import { TAGS, altText, body, headline, randomAuthor, recipientFirstName, stackTrace, summary, title } from './text';

type Record_ = ActivationRecord;
type PipelineErrorEntry = NonNullable<Record_['errors']>[number];
type Attempt = Record_['platform_publishing']['attempts'][number];
type Stages = NonNullable<Record_['performance_metrics']>['stages'];

export interface RecordContext {
  /** Position of the record in the archive; makes `activation_id` unique by construction. */
  index: number;
  /** Start of the activation, micro-seconds since the Unix epoch (UTC). */
  atMicros: number;
  /** Typical body size in KiB (default 8); the actual size varies with content type and chance. */
  bodyKb?: number;
}

export interface GeneratedRecord {
  record: ActivationRecord;
  /** Personal data values written into this record (fields and free text). */
  planted: PlantedValue[];
}

/** ISO-8601 UTC with micro-seconds and `Z`, the record timestamp format. */
export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const frac = us - Math.floor(us / 1_000_000) * 1_000_000;
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(frac).padStart(6, '0')}Z`;
}

interface ModelInfo {
  model: string;
  /** USD per million prompt / completion tokens. */
  inPrice: number;
  outPrice: number;
  medianMs: number;
}

const MODELS: Record<string, readonly ModelInfo[]> = {
  openai: [
    { model: 'gpt-4o', inPrice: 2.5, outPrice: 10, medianMs: 2400 },
    { model: 'gpt-4o-mini', inPrice: 0.15, outPrice: 0.6, medianMs: 1300 },
    { model: 'gpt-4.1-mini', inPrice: 0.4, outPrice: 1.6, medianMs: 1500 },
  ],
  local: [
    { model: 'llama-3.1-8b-instruct', inPrice: 0, outPrice: 0, medianMs: 4200 },
    { model: 'mistral-7b-instruct-v0.3', inPrice: 0, outPrice: 0, medianMs: 3600 },
  ],
  mock: [{ model: 'mock-llm-1', inPrice: 0, outPrice: 0, medianMs: 6 }],
};
const VISION_MODELS: Record<string, string> = { openai: 'gpt-4o', local: 'llava-1.6-mistral-7b', mock: 'mock-vision-1' };

const PIPELINE_VERSIONS: Record<string, string> = {
  production: '3.14.2',
  staging: '3.15.0-rc.2',
  development: '3.16.0-dev+g4f1c2a9',
};
const HOST_ENV: Record<string, string> = { production: 'prod', staging: 'stg', development: 'dev' };
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'nl-NL', 'it-IT', 'pt-BR', 'ja-JP', 'sv-SE'] as const;
const BRAND_VOICE_THRESHOLD = 0.7;
const BRAND_VOICE_MIN_SCORE = 0.5;

const RECOMMENDATIONS = [
  'Shorten the opening paragraph to under 40 words.',
  'Replace "click here" with descriptive link text.',
  'Add a clear call to action above the fold.',
  'Use the brand term "members" instead of "subscribers".',
  'Avoid all-caps words in headlines.',
  'Provide alt text for every image.',
  'Lower the reading level to grade 8 or below.',
  'Keep the tone warm but avoid exclamation marks in sequence.',
  'Mention the sustainability commitment consistently with the style guide.',
] as const;

const VOCABULARY = [
  { term: 'cheap', rule: 'banned_terms', suggestion: 'affordable' },
  { term: 'click here', rule: 'accessible_link_text', suggestion: 'describe the link target' },
  { term: 'guys', rule: 'inclusive_language', suggestion: 'everyone' },
  { term: 'eco-friendly', rule: 'substantiated_claims', suggestion: 'name the certification' },
  { term: 'best ever', rule: 'superlatives', suggestion: 'a verifiable claim' },
] as const;

type Outcome = 'published' | 'failed' | 'blocked';
type FailStage = 'validation' | 'enrichment' | 'publishing';

function ms(x: number): number {
  return round(x, 1);
}

function campaignId(rng: Rng, platform: string): string {
  switch (platform) {
    case 'mailchimp':
      return hex(rng, 10);
    case 'hubspot':
      return String(int(rng, 100_000_000, 999_999_999));
    case 'braze':
      return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${pick(rng, ['8', '9', 'a', 'b'])}${hex(rng, 3)}-${hex(rng, 12)}`;
    case 'klaviyo':
      return `01J${base62(rng, 23).toUpperCase()}`;
    default:
      return `mock-${hex(rng, 8)}`;
  }
}

function bodyFactor(contentType: string): number {
  switch (contentType) {
    case 'email_campaign':
      return 1.2;
    case 'landing_page':
      return 1.5;
    case 'social_post':
      return 0.4;
    case 'push_notification':
      return 0.3;
    default:
      return 0.2;
  }
}

export function generateRecord(rng: Rng, ctx: RecordContext): GeneratedRecord {
  const planted: PlantedValue[] = [];
  const plant = (p: PlantedValue): void => {
    planted.push(p);
  };
  const t0 = ctx.atMicros;
  const bodyKb = ctx.bodyKb ?? 8;

  const activationId = `act_${hex32(mix32(ctx.index))}${hex(rng, 24)}`;
  const environment = weighted(rng, [['production', 75], ['staging', 17], ['development', 8]] as const);
  const outcome: Outcome = weighted(rng, [['published', 80], ['failed', 10], ['blocked', 10]] as const);
  const failStage: FailStage | null =
    outcome === 'failed' ? weighted(rng, [['validation', 15], ['enrichment', 25], ['publishing', 60]] as const) : null;

  // --- content_input
  const contentType = weighted(rng, [
    ['email_campaign', 45],
    ['landing_page', 20],
    ['social_post', 20],
    ['push_notification', 12],
    ['sms_message', 3],
  ] as const);
  const source = chance(rng, 0.85) ? ('contentful_live' as const) : ('manual' as const);
  const author: Author = randomAuthor(rng);
  plant({ kind: 'name', value: author.name });
  plant({ kind: 'email', value: author.email });
  plant({ kind: 'user_id', value: author.userId });
  const recipient = contentType === 'email_campaign' || chance(rng, 0.2) ? recipientFirstName(rng) : null;
  const targetChars = Math.round(clamp(bodyKb * 1024 * bodyFactor(contentType) * logNormal(rng, 1, 0.5), 160, bodyKb * 1024 * 8));
  const imageCount =
    contentType === 'push_notification' || contentType === 'sms_message'
      ? int(rng, 0, 1) * int(rng, 0, 1)
      : contentType === 'social_post'
        ? int(rng, 1, 2)
        : int(rng, 1, 4);
  const spaceId = 'x7kq2m9wz4ab';
  const images = Array.from({ length: imageCount }, () => {
    const id = base62(rng, 22);
    const [width, height] = pick(rng, [
      [1200, 628],
      [1080, 1080],
      [1920, 1080],
      [600, 400],
      [2400, 1600],
    ] as const);
    return {
      image_id: id,
      url: `https://images.ctfassets.net/${spaceId}/${id}/${hex(rng, 32)}/${pick(rng, ['hero', 'product', 'lifestyle', 'banner'])}-${int(rng, 1, 99)}.jpg`,
      width,
      height,
    };
  });
  const tagCount = int(rng, 1, 5);
  const tags: string[] = [];
  while (tags.length < tagCount) {
    const t = pick(rng, TAGS);
    if (!tags.includes(t)) tags.push(t);
  }
  const contentBody = body(rng, { targetChars, contentType, author, recipientFirst: recipient, plant });
  const contentTitle = title(rng, contentType, recipient);
  const locale = pick(rng, LOCALES);
  const contentInput = {
    content_id: source === 'contentful_live' ? base62(rng, 22) : `manual-${formatMicros(t0).slice(0, 10)}-${int(rng, 1, 999)}`,
    content_type: contentType,
    title: contentTitle,
    body: contentBody,
    locale,
    author: { name: author.name, email: author.email },
    tags,
    images,
    source,
  };

  // --- stages, in pipeline order; each may end the activation.
  const stages: Stages = {};
  const errors: PipelineErrorEntry[] = [];
  let clock = 0; // ms since t0
  const at = (offsetMs: number): string => formatMicros(t0 + Math.round(offsetMs * 1000));
  const addError = (stage: string, severity: string, errorClass: string, message: string, retryable: boolean): void => {
    errors.push({
      stage,
      severity,
      error_class: errorClass,
      message,
      stack_trace: stackTrace(rng, stage, errorClass, message),
      retryable,
      occurred_at: at(clock),
    });
  };

  // validation
  stages.validation_ms = ms(logNormal(rng, 14, 0.5));
  clock += stages.validation_ms;
  const vocabulary = chance(rng, 0.25)
    ? Array.from({ length: int(rng, 1, 2) }, () => ({ ...pick(rng, VOCABULARY) }))
    : [];
  const validationErrors: { field: string; code: string; message: string }[] = [];
  if (failStage === 'validation') {
    const problem = pick(rng, [
      { field: 'content_input.title', code: 'max_length', message: `title exceeds 150 characters (${int(rng, 151, 240)})` },
      { field: 'content_input.images[0].url', code: 'unreachable', message: 'image URL returned HTTP 404' },
      { field: 'content_input.locale', code: 'unsupported_locale', message: `locale ${locale} is not enabled for this workspace` },
      { field: 'content_input.body', code: 'missing_unsubscribe_link', message: 'email body has no unsubscribe link' },
    ]);
    validationErrors.push(problem);
    addError('validation', 'error', 'ContentValidationError', `${problem.field}: ${problem.message}`, false);
  }
  const validationResults = {
    is_valid: failStage !== 'validation',
    schema_version: environment === 'development' ? '2.4.0-beta' : '2.3.1',
    errors: validationErrors,
    vocabulary_violations: vocabulary,
  };

  // enrichment
  let aiEnrichment: Record_['ai_enrichment'];
  let confidence = 0;
  if (failStage !== 'validation') {
    const provider =
      environment === 'production'
        ? weighted(rng, [['openai', 75], ['local', 25]] as const)
        : environment === 'staging'
          ? weighted(rng, [['openai', 50], ['local', 30], ['mock', 20]] as const)
          : weighted(rng, [['mock', 70], ['local', 30]] as const);
    const info = pick(rng, MODELS[provider]!);
    const selectionReason =
      provider === 'mock'
        ? `environment=${environment} routes enrichment to the mock provider`
        : provider === 'local'
          ? pick(rng, ['data residency: locale requires on-premise model', 'cost tier: bulk content uses local model', 'fallback: openai rate limited'])
          : pick(rng, [`default model for ${contentType}`, 'quality tier: flagship campaign', 'cost tier: standard']);
    const promptTokens = Math.round((contentBody.length / 4) * uniform(rng, 0.9, 1.1)) + 420 + imageCount * 85;
    const enrichFailed = failStage === 'enrichment';
    const completionTokens = enrichFailed ? 0 : int(rng, 120, 900);
    const enrichMs = enrichFailed ? uniform(rng, 29_500, 30_500) : logNormal(rng, info.medianMs, 0.55);
    stages.enrichment_ms = ms(enrichMs);
    clock += enrichMs;
    const visionModel = VISION_MODELS[provider]!;
    let generated: NonNullable<Record_['ai_enrichment']>['generated'];
    if (enrichFailed) {
      addError(
        'enrichment',
        'error',
        pick(rng, ['ProviderTimeoutError', 'ProviderRateLimitError', 'ProviderContentFilterError']),
        `${provider}/${info.model} did not answer within 30000 ms (request ${hex(rng, 16)})`,
        true,
      );
    } else {
      const visionMs = imageCount > 0 ? logNormal(rng, provider === 'mock' ? 4 : 900, 0.5) * imageCount : 0;
      if (imageCount > 0) {
        stages.vision_ms = ms(visionMs);
        clock += visionMs;
      }
      confidence = round(clamp(uniform(rng, 0.62, 0.99), 0, 1), 3);
      generated = {
        headline: headline(rng),
        summary: summary(rng),
        alt_texts: images.map((img) => ({
          image_id: img.image_id,
          alt_text: altText(rng),
          wcag_compliant: chance(rng, 0.9),
          vision_model: visionModel,
        })),
      };
    }
    aiEnrichment = {
      provider,
      model: info.model,
      selection_reason: selectionReason,
      tokens: { prompt: promptTokens, completion: completionTokens },
      cost_usd: round((promptTokens * info.inPrice + completionTokens * info.outPrice) / 1_000_000, 6),
      processing_ms: ms((stages.enrichment_ms ?? 0) + (stages.vision_ms ?? 0)),
      confidence,
      ...(generated ? { generated } : {}),
    };
  }

  // brand voice
  let brandVoice: Record_['brand_voice_analysis'];
  let brandScore = 0;
  const reachedBrandVoice = failStage !== 'validation' && failStage !== 'enrichment';
  if (reachedBrandVoice) {
    const bvMs = logNormal(rng, 260, 0.5);
    stages.brand_voice_ms = ms(bvMs);
    clock += bvMs;
    const blocked = outcome === 'blocked';
    const blockKind = blocked ? pick(rng, ['overall', 'overall', 'accessibility', 'professionalism'] as const) : null;
    const s = (lo: number, hi: number): number => round(uniform(rng, lo, hi), 3);
    const scores =
      blockKind === 'overall'
        ? { professionalism: s(0.45, 0.72), accessibility: s(0.5, 0.7), action_oriented: s(0.4, 0.75), consistency: s(0.5, 0.68) }
        : {
            professionalism: blockKind === 'professionalism' ? s(0.2, 0.49) : s(0.72, 0.99),
            accessibility: blockKind === 'accessibility' ? s(0.2, 0.49) : s(0.7, 0.99),
            action_oriented: s(0.7, 0.98),
            consistency: s(0.7, 0.99),
          };
    let overall = round(
      scores.professionalism * 0.3 + scores.accessibility * 0.25 + scores.action_oriented * 0.2 + scores.consistency * 0.25,
      4,
    );
    if (blockKind === 'overall') overall = Math.min(overall, 0.6899);
    brandScore = overall;
    let blockingReason: string | null = null;
    if (blockKind === 'overall') {
      blockingReason = `overall_score ${overall.toFixed(2)} below threshold ${BRAND_VOICE_THRESHOLD.toFixed(2)}`;
    } else if (blockKind) {
      blockingReason = `${blockKind} score ${scores[blockKind].toFixed(2)} below minimum ${BRAND_VOICE_MIN_SCORE.toFixed(2)}`;
    }
    if (blockingReason && chance(rng, 0.5)) addError('brand_voice', 'warning', 'BrandVoiceGateBlocked', blockingReason, false);
    const recCount = blocked ? int(rng, 2, 4) : int(rng, 0, 2);
    const recommendations: string[] = [];
    while (recommendations.length < recCount) {
      const r = pick(rng, RECOMMENDATIONS);
      if (!recommendations.includes(r)) recommendations.push(r);
    }
    brandVoice = { scores, overall_score: overall, gate_passed: !blocked, blocking_reason: blockingReason, recommendations };
  }

  // publishing
  const platform =
    environment === 'production'
      ? weighted(rng, [['mailchimp', 35], ['hubspot', 25], ['braze', 20], ['klaviyo', 20]] as const)
      : environment === 'staging'
        ? weighted(rng, [['mailchimp', 20], ['hubspot', 20], ['braze', 15], ['klaviyo', 15], ['mock', 30]] as const)
        : weighted(rng, [['mock', 80], ['mailchimp', 10], ['klaviyo', 10]] as const);
  const attempts: Attempt[] = [];
  let status: string = outcome;
  let campaign: string | null = null;
  let response: Record<string, unknown> | undefined;
  const assets: Record<string, unknown>[] = [];
  if (outcome === 'published' || failStage === 'publishing') {
    for (const img of images) {
      assets.push({
        asset_id: `ast_${hex(rng, 12)}`,
        type: 'image',
        source_image_id: img.image_id,
        url: `https://cdn.${platform}.example/assets/${hex(rng, 16)}.jpg`,
        size_bytes: int(rng, 40_000, 900_000),
      });
    }
    assets.push({ asset_id: `ast_${hex(rng, 12)}`, type: 'html', size_bytes: Math.round(contentBody.length * uniform(rng, 1.3, 2.2)) });
    const failures = [
      ['rate_limited', 'PlatformRateLimitError', 429, 'rate limit exceeded, retry after'],
      ['timeout', 'PlatformTimeoutError', 504, 'gateway timeout while creating campaign'],
      ['server_error', 'PlatformServerError', 503, 'service temporarily unavailable'],
    ] as const;
    const fatal = failStage === 'publishing' && chance(rng, 0.25);
    const count = outcome === 'published' ? weighted(rng, [[1, 85], [2, 10], [3, 5]] as const) : fatal ? 1 : int(rng, 3, 5);
    let publishMs = 0;
    let lastFailure: (typeof failures)[number] | null = null;
    for (let k = 1; k <= count; k++) {
      const backoff = k === 1 ? 0 : Math.round(500 * 2 ** (k - 2) + uniform(rng, 0, 250));
      clock += backoff;
      const last = k === count;
      const succeeded = outcome === 'published' && last;
      let attemptStatus: string;
      if (succeeded) attemptStatus = 'succeeded';
      else if (fatal) attemptStatus = 'auth_error';
      else {
        lastFailure = pick(rng, failures);
        attemptStatus = lastFailure[0];
      }
      attempts.push({ attempt: k, at: at(clock), status: attemptStatus, backoff_ms: backoff });
      const callMs = attemptStatus === 'timeout' ? uniform(rng, 10_000, 10_400) : logNormal(rng, 420, 0.6);
      clock += callMs;
      publishMs += callMs;
      if (!succeeded) {
        if (fatal) {
          addError('publishing', 'critical', 'PlatformAuthError', `${platform} rejected the API key (HTTP 401); rotate credentials for workspace ${hex(rng, 6)}`, false);
        } else if (lastFailure) {
          const message = `${platform}: HTTP ${lastFailure[2]} ${lastFailure[3]} (attempt ${k} of ${count})`;
          addError('publishing', last ? 'error' : 'warning', lastFailure[1], message, !last);
        }
      }
    }
    stages.publishing_ms = ms(publishMs);
    if (outcome === 'published') {
      campaign = campaignId(rng, platform);
      response = {
        http_status: pick(rng, [200, 201]),
        request_id: `req_${hex(rng, 20)}`,
        campaign_url: `https://app.${platform}.example/campaigns/${campaign}`,
        rate_limit_remaining: int(rng, 0, 500),
      };
    } else {
      status = 'failed';
      response = fatal
        ? { http_status: 401, error_code: 'invalid_api_key', detail: 'The API key provided is not valid.' }
        : { http_status: lastFailure?.[2] ?? 503, error_code: lastFailure?.[0] ?? 'server_error', detail: lastFailure?.[3] ?? '' };
    }
  }
  if (chance(rng, 0.02) && errors.length > 0) {
    // Occasionally an error message carries personal data, as real ones do.
    const first = errors[0]!;
    first.message += ` (recipient list owner: ${author.email})`;
  }

  // --- totals
  let total = clock + uniform(rng, 3, 40);
  if (chance(rng, 0.015)) total *= uniform(rng, 4, 25); // queueing / GC pauses: the long tail
  const quality =
    outcome === 'published'
      ? round(clamp(0.55 + 0.45 * brandScore * confidence + uniform(rng, -0.05, 0.12), 0, 1), 3)
      : outcome === 'blocked'
        ? round(uniform(rng, 0.3, 0.65), 3)
        : round(uniform(rng, 0.05, 0.45), 3);
  const suitable = outcome === 'published' && quality >= 0.8 && environment === 'production';
  const clientIp = chance(rng, 0.8) ? ipv4(rng) : ipv6(rng);
  plant({ kind: clientIp.includes(':') ? 'ipv6' : 'ipv4', value: clientIp });
  const sessionId = `sess_${hex(rng, 24)}`;
  plant({ kind: 'session_id', value: sessionId });

  const record: ActivationRecord = {
    activation_id: activationId,
    timestamp: formatMicros(t0),
    trace_id: hex(rng, 32),
    content_input: contentInput,
    validation_results: validationResults,
    ...(aiEnrichment ? { ai_enrichment: aiEnrichment } : {}),
    ...(brandVoice ? { brand_voice_analysis: brandVoice } : {}),
    platform_publishing: {
      platform,
      status,
      campaign_id: campaign,
      attempts,
      assets,
      ...(response ? { response } : {}),
    },
    processing_metadata: {
      pipeline_version: PIPELINE_VERSIONS[environment]!,
      environment,
      host: `act-worker-${HOST_ENV[environment]!}-${String(int(rng, 1, 12)).padStart(2, '0')}.${pick(rng, ['eu-west-1', 'eu-central-1', 'us-east-1'])}.internal`,
      user_id: author.userId,
      client_ip: clientIp,
      session_id: sessionId,
    },
    performance_metrics: {
      total_ms: ms(total),
      stages,
      memory_mb: round(logNormal(rng, 310, 0.35), 1),
      cpu_pct: round(clamp(logNormal(rng, 28, 0.6), 0.5, 390), 1),
    },
    quality_assessment: {
      overall_quality_score: quality,
      success: outcome === 'published',
      factors: {
        content_completeness: round(uniform(rng, 0.6, 1), 3),
        brand_alignment: brandScore,
        accessibility: brandVoice ? brandVoice.scores.accessibility : 0,
        enrichment_confidence: confidence,
        publishing_reliability: attempts.length > 0 && outcome === 'published' ? round(1 / attempts.length, 3) : 0,
      },
    },
    errors,
    training_labels:
      outcome === 'failed'
        ? null
        : {
            label: outcome === 'blocked' ? 'negative' : quality >= 0.8 ? 'positive' : 'neutral',
            source: 'auto',
            labeler: 'quality-labeler-v2',
            reviewed: false,
            categories: [contentType, ...(outcome === 'blocked' ? ['brand_voice_gate'] : [])],
          },
    suitable_for_training: suitable,
  };
  return { record, planted };
}
