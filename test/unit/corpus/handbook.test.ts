/**
 * Real chapter pages of The Debian Administrator's Handbook, as Publican publishes them
 * (test/fixtures/corpus/handbook/, see its README), through the corpus pipeline exactly as ingest
 * runs an HTML file: bytes decoded as the app decodes them, fed in pieces, then `end()`. The page
 * chrome (banner, Prev/Next bars, book title) and the chapter's table of contents must not reach a
 * segment; each segment sits under a real section of the chapter and opens with its heading.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeHtmlBytes } from '../../../src/core/corpus/html-encoding.ts';
import { CorpusPipeline } from '../../../src/core/corpus/pipeline.ts';
import type { Segment } from '../../../src/core/records.ts';

const DIR = 'test/fixtures/corpus/handbook/';

function ingest(name: string, pieceBytes?: number) {
  const bytes = new Uint8Array(readFileSync(DIR + name));
  const file = new CorpusPipeline().openFile({ docId: name, path: name, format: 'html' });
  const segments: Segment[] = [];
  for (const piece of decodeHtmlBytes(bytes, pieceBytes)) segments.push(...file.pushText(piece));
  segments.push(...file.end());
  return { file, segments };
}

interface Chapter {
  name: string;
  /** Every heading of the page, in order (h1 chapter title, h2–h4 sections). */
  headings: string[];
  /** Page chrome: banner, docnav bars (their link texts and the neighbouring pages' titles), logos' alt text. */
  chrome: string[];
  /** Table-of-contents lines for sections on other pages: they can only come from div.toc. */
  tocOnly: string[];
  /** Consecutive TOC entries whose titles are also this page's own headings: the block must never appear as such. */
  tocBlock: RegExp;
  /** Sentences of real paragraphs, and the innermost header of the segment that must hold each. */
  sentences: [string, string][];
  /** Boxed notes (DocBook `div.sidebar` inside the text): title lines that must be kept, each followed by its text. */
  notes: string[];
  /** Kept segments and their total characters (figures at the time of writing). */
  count: number;
  chars: number;
  /** Segments out of the packer before the filters, and after the repetitive filter. */
  repetitive: { before: number; after: number };
}

const CHAPTERS: Chapter[] = [
  {
    name: 'advanced-administration.html',
    headings: [
      'Chapter 12. Advanced Administration',
      '12.1. RAID and LVM',
      '12.1.1. Software RAID',
      '12.1.1.1. Different RAID Levels',
      '12.1.1.2. Setting up RAID',
      '12.1.1.3. Backing up the Configuration',
      '12.1.2. LVM',
      '12.1.2.1. LVM Concepts',
      '12.1.2.2. Setting up LVM',
      '12.1.2.3. LVM Over Time',
      '12.1.3. RAID or LVM?',
    ],
    chrome: [
      'Download the ebook',
      "The Debian Administrator's Handbook",
      'Product Site',
      'Documentation Site',
      '11.8. Real-Time Communication Services',
      '12.2. Virtualization',
    ],
    tocOnly: ['12.2.1. Xen', '12.2.3. Virtualization with KVM', '12.3.1. Fully Automatic Installer (FAI)', '12.4.2. Setting Up Nagios'],
    tocBlock: /12\.1\.1\. Software RAID\s*12\.1\.2\. LVM\s*12\.1\.3\. RAID or LVM\?/,
    sentences: [
      ['RAID means Redundant Array of Independent Disks. The goal of this system is to prevent data loss in case of hard disk failure.', '12.1.1. Software RAID'],
      [
        'LVM, the Logical Volume Manager, is another approach to abstracting logical volumes from their physical supports, which focuses on increasing flexibility rather than increasing reliability.',
        '12.1.2. LVM',
      ],
      ['RAID-1 and LVM are combined to satisfy these constraints.', '12.1.3. RAID or LVM?'],
    ],
    notes: ['PERSPECTIVE Btrfs combines LVM and RAID', 'CULTURE Independent or inexpensive?', 'GOING FURTHER RAID-10', 'NOTE Why three RAID-1 volumes?'],
    // Figures at the time of writing, boxed notes (DocBook sidebars: "PERSPECTIVE Btrfs…", "TIP …")
    // included; the repetitive filter drops the segments of command output it finds repetitive.
    count: 22,
    chars: 50856,
    repetitive: { before: 23, after: 22 },
  },
  {
    name: 'apt.html',
    headings: [
      'Chapter 6. Maintenance and Updates: The APT Tools',
      '6.1. Filling in the sources.list File',
      '6.1.1. Syntax',
      '6.1.2. Repositories for Stable Users',
      '6.1.2.1. Security Updates',
      '6.1.2.2. Stable Updates',
      '6.1.2.3. Proposed Updates',
      '6.1.2.4. Stable Backports',
      '6.1.3. Repositories for Testing/Unstable Users',
      '6.1.3.1. The Experimental Repository',
      '6.1.4. Non-Official Resources: mentors.debian.net',
      '6.1.5. Caching Proxy for Debian Packages',
    ],
    chrome: [
      'Download the ebook',
      "The Debian Administrator's Handbook",
      'Product Site',
      'Documentation Site',
      '5.5. Coexistence with Other Packaging Systems',
      '6.2. aptitude, apt-get, and apt Commands',
    ],
    tocOnly: ['6.2.1. Initialization', '6.8.5. The Miracle Combination', '6.9. Searching for Packages', '6.5. Checking Package Authenticity'],
    tocBlock: /6\.1\.1\. Syntax\s*6\.1\.2\. Repositories for Stable Users\s*6\.1\.3\. Repositories for Testing\/Unstable Users/,
    sentences: [
      ['APT is the abbreviation for Advanced Package Tool.', 'Chapter 6. Maintenance and Updates: The APT Tools'],
      ['Stable updates are not security sensitive but are deemed important enough to be pushed to users before the next stable point release.', '6.1.2.2. Stable Updates'],
      ['deb http://apt.falcot.com:9999/debian jessie main contrib non-free', '6.1.5. Caching Proxy for Debian Packages'],
    ],
    notes: ['VOCABULARY Package source and source package', 'COMMUNITY The debian.net sites', 'GOING FURTHER Old package versions: snapshot.debian.org'],
    // Figures at the time of writing, boxed notes ("VOCABULARY Package source and source package"…) included.
    count: 10,
    chars: 18804,
    repetitive: { before: 10, after: 10 },
  },
];

