/**
 * The dataset card (`README.md`) that goes with an export, so the file can be published as it
 * is: Hugging Face front matter, then counts, the funnel, score distributions per round, models,
 * prompts and settings — all from the tally of the export that was actually written.
 * Secrets never reach it: setting keys that name a key, token, password or secret, and values
 * shaped like API keys, are removed (METHOD.md: "keys are user settings, never written into
 * exports").
 */
import { PAIR_STATUSES } from '../curation/pair.ts';
import type { ExportOptions, ExportReport } from './stream.ts';
import { meanAndSd, type LengthSums } from './tally.ts';
import { REWRITE_TAG, SOURCE_TAGS, type ExportFormat } from './writers.ts';
import { REWRITE_VERDICT_WORDS, RESPONSE_CHOICE_WORDS, type RewriteVerdict } from '../curation/rewrite-use.ts';

export interface PromptInfo {
  name: string;
  version: number;
  text: string;
}

export interface CardInput {
  projectName: string;
  /** The data file the card describes. */
  fileName: string;
  report: ExportReport;
  options: ExportOptions;
  /** The curated set in words (CuratedSet.label), e.g. "latest rated generation run, latest round (M1), A4 …". */
  curation?: string;
  /** Project and run settings; secrets are removed before writing. */
  settings: Record<string, unknown>;
  prompts: readonly PromptInfo[];
  /**
   * The project's fine-tuned generation template: a reversed-pairs file trains the backward model,
   * which generation will then ask in these words (the card names the version for that format).
   */
  backwardTemplate?: PromptInfo;
  /** Export time, ms since epoch (the card shows the UTC date). */
  exportedAt: number;
}

const SECRET_KEY = /(api[-_ ]?key|secret|passw(or)?d|authori[sz]ation|bearer|(access|auth|hf|api|refresh)[-_ ]?token|^token$|^key$)/i;
const SECRET_VALUE = /^(sk-|hf_|xai-|gsk_|AIza)[\w-]{8,}/;
export const REDACTED = '[removed]';

/** A deep copy of `value` with secrets replaced by "[removed]". */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return SECRET_VALUE.test(value.trim()) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactSecrets(v)]));
  }
  return value;
}

export function sizeCategory(n: number): string {
  if (n < 1_000) return 'n<1K';
  if (n < 10_000) return '1K<n<10K';
  if (n < 100_000) return '10K<n<100K';
  if (n < 1_000_000) return '100K<n<1M';
  return '1M<n<10M';
}

const FORMAT_WORDS: Record<ExportFormat, string> = {
  messages: 'chat `messages` (OpenAI fine-tuning / TRL SFTTrainer conversational format)',
  alpaca: 'Alpaca (`instruction`, `input`, `output`)',
  sharegpt: 'ShareGPT (`conversations` of `from`/`value` turns)',
  reversed: 'reversed pairs (`input` = response, `target` = instruction) for training a backward model',
  full: 'full records (every field: scores from every round, reasons, raw replies, provenance, settings)',
};

const n = (x: number): string => x.toLocaleString('en-US');
const pct = (part: number, whole: number): string => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function lengthLine(label: string, l: LengthSums): string {
  const { mean, sd } = meanAndSd(l);
  return `| ${label} | ${n(l.n)} | ${mean.toFixed(0)} ± ${sd.toFixed(0)} | ${n(l.max)} |`;
}

/** A fence longer than any backtick run inside `text`, so prompt text cannot close it early. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

function frontMatter(input: CardInput): string {
  const rows = input.report.lines;
  return [
    '---',
    `pretty_name: ${JSON.stringify(input.projectName)}`,
    'task_categories:',
    '- text-generation',
    'tags:',
    '- instruction-backtranslation',
    '- humpback',
    '- synthetic',
    'size_categories:',
    `- ${sizeCategory(rows)}`,
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    `    path: ${JSON.stringify(input.fileName)}`,
    '---',
  ].join('\n');
}

const VERDICT_ORDER: readonly RewriteVerdict[] = ['used', 'accepted', 'flagged', 'refused', 'kept-original', 'stale', 'none'];

/**
 * Issue 19: which responses the file holds and what became of the rewrites — how many were
 * flagged by a check or refused by the model (their originals were written instead). Only for an
 * export whose curated set has a rewrite run or asks for rewritten responses.
 */
