import fc from 'fast-check';
import { DateTime, IANAZone, Settings } from 'luxon';

import {
	normalizeDateTime,
	normalizeTimeZone,
} from '../../nodes/MangoCalltracking/normalize/normalizeDateTime';
import { attempt, check, expectRejection, RUNS, same, ZONES } from './fuzzHelpers';

const zone = fc.constantFrom(...ZONES);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Wall-clock millis (a local time written as if it were UTC) in one of the three offset-less formats. */
function wallClockText(wall: number, format: number): string {
	const d = new Date(wall);
	const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
	const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
	if (format === 0) return `${date} ${time}`;
	if (format === 1) return `${date}T${time}`;
	return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCFullYear(), 4)} ${time}`;
}

describe('time zones (fuzz)', () => {
	describe('wall-clock times in a time zone', () => {
		const realNow = Settings.now;
		afterEach(() => {
			Settings.now = realNow;
		});

		/** Offset transitions of the test zones, 1985–2036, found by sampling every 10 days and bisection. */
		const transitions: Array<{ zone: string; at: number; before: number }> = [];
		beforeAll(() => {
			const STEP = 10 * 24 * 3600 * 1000;
			for (const name of ZONES) {
				const tz = IANAZone.create(name);
				let before = tz.offset(Date.UTC(1985, 0, 1));
				for (let t = Date.UTC(1985, 0, 1); t < Date.UTC(2036, 0, 1); t += STEP) {
					const after = tz.offset(t + STEP);
					if (after === before) continue;
					let [low, high] = [t, t + STEP];
					while (high - low > 1000) {
						const middle = Math.floor((low + high) / 2 / 1000) * 1000;
						if (tz.offset(middle) === before) low = middle;
						else high = middle;
					}
					transitions.push({ zone: name, at: high, before });
					before = after;
				}
			}
			expect(transitions.length).toBeGreaterThan(400);
		});

		const wallClockCase = fc.oneof(
			// anywhere
			fc
				.tuple(zone, fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2037, 0, 1) }))
				.map(([z, ms]) => ({
					zone: z as string,
					wall: Math.floor(ms / 1000) * 1000,
				})),
			// within 150 minutes of an offset change, where the gaps and overlaps are
			fc.tuple(fc.nat(), fc.integer({ min: -150 * 60, max: 150 * 60 })).map(([pick, seconds]) => {
				const { zone: z, at, before } = transitions[pick % transitions.length];
				return { zone: z, wall: at + before * 60_000 + seconds * 1000 };
			}),
		);

		test('the wall clock read in the zone: its first occurrence, or moved forward out of a gap, whatever the day', () => {
			let ambiguous = 0;
			let gaps = 0;
			fc.assert(
				fc.property(
					wallClockCase,
					fc.nat({ max: 2 }),
					// Luxon guesses with the offset of "now": run as if in winter or in summer.
					fc.constantFrom(Date.UTC(2025, 0, 15), Date.UTC(2025, 6, 15)),
					({ zone: timeZone, wall }, format, now) => {
						Settings.now = () => now;
						const result = Date.parse(
							normalizeDateTime(wallClockText(wall, format), timeZone, 'dateStart'),
						);
						Settings.now = realNow;

						const tz = IANAZone.create(timeZone);
						const wallAt = (ms: number) => ms + tz.offset(ms) * 60_000;
						// Every instant whose wall clock is `wall`: one, two in an overlap, none in a gap.
						const occurrences = [-86_400_000, 0, 86_400_000]
							.map((shift) => wall - tz.offset(wall + shift) * 60_000)
							.filter((ms) => wallAt(ms) === wall);
						if (occurrences.length > 0) {
							if (new Set(occurrences).size > 1) ambiguous++;
							same(result, Math.min(...occurrences), 'the first occurrence');
						} else {
							gaps++;
							const shown = wallAt(result);
							check(
								shown > wall && shown - wall <= 3 * 3600 * 1000,
								'a time in a gap moves forward',
							);
						}
					},
				),
				RUNS,
			);
			// The generator does reach both kinds of DST trouble.
			expect(ambiguous).toBeGreaterThan(100);
			expect(gaps).toBeGreaterThan(100);
		});
	});

	test('normalizeTimeZone: a usable zone or an InvalidValueError naming options.timezone', () => {
		fc.assert(
			fc.property(
				// Every new string costs an Intl.DateTimeFormat attempt: random text is kept to a fair share.
				fc.oneof(
					{
						arbitrary: fc.anything({
							maxDepth: 1,
							values: [fc.integer(), fc.boolean(), fc.constant(null)],
						}),
						weight: 2,
					},
					{ arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
					{ arbitrary: zone.map((name) => ` ${name} `), weight: 2 },
					{
						arbitrary: fc.constantFrom(
							'Europe/Moskow',
							'GMT+3',
							'EST5EDT',
							'utc',
							'Etc/GMT-14',
							'America/Argentina/Buenos_Aires',
						),
						weight: 1,
					},
				),
				(value) => {
					const outcome = attempt(() => normalizeTimeZone(value, 'Europe/Moscow'));
					if (!outcome.ok) return expectRejection(outcome.error, 'options.timezone', value);
					check(
						outcome.value === outcome.value.trim() && outcome.value !== '',
						'a trimmed zone name',
					);
					check(
						DateTime.fromMillis(0, { zone: outcome.value }).isValid,
						`${outcome.value} is usable by Luxon`,
					);
				},
			),
			RUNS,
		);
	});
});
