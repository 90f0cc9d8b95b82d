/**
 * Maps `items` with at most `limit` calls of `task` in flight; results keep the input order whatever finishes
 * first. When a task throws, no further task starts, the ones in flight finish, and the error of the earliest
 * failing item is thrown.
 */
export async function mapWithConcurrency<T, R>(
	items: readonly T[],
	limit: number,
	task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	const failures: Array<{ index: number; error: unknown }> = [];
	let next = 0;

	async function worker(): Promise<void> {
		while (failures.length === 0 && next < items.length) {
			const index = next++;
			try {
				results[index] = await task(items[index], index);
			} catch (error) {
				failures.push({ index, error });
			}
		}
	}

	const workerCount = Number.isFinite(limit)
		? Math.max(1, Math.min(Math.floor(limit), items.length))
		: items.length;
	const workers = Array.from({ length: workerCount }, async () => await worker());
	await Promise.all(workers);
	if (failures.length > 0) {
		throw failures.reduce((earliest, failure) =>
			failure.index < earliest.index ? failure : earliest,
		).error;
	}
	return results;
}
