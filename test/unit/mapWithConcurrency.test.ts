import { mapWithConcurrency } from '../../nodes/MangoCalltracking/helpers/mapWithConcurrency';

const delay = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small deterministic generator, so a failing order can be reproduced. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/** Wraps a task to record how many calls are in flight at once and which indices started. */
function tracked<R>(task: (index: number) => Promise<R>) {
	const stats = { inFlight: 0, maxInFlight: 0, started: [] as number[], finished: [] as number[] };
	const run = async (_item: unknown, index: number): Promise<R> => {
		stats.started.push(index);
		stats.inFlight++;
		stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
		try {
			return await task(index);
		} finally {
			stats.inFlight--;
			stats.finished.push(index);
		}
	};
	return { run, stats };
}

describe('mapWithConcurrency', () => {
	test.each([1, 3, 8])(
		'keeps the input order with random delays and at most %i in flight',
		async (limit) => {
			const random = seeded(limit * 7919);
			const items = Array.from({ length: 40 }, (_, i) => `item-${i}`);
			const { run, stats } = tracked(async (index) => {
				await delay(Math.floor(random() * 8));
				return `${items[index]}:done`;
			});
			const results = await mapWithConcurrency(items, limit, run);
			expect(results).toEqual(items.map((item) => `${item}:done`));
			expect(stats.maxInFlight).toBe(limit);
			expect(stats.inFlight).toBe(0);
			// Items start in order.
			expect(stats.started).toEqual(items.map((_, i) => i));
		},
	);

	test('results are placed by index even when later items finish first', async () => {
		const { run, stats } = tracked(async (index) => {
			await delay((5 - index) * 5);
			return index * 10;
		});
		await expect(mapWithConcurrency([0, 1, 2, 3, 4], 5, run)).resolves.toEqual([0, 10, 20, 30, 40]);
		expect(stats.finished).toEqual([4, 3, 2, 1, 0]);
	});

	test('a limit above the number of items runs them all at once', async () => {
		const { run, stats } = tracked(async (index) => {
			await delay(5);
			return index;
		});
		await expect(mapWithConcurrency([1, 2, 3], 50, run)).resolves.toEqual([0, 1, 2]);
		expect(stats.maxInFlight).toBe(3);
	});

	test.each([0, -3])('a limit of %i still makes progress one at a time', async (limit) => {
		const { run, stats } = tracked(async (index) => {
			await delay(1);
			return index;
		});
		await expect(mapWithConcurrency(['a', 'b', 'c'], limit, run)).resolves.toEqual([0, 1, 2]);
		expect(stats.maxInFlight).toBe(1);
	});

	test('no items: no calls, empty result', async () => {
		const task = jest.fn(async () => 1);
		await expect(mapWithConcurrency([], 5, task)).resolves.toEqual([]);
		expect(task).not.toHaveBeenCalled();
	});

	test('the task receives each item with its index', async () => {
		const task = jest.fn(async (item: string, index: number) => `${index}=${item}`);
		await expect(mapWithConcurrency(['x', 'y'], 2, task)).resolves.toEqual(['0=x', '1=y']);
		expect(task.mock.calls).toEqual([
			['x', 0],
			['y', 1],
		]);
	});

	test("the earliest failing index's error is thrown, not the first in time", async () => {
		const { run, stats } = tracked(async (index) => {
			if (index === 4) throw new Error('item 4 failed first');
			if (index === 1) {
				await delay(20);
				throw new Error('item 1 failed later');
			}
			await delay(5);
			return index;
		});
		await expect(mapWithConcurrency(Array.from({ length: 20 }), 5, run)).rejects.toThrow(
			'item 1 failed later',
		);
		expect(stats.started).toEqual([0, 1, 2, 3, 4]);
	});

	test('no new task starts after a failure; the ones in flight finish first', async () => {
		const { run, stats } = tracked(async (index) => {
			if (index === 2) throw new Error('item 2 failed');
			await delay(15);
			return index;
		});
		const error = await mapWithConcurrency(Array.from({ length: 30 }), 3, run).catch(
			(caught: unknown) => caught,
		);
		expect((error as Error).message).toBe('item 2 failed');
		expect(stats.started).toEqual([0, 1, 2]);
		expect([...stats.finished].sort()).toEqual([0, 1, 2]);
		expect(stats.inFlight).toBe(0);
		// Nothing starts later either.
		await delay(30);
		expect(stats.started).toEqual([0, 1, 2]);
	});

	test('with limit 1 a failure stops the sequence right there', async () => {
		const { run, stats } = tracked(async (index) => {
			if (index === 3) throw new Error('stop');
			return index;
		});
		await expect(mapWithConcurrency(Array.from({ length: 10 }), 1, run)).rejects.toThrow('stop');
		expect(stats.started).toEqual([0, 1, 2, 3]);
	});

	test('a task that throws synchronously becomes a rejection', async () => {
		const task = (() => {
			throw new RangeError('sync');
		}) as unknown as (item: number, index: number) => Promise<number>;
		const result = mapWithConcurrency([1, 2], 2, task);
		await expect(result).rejects.toThrow(RangeError);
	});

	test('a non-Error rejection value is passed through unchanged', async () => {
		const reason = { code: 'X' };
		await expect(mapWithConcurrency([1], 1, async () => await Promise.reject(reason))).rejects.toBe(
			reason,
		);
	});
});

test('a limit that is not a number still runs every task', async () => {
	const results = await mapWithConcurrency([1, 2, 3], Number.NaN, async (value) => value * 2);
	expect(results).toEqual([2, 4, 6]);
});
