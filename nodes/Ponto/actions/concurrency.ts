// Input items processed a few at a time: each item waits on Ponto's network round trips, so
// running some in parallel cuts wall time while results keep input order. When Ponto answers
// 429 (rate limit) the limit halves, down to one at a time, for the rest of the execution.
export const DEFAULT_CONCURRENCY = 5;
export const MAX_CONCURRENCY = 20;

export class ConcurrencyLimit {
	constructor(private current: number) {}

	get limit(): number {
		return this.current;
	}

	/** Called on a 429: fewer requests at once from now on. */
	lower(): void {
		this.current = Math.max(1, Math.floor(this.current / 2));
	}
}

/**
 * Runs `task` for indexes 0..count-1 with at most `limit.limit` running at once and returns the
 * outcomes in index order. A task that rejects stops new tasks from starting (as a failing item
 * stops a sequential run); the ones running finish.
 */
export async function runInOrder<T>(
	count: number,
	limit: ConcurrencyLimit,
	task: (index: number) => Promise<T>,
): Promise<Array<{ value: T } | { error: unknown }>> {
	const outcomes: Array<{ value: T } | { error: unknown }> = new Array(count);
	let nextIndex = 0;
	let failed = false;
	await new Promise<void>((resolve) => {
		let active = 0;
		const launch = (): void => {
			while (!failed && active < limit.limit && nextIndex < count) {
				const index = nextIndex++;
				active++;
				task(index)
					.then(
						(value) => {
							outcomes[index] = { value };
						},
						(error: unknown) => {
							outcomes[index] = { error };
							failed = true;
						},
					)
					.finally(() => {
						active--;
						if (active === 0 && (failed || nextIndex >= count)) resolve();
						else launch();
					});
			}
		};
		if (count === 0) resolve();
		else launch();
	});
	return outcomes.slice(0, nextIndex);
}
