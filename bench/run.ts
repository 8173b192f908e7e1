import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import {
	idlePolls,
	manyAccounts,
	memory,
	requestCounts,
	statementWriters,
	webhookVerification,
} from './inProcess';
import { printTable, rows } from './lib';
import { queueThroughput } from './queue';
import { realN8nTimes } from './realN8n';

/**
 * npm run bench: the performance table (never part of npm test). Prints every row with its
 * target and whether it is met, and writes the same figures to bench/results/ (local only;
 * BENCH_REFERENCE=1 also writes bench/results/reference.json, the run the README quotes, which
 * is committed). `npm run bench -- n8n statements` runs only those sections.
 */
async function main(): Promise<void> {
	const only = process.argv.slice(2);
	const sections: Array<[string, () => Promise<void> | void]> = [
		['requests', requestCounts],
		['memory', memory],
		['accounts', manyAccounts],
		['idle', idlePolls],
		['webhooks', webhookVerification],
		['statements', statementWriters],
		['n8n', realN8nTimes],
		['queue', queueThroughput],
	];
	for (const [name, run] of sections) {
		if (only.length && !only.includes(name)) continue;
		process.stdout.write(`\n# ${name}\n`);
		await run();
	}
	printTable();
	const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
	const directory = join(__dirname, 'results');
	mkdirSync(directory, { recursive: true });
	const file = join(directory, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	const content = JSON.stringify({ at: new Date().toISOString(), machine, rows }, null, 2);
	writeFileSync(file, content);
	process.stdout.write(`\nmachine: ${machine}\nresults: ${file}\n`);
	// The run whose figures the README quotes is kept in git as reference.json; every other
	// result file stays local (.gitignore).
	if (process.env.BENCH_REFERENCE === '1') {
		writeFileSync(join(directory, 'reference.json'), content);
		process.stdout.write(`reference: ${join(directory, 'reference.json')}\n`);
	}
	if (rows.some((row) => row.met === false)) process.exitCode = 1;
}

main().catch((error: Error) => {
	process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
