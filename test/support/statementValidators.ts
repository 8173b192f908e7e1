import { spawnSync } from 'node:child_process';

import { runTool } from './statementFixtures';

/**
 * Independent readers of the statement files, shared by the writer tests and the e2e tests:
 * xmllint (libxml2) against the ISO schema, libofx's ofxdump, and the febelfin-coda parser
 * (Debian python3-febelfin-coda). scripts/install-test-tools.sh installs them; `npm run test:e2e`
 * and .ci/run call it. `npm test` does not need them (test/support/xmllint.ts, ofx.ts, xml.ts).
 */
import { CAMT_SCHEMA } from './fixtures';

/** xmllint's verdict on a CAMT.053 file: status 0 and '<file> validates' when valid. */
export function validateCamtFile(path: string): { status: number; stderr: string } {
	const result = runTool('xmllint', ['--noout', '--schema', CAMT_SCHEMA, path]);
	return { status: result.status, stderr: result.stderr };
}

export const PARSE_CODA = `
import json, sys
import coda
# febelfin-coda 0.2.0 reads the old balance from positions 44-58 without the sign at 43
# (record 1); the new balance (record 8) is read with its sign. Read the old one the same way.
coda.OLD_BALANCE['old_balance'] = (slice(42, 58), coda._amount)
out = []
for path in sys.argv[1:]:
    s = coda.CODA(path).statements[0]
    moves = [dict(seq=m.sequence, amount=str(m.amount), value=str(m.value_date), entry=str(m.entry_date),
                  code=m.transaction_code, ctype=m.communication_type, text=m.communication,
                  name=m.counterparty_name, account=m.counterparty_account, e2e=m.customer_reference) for m in s.moves]
    info = {k: [i._communication for i in v] for k, v in s.informations.items()}
    out.append(dict(account=s.account, currency=s.account_currency, old=str(s.old_balance), new=str(s.new_balance),
                    old_date=str(s.old_balance_date), new_date=str(s.new_balance_date), debit=str(s.total_debit),
                    credit=str(s.total_credit), records=s.number_records, moves=moves, info=info))
print(json.dumps(out))
`;

/** febelfin-coda's reading of CODA files (JSON on stdout, one statement per file). */
export function parseCodaFiles(paths: string[]): {
	stdout: string;
	stderr: string;
	status: number;
} {
	return runTool('/usr/bin/python3', ['-c', PARSE_CODA, ...paths]);
}

export type Block = Record<string, string>;

/** ofxdump's stdout as blocks ('ofx_proc_transaction():' + '    Key: value' lines). */
export function ofxdump(path: string): {
	blocks: Array<{ kind: string; values: Block }>;
	errors: string[];
} {
	const result = runTool('ofxdump', [path]);
	const blocks: Array<{ kind: string; values: Block }> = [];
	for (const line of result.stdout.split('\n')) {
		const head = /^(ofx_proc_\w+)\(\):$/.exec(line);
		if (head) blocks.push({ kind: head[1], values: {} });
		const pair = /^ {4}(.+?): (.*)$/.exec(line);
		if (pair && blocks.length) blocks[blocks.length - 1].values[pair[1].trim()] = pair[2];
	}
	const errors = result.stderr.split('\n').filter((line) => /:E:|LibOFX ERROR/.test(line));
	return { blocks, errors };
}

/** The readers this machine lacks (empty when all three are installed). */
export function missingReaders(): string[] {
	const works = (command: string, args: string[]): boolean =>
		spawnSync(command, args, { stdio: 'ignore' }).status === 0;
	const missing: string[] = [];
	if (!works('xmllint', ['--version'])) missing.push('xmllint');
	if (!works('ofxdump', ['--version'])) missing.push('ofxdump');
	if (!works('/usr/bin/python3', ['-c', 'import coda'])) missing.push('febelfin-coda');
	return missing;
}

/**
 * `describe` when the readers are installed or in CI (where a missing reader must fail), else
 * `describe.skip` after one line saying how to install them.
 */
export function describeWithReaders(file: string): jest.Describe {
	const missing = missingReaders();
	if (!missing.length || process.env.CI === 'true') return describe;
	console.warn(
		`statement readers not installed (${missing.join(', ')}): skipping ${file}; install them with: sudo bash scripts/install-test-tools.sh`,
	);
	return describe.skip;
}
