import { tr } from './lang.ts';
import { idb } from './idb.ts';
import type { QueueItem, Submission } from './types.ts';

/** Saves a submission in the queue before anything is sent: closing the app loses nothing. */
export async function enqueue(submission: Submission, code: string): Promise<QueueItem> {
  const item: QueueItem = {
    id: submission.id,
    code,
    state: 'queued',
    attempts: 0,
    savedAt: new Date().toISOString(),
    submission,
  };
  await idb.put('queue', item);
  return item;
}

export const queueItems = async () =>
  (await idb.all<QueueItem>('queue')).sort((a, b) => a.savedAt.localeCompare(b.savedAt));

/** Answers that mean "this submission will never be accepted as it is": stop retrying it. */
function isFinal(status: number, body: { error?: { field?: string } }): boolean {
  if (status === 409 && body.error?.field === 'id') return false; // the same id is being processed: retry
  return [400, 403, 404, 409, 413, 415].includes(status);
}

let running: Promise<{ sent: number; failed: number }> | null = null;

/**
 * Sends every queued submission, oldest first. Each keeps its id across retries, and the
 * server stores an id once, so a retry after a lost answer (or two tabs syncing at once) never
 * duplicates anything. Network failures leave the item queued for the next attempt; a refusal
 * (stale version, bad file) is kept with its reason for the chief to see.
 */
export function syncQueue(onChange: () => void): Promise<{ sent: number; failed: number }> {
  running ??= (async () => {
    let sent = 0;
    let failed = 0;
    try {
      for (const item of await queueItems()) {
        if (item.state !== 'queued') continue;
        item.attempts += 1;
        try {
          const res = await fetch('/api/field/submissions', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(item.submission),
          });
          const body = await res.json().catch(() => ({}));
          if (res.ok) {
            item.state = 'sent';
            item.result = { flags: body.flags ?? [], state: body.state };
            item.lastError = undefined;
            sent++;
          } else if (res.status === 401) {
            item.lastError = tr('请重新登录', 'Log in again');
            await idb.put('queue', item);
            failed++;
            break;
          } else if (isFinal(res.status, body)) {
            item.state = 'refused';
            item.lastError = body.error?.message ?? `HTTP ${res.status}`;
          } else {
            item.lastError = body.error?.message ?? `HTTP ${res.status}`;
            failed++;
          }
        } catch (e) {
          item.lastError = tr('网络不可用，稍后自动重试', `No network (${(e as Error).message})`);
          failed++;
        }
        await idb.put('queue', item);
        onChange();
      }
    } finally {
      running = null;
    }
    return { sent, failed };
  })();
  return running;
}
