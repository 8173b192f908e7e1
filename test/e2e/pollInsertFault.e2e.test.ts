import { runInsertFault } from './support/pollChaos';

/**
 * Issue 14: n8n 2.41.1 fails to store the execution of a poll (a SQLite trigger makes every
 * insert into execution_entity fail), with and without a kill -9 before the fault is removed,
 * with n8n's default settings and with its durable poll cursors. Each case starts its own n8n
 * (about 4 to 8 minutes each on 2 cores), so the set runs only when PONTO_INSERT_FAULT is set:
 * 'all', or a comma list of default,default-kill,durable,durable-kill,v2,v2-kill.
 *
 * What is guaranteed, and asserted: every booking in exactly one execution, except in the one
 * case version 1 (an n8n polling node) cannot cover on n8n's default settings: n8n saved the
 * advanced state, failed the insert and was killed before a later poll emitted again
 * (docs/reliability.md). That case is run and its figures printed, and it must run nothing twice.
 * Version 2 (deduplication keys) must be exactly once in every case.
 */
const SELECTED = (process.env.PONTO_INSERT_FAULT ?? '')
	.split(',')
	.map((name) => name.trim())
	.filter(Boolean);
const CASES = [
	{
		name: 'default',
		nodeVersion: 1,
		durableCursors: false,
		killBeforeFaultRemoved: false,
		exactlyOnce: true,
	},
	{
		name: 'default-kill',
		nodeVersion: 1,
		durableCursors: false,
		killBeforeFaultRemoved: true,
		exactlyOnce: false,
	},
	{
		name: 'durable',
		nodeVersion: 1,
		durableCursors: true,
		killBeforeFaultRemoved: false,
		exactlyOnce: true,
	},
	{
		name: 'durable-kill',
		nodeVersion: 1,
		durableCursors: true,
		killBeforeFaultRemoved: true,
		exactlyOnce: true,
	},
	{
		name: 'v2',
		nodeVersion: 2,
		durableCursors: false,
		killBeforeFaultRemoved: false,
		exactlyOnce: true,
	},
	{
		name: 'v2-kill',
		nodeVersion: 2,
		durableCursors: false,
		killBeforeFaultRemoved: true,
		exactlyOnce: true,
	},
] as const;

describe.each(CASES)(
	'n8n fails to store the poll execution: $name',
	({ name, nodeVersion, durableCursors, killBeforeFaultRemoved, exactlyOnce }) => {
		const run = SELECTED.includes('all') || SELECTED.includes(name);
		(run ? test : test.skip)(
			'every booking in exactly one execution',
			async () => {
				const report = await runInsertFault({
					nodeVersion,
					durableCursors,
					killBeforeFaultRemoved,
					bookings: 5,
					log: (line) => process.stdout.write(`${line}\n`),
				});
				process.stdout.write(`${report.summary}\n${JSON.stringify(report.executionsById)}\n`);
				// The fault really was hit.
				expect(report.pollsUnderFault).toBeGreaterThan(0);
				expect(report.faultLogLines).toBeGreaterThan(0);
				expect(report.duplicates).toEqual([]);
				if (exactlyOnce) expect(report.lost).toEqual([]);
			},
			40 * 60_000,
		);
	},
);
