import { sleep } from 'n8n-workflow';

const SLICE_MS = 1_000;

/**
 * Waits with n8n-workflow's `sleep` (the only timer a verified node may use). n8n 2.x no
 * longer exports an abortable sleep, so long waits are cut into slices and stop early when
 * the execution is cancelled.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	let left = Math.max(0, ms);
	while (left > 0 && !signal?.aborted) {
		const slice = Math.min(SLICE_MS, left);
		await sleep(slice);
		left -= slice;
	}
}