const sectionNumber = (heading: string) => /^(?:Chapter )?(\d+(?:\.\d+)*)\./.exec(heading)?.[1];

describe.each(CHAPTERS)("The Debian Administrator's Handbook, $name", (ch) => {
  const { file, segments } = ingest(ch.name);

  it('segment count and total characters (figures at the time of writing)', () => {
    expect(file.fatal).toBe(undefined);
    expect(file.issueCounts).toEqual({});
    expect([segments.length, segments.reduce((n, s) => n + s.chars, 0)]).toEqual([ch.count, ch.chars]);
    expect(segments.every((s) => s.chars === s.text.length)).toBe(true);
    const rep = file.counts().find((c) => c.step === 'repetitive');
    expect([rep?.before, rep?.after]).toEqual([ch.repetitive.before, ch.repetitive.after]);
  });

  it('keeps the page chrome out: banner, Prev/Next bars, book title, logos', () => {
    for (const s of segments) {
      for (const nav of ch.chrome) expect(s.text).not.toContain(nav);
      // The docnav link words, alone (top bar) or run into the neighbour's title (bottom bar).
      expect(s.text).not.toMatch(/\b(?:Prev|Next)\b/);
      expect(s.text).not.toMatch(/^(?:Up|Home)$/m);
    }
  });

  it('keeps the chapter table of contents out', () => {
    for (const s of segments) {
      for (const entry of ch.tocOnly) expect(s.text).not.toContain(entry);
      expect(s.text).not.toMatch(ch.tocBlock);
    }
  });

  it('puts every segment under a real section of the chapter, its heading first', () => {
    const chapterTitle = ch.headings[0];
    for (const [k, s] of segments.entries()) {
      const path = s.provenance.headers;
      expect(path[0]).toBe(chapterTitle);
      for (const h of path) expect(ch.headings).toContain(h);
      // Each header nests in the one before it: 12.1 → 12.1.1 → 12.1.1.2.
      for (let i = 1; i < path.length; i++) expect(`${sectionNumber(path[i] as string)}`.startsWith(`${sectionNumber(path[i - 1] as string)}.`)).toBe(true);
      const innermost = path.at(-1) as string;
      if (!s.text.startsWith(`${innermost}\n\n`)) {
        // The next piece of a section that began in an earlier segment (cut at a paragraph to fit
        // the window): no heading of its own, and its section's heading opened an earlier segment.
        expect(ch.headings.some((h) => s.text.startsWith(h))).toBe(false);
        expect(segments.slice(0, k).some((p) => p.text.split('\n').includes(innermost))).toBe(true);
      }
    }
    // The first segment opens the chapter: its title, then the chapter's lead paragraph.
    expect(segments[0]?.provenance.headers).toEqual([chapterTitle]);
  });

  it('keeps the text of real paragraphs, under their own section', () => {
    for (const [sentence, header] of ch.sentences) {
      const holding = segments.filter((s) => s.text.includes(sentence));
      expect(holding).toHaveLength(1);
      // Under its section: the segment is that section's, or holds the section's heading before the sentence.
      const text = holding[0]?.text ?? '';
      const under = holding[0]?.provenance.headers.at(-1) === header || text.lastIndexOf(`${header}\n\n`, text.indexOf(sentence)) >= 0;
      expect(under, `${sentence} under ${header}`).toBe(true);
    }
  });

  it('keeps the boxed notes inside the text (a "sidebar" there is no side column), title and text', () => {
    const all = segments.map((s) => s.text).join('\n\n');
    for (const title of ch.notes) expect(all, title).toMatch(new RegExp(`(?:^|\\n)${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n+\\S`));
  });

  it('gives the same segments whatever the piece size', () => {
    const small = ingest(ch.name, 997).segments;
    expect(small.map((s) => [s.text, s.provenance.headers, s.provenance.offset])).toEqual(segments.map((s) => [s.text, s.provenance.headers, s.provenance.offset]));
  });
});