function rewriteSection(report: ExportReport, options: ExportOptions): string[] {
  const r = report.rewrites;
  if (!r && !options.responses) return [];
  const choice = options.responses ?? 'original';
  const tagged = options.sourceTags && report.format !== 'reversed' && report.format !== 'full';
  const out = ['## Rewritten responses', '', `Responses: ${RESPONSE_CHOICE_WORDS[choice]}.`];
  if (choice !== 'original') {
    out.push(
      '',
      'A model rewrote each kept response as an assistant\'s answer to its instruction, told to use only the original text ' +
        '(back-and-forth translation; Nguyen et al., 2024). A rewrite that failed a check (length, content words kept, numbers, ' +
        'links or code blocks missing or invented) or that the model refused is not used: the original is written for it, unless a person accepted the rewrite.',
    );
    if (tagged) out.push('', `Rewritten rows carry the system prompt "${REWRITE_TAG}".`);
  }
  if (!r) return [...out, '', 'Nothing was rewritten: every row holds its original response.', ''];
  out.push('', `Rows with a rewritten response: ${n(r.written)}.`, '', '| kept pairs | pairs |', '| --- | ---: |');
  for (const v of VERDICT_ORDER) out.push(`| ${REWRITE_VERDICT_WORDS[v]} | ${n(r.kept[v])} |`);
  return [...out, ''];
}

function countsTable(rows: Record<string, number>, header: string): string[] {
  const entries = Object.entries(rows).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return ['None recorded.'];
  return [`| ${header} | pairs |`, '| --- | ---: |', ...entries.map(([k, v]) => `| ${cell(k)} | ${n(v)} |`)];
}

