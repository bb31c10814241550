/**
 * A small filesystem for the browser profile of the full-disk tests. Chromium's DevTools quota
 * override has no effect on our Chromium, so the only honest way to meet QuotaExceededError is
 * what users meet: a disk that fills up. As root we mount a 48 MB tmpfs; elsewhere set
 * HUMPBACK_SMALL_DISK to a directory on a small filesystem you made.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const MOUNT = '/tmp/humpback-small-disk';

export function smallDiskProfile(): string | null {
  let dir = process.env.HUMPBACK_SMALL_DISK ?? null;
  if (!dir && process.getuid?.() === 0) {
    try {
      if (!isMounted(MOUNT)) {
        mkdirSync(MOUNT, { recursive: true });
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', MOUNT], { stdio: 'ignore' });
      }
      dir = MOUNT;
    } catch {
      dir = null;
    }
  }
  if (!dir || !existsSync(dir)) return null;
  // Profiles of earlier runs would fill the small disk. Each profile is named after the process
  // that made it; remove those whose process is gone (a run still going keeps its own).
  for (const old of readdirSync(dir).filter((n) => n.startsWith('profile-'))) {
    const pid = Number(/^profile-(\d+)-/.exec(old)?.[1]);
    if (!alive(pid)) rmSync(join(dir, old), { recursive: true, force: true });
  }
  return mkdtempSync(join(dir, `profile-${process.pid}-`));
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isMounted(path: string): boolean {
  try {
    return execFileSync('findmnt', ['-n', path], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}
