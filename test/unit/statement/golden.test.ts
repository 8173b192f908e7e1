// Golden files: every fixture statement in every format, byte for byte. Any change to a writer's
// output fails here. To accept a deliberate change, regenerate and review the diff:
//   UPDATE_GOLDEN=1 npx jest test/unit/statement/golden
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATEMENT_FORMATS } from '../../../nodes/Ponto/statement';
import { fixtureStatements } from '../../support/statementFixtures';

const GOLDEN = join(__dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const statements = fixtureStatements();
const expected = new Set<string>();

describe('statement files match the golden files', () => {
	beforeAll(() => {
		if (update) mkdirSync(GOLDEN, { recursive: true });
	});

	for (const [name, statement] of Object.entries(statements)) {
		for (const format of STATEMENT_FORMATS) {
			const file = `${name}.${format.key}.${format.extension}`;
			expected.add(file);
			it(file, () => {
				const bytes = Buffer.from(format.write(statement), format.encoding);
				const path = join(GOLDEN, file);
				if (update) writeFileSync(path, bytes);
				if (!existsSync(path))
					throw new Error(
						`golden file ${file} is missing: run UPDATE_GOLDEN=1 npx jest test/unit/statement/golden`,
					);
				const golden = readFileSync(path);
				// Compare as text first for a readable diff, then byte for byte.
				expect(bytes.toString('latin1')).toBe(golden.toString('latin1'));
				expect(bytes.equals(golden)).toBe(true);
			});
		}
	}

	it('has no stale golden files', () => {
		const present = existsSync(GOLDEN) ? readdirSync(GOLDEN) : [];
		expect(present.filter((file) => !expected.has(file))).toEqual([]);
	});

	it('writes the same bytes twice (no clock, no randomness)', () => {
		for (const format of STATEMENT_FORMATS) {
			const statement = statements.edgeCases;
			expect(format.write(statement)).toBe(format.write(structuredClone(statement)));
		}
	});
});