/** The card's Markdown text. */
export function datasetCard(input: CardInput): string {
  const { report, options } = input;
  const t = report.tally;
  const f = t.funnel;
  const sel = options.selection;
  const scoreWord = sel.useExpected ? 'expected score (Σ p·k over the five score tokens, integer score where absent)' : 'score';
  const roundWord = sel.round === undefined ? 'its rating' : `round ${sel.round}`;
  const out: string[] = [frontMatter(input), '', `# ${input.projectName}`, ''];
  out.push(
    'Instruction–response pairs made by instruction backtranslation (Humpback; Li et al., 2023, arXiv 2308.06259) in Humpback Studio: ' +
      'a backward model wrote an instruction for each passage of human-written text, a forward model rated each pair from 1 to 5, ' +
      'and the pairs that passed the threshold were kept.',
    '',
    `Exported ${new Date(input.exportedAt).toISOString().slice(0, 10)} (UTC).`,
    '',
    '## Contents',
    '',
    '| | |',
    '| --- | --- |',
    `| file | \`${cell(input.fileName)}\` |`,
    `| format | ${FORMAT_WORDS[report.format]} |`,
    `| rows | ${n(report.lines)} (${n(t.written.seed)} seed, ${n(t.written.generated)} generated) |`,
    `| size | ${n(report.bytes)} bytes |`,
    `| source tags | ${options.sourceTags && report.format !== 'reversed' && report.format !== 'full' ? `yes: seed rows "${SOURCE_TAGS.seed}", generated rows "${SOURCE_TAGS.generated}"` : 'no'} |`,
    `| pairs written | ${options.statuses.join(', ')} |`,
    `| lone surrogates replaced by U+FFFD | ${n(report.replaced)} |`,
    '',
    '## Selection',
    '',
    ...(input.curation ? [`Curated set: ${input.curation}.`, ''] : []),
    `A generated pair is kept when its ${scoreWord} in ${roundWord} is at least ${sel.minScore}. ` +
      'A person\'s accept or reject overrides every rating, in every round; a rating made before a person edited the instruction no longer counts.',
    '',
    '| step | pairs | of previous |',
    '| --- | ---: | ---: |',
    `| segments | ${n(f.segments)} | |`,
    `| candidates (instruction written) | ${n(f.candidates)} | ${pct(f.candidates, f.segments)} |`,
    `| rated | ${n(f.rated)} | ${pct(f.rated, f.candidates)} |`,
    `| kept | ${n(f.kept)} | ${pct(f.kept, f.rated)} |`,
    '',
    '| status | pairs |',
    '| --- | ---: |',
    ...PAIR_STATUSES.map((s) => `| ${s} | ${n(t.byStatus[s])} |`),
    '',
    `Human decisions: ${n(t.humanDecisions)}. Instructions edited by hand: ${n(t.edited)}.`,
    ...(sel.useExpected
      ? ['', `Expected score unreliable (the score tokens held under half the probability): ${n(t.expectedUnreliable)}; no probabilities: ${n(t.expectedMissing)}. Both were judged by their integer score.`]
      : []),
    '',
    ...rewriteSection(report, options),
    '## Score distribution',
    '',
  );
  if (t.rounds.length === 0) out.push('No ratings.');
  else {
    out.push('| round | 1 | 2 | 3 | 4 | 5 | unparsed |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of t.rounds) out.push(`| ${r.round} | ${r.scores.map(n).join(' | ')} | ${n(r.unparsed)} |`);
    const withExpected = t.rounds.filter((r) => r.expected.some((c) => c > 0));
    if (withExpected.length > 0) {
      out.push('', 'Expected scores, half-point bins:', '', '| round | 1–1.5 | 1.5–2 | 2–2.5 | 2.5–3 | 3–3.5 | 3.5–4 | 4–4.5 | 4.5–5 |');
      out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const r of withExpected) out.push(`| ${r.round} | ${r.expected.map(n).join(' | ')} |`);
    }
  }
  out.push(
    '',
    '## Lengths (characters, rows written)',
    '',
    '| field | rows | mean ± sd | max |',
    '| --- | ---: | ---: | ---: |',
    lengthLine('instruction', t.instructionChars),
    lengthLine('response', t.responseChars),
    '',
    '## Models',
    '',
    'Backward model (wrote the instructions):',
    '',
    ...countsTable(t.augmentModels, 'engine:model'),
    '',
    'Curator (rated the pairs):',
    '',
    ...countsTable(t.curatorModels, 'round: engine:model'),
    '',
    '## Prompts',
    '',
    ...countsTable(t.promptVersions, 'stage and prompt version'),
  );
  for (const p of input.prompts) out.push('', `### ${p.name} (v${p.version})`, '', fenced(p.text));
  const b = input.backwardTemplate;
  if (b && report.format === 'reversed') {
    out.push(
      '', `### Backward-model prompt: ${b.name} (v${b.version})`, '',
      'Train the backward model with this system prompt and with each `input` wrapped in this user text (`{{segment}}` = the input): ' +
        'generation asks the fine-tuned model in exactly these words.',
      '', fenced(b.text),
    );
  }
  out.push(
    '',
    '## Settings',
    '',
    fenced(JSON.stringify(redactSecrets({ export: options, project: input.settings }), null, 2), 'json'),
    '',
    '## Citation',
    '',
    fenced(
      '@article{li2023humpback,\n  title={Self-Alignment with Instruction Backtranslation},\n' +
        '  author={Li, Xian and Yu, Ping and Zhou, Chunting and Schick, Timo and Levy, Omer and Zettlemoyer, Luke and Weston, Jason and Lewis, Mike},\n' +
        '  journal={arXiv preprint arXiv:2308.06259},\n  year={2023}\n}',
      'bibtex',
    ),
    '',
  );
  return out.join('\n');
}
