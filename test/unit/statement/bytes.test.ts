// The byte writers (no string of the whole file in between) give exactly the bytes of the
// string writers, which the golden files pin down.
import { STATEMENT_FORMATS, statementFile } from '../../../nodes/Ponto/statement';
import { TextOutput } from '../../../nodes/Ponto/statement/output';
import { fixtureStatements } from '../../support/statementFixtures';

describe('statement files as bytes', () => {
	for (const [name, statement] of Object.entries(fixtureStatements())) {
		for (const format of STATEMENT_FORMATS) {
			it(`${name} ${format.key}`, () => {
				expect(
					statementFile(format, statement).equals(
						Buffer.from(format.write(statement), format.encoding),
					),
				).toBe(true);
			});
		}
	}
});

describe('TextOutput', () => {
	const pieces = Array.from({ length: 30_000 }, (_, index) => `<Ntry>${index} Müller €</Ntry>\n`);

	it('joins pieces across many chunks into the same text', () => {
		const output = new TextOutput();
		for (const piece of pieces) output.push(piece);
		expect(output.text()).toBe(pieces.join(''));
	});

	it('encodes chunk by chunk into the same bytes', () => {
		for (const encoding of ['utf8', 'latin1'] as const) {
			const output = new TextOutput(encoding);
			for (const piece of pieces) output.push(piece);
			expect(output.bytes().equals(Buffer.from(pieces.join(''), encoding))).toBe(true);
		}
	});

	it('gives the same bytes whether the reservation is right, too large or too small', () => {
		const expected = Buffer.from(pieces.join(''), 'utf8');
		for (const factor of [1, 1.05, 1.5, 0.5]) {
			const output = new TextOutput('utf8');
			pieces.forEach((piece, index) => {
				output.push(piece);
				if (index === 999) output.reserve(expected.length * factor);
			});
			expect(output.bytes().equals(expected)).toBe(true);
		}
	});

	it('refuses to read bytes as text and text as bytes', () => {
		expect(() => new TextOutput('utf8').text()).toThrow(/bytes/);
		expect(() => new TextOutput().bytes()).toThrow(/text/);
	});
});
