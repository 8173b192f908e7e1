import { decodeEntities, parseXml, select } from './xml';
import type { XmlElement } from './xml';

/**
 * An OFX reader for the tests, separate from the writer: OFX 1.0.2 (SGML, value elements left
 * open) and OFX 2 (XML) into one tree, then the bank statement read out of it with the element
 * order the OFX specification (1.0.2 §11.4, 2.1.1 §11.4) requires. libofx's ofxdump reads the same
 * files again in test/e2e/statementReaders.e2e.test.ts.
 */
export interface OfxTransaction {
	type: string;
	posted: string;
	available: string | undefined;
	amount: string;
	fitid: string;
	name: string | undefined;
	memo: string | undefined;
}

export interface OfxStatement {
	header: Record<string, string>;
	currency: string;
	bankId: string;
	accountId: string;
	accountType: string;
	ledgerBalance: string;
	transactions: OfxTransaction[];
}

/** OFX 1.x SGML: `<TAG>value` is a value element, `<TAG>` … `</TAG>` an aggregate. */
function parseSgml(body: string): XmlElement {
	const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
	const stack: XmlElement[] = [root];
	const token = /<(\/?)([A-Z0-9.]+)>([^<]*)/g;
	let match: RegExpExecArray | null;
	let consumed = 0;
	while ((match = token.exec(body))) {
		if (body.slice(consumed, match.index).trim())
			throw new Error(`stray text before <${match[2]}>`);
		consumed = token.lastIndex;
		const [, closing, name, rawValue] = match;
		const value = rawValue.replace(/\r?\n$/, '').trimEnd();
		const current = stack[stack.length - 1];
		if (closing) {
			const last = current.children[current.children.length - 1];
			if (current.name === name) stack.pop();
			// OFX 1 allows closing a value element explicitly.
			else if (!(last && last.name === name && !last.children.length))
				throw new Error(`</${name}> closes <${current.name}>`);
			if (rawValue.trim()) throw new Error(`text after </${name}>`);
			continue;
		}
		const element: XmlElement = { name, attributes: {}, children: [], text: decodeEntities(value) };
		current.children.push(element);
		if (!value) stack.push(element);
	}
	if (body.slice(consumed).trim()) throw new Error('stray text at the end');
	if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
	if (root.children.length !== 1 || root.children[0].name !== 'OFX')
		throw new Error('the body is not one <OFX> aggregate');
	return root.children[0];
}

function header(
	text: string,
	version: '1' | '2',
): { header: Record<string, string>; body: string } {
	if (version === '2') {
		const pi = /<\?OFX ([^?]*)\?>/.exec(text);
		if (!pi) throw new Error('no <?OFX …?> processing instruction');
		return {
			header: Object.fromEntries([...pi[1].matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v])),
			body: text,
		};
	}
	const split = text.indexOf('\r\n\r\n');
	if (split < 0) throw new Error('no blank line after the SGML header');
	const lines = text.slice(0, split).split('\r\n');
	return {
		header: Object.fromEntries(lines.map((line) => line.split(':') as [string, string])),
		body: text.slice(split + 4),
	};
}

/** The children's names of an aggregate must follow `order` (names not listed are refused). */
function checkOrder(element: XmlElement, order: string[], required: string[]): void {
	let position = 0;
	for (const child of element.children) {
		const at = order.indexOf(child.name, position);
		if (at < 0)
			throw new Error(`<${child.name}> is not allowed here in <${element.name}> (or out of order)`);
		position = child.name === order[at] && ['STMTTRN'].includes(child.name) ? at : at + 1;
	}
	for (const name of required) {
		if (!element.children.some((child) => child.name === name))
			throw new Error(`<${element.name}> lacks <${name}>`);
	}
}

const one = (element: XmlElement, path: string[]): XmlElement => {
	const found = select(element, path);
	if (found.length !== 1) throw new Error(`expected one ${path.join('/')}, found ${found.length}`);
	return found[0];
};
const child = (element: XmlElement, name: string): string | undefined =>
	element.children.find((c) => c.name === name)?.text;

/** Reads an OFX bank statement file (one STMTRS); throws when its structure is wrong. */
export function readOfx(text: string, version: '1' | '2'): OfxStatement {
	const { header: fields, body } = header(text, version);
	const ofx = version === '2' ? parseXml(body) : parseSgml(body);
	if (ofx.name !== 'OFX') throw new Error(`root <${ofx.name}>`);
	const statement = one(ofx, ['STMTTRNRS', 'STMTRS']);
	checkOrder(
		statement,
		['CURDEF', 'BANKACCTFROM', 'BANKTRANLIST', 'LEDGERBAL', 'AVAILBAL'],
		['CURDEF', 'BANKACCTFROM', 'LEDGERBAL'],
	);
	const account = one(statement, ['BANKACCTFROM']);
	checkOrder(
		account,
		['BANKID', 'BRANCHID', 'ACCTID', 'ACCTTYPE', 'ACCTKEY'],
		['BANKID', 'ACCTID', 'ACCTTYPE'],
	);
	const list = select(statement, ['BANKTRANLIST'])[0];
	if (list) checkOrder(list, ['DTSTART', 'DTEND', 'STMTTRN'], ['DTSTART', 'DTEND']);
	const transactions = (list ? list.children.filter((c) => c.name === 'STMTTRN') : []).map(
		(trn) => {
			checkOrder(
				trn,
				[
					'TRNTYPE',
					'DTPOSTED',
					'DTUSER',
					'DTAVAIL',
					'TRNAMT',
					'FITID',
					'CORRECTFITID',
					'CORRECTACTION',
					'SRVRTID',
					'CHECKNUM',
					'REFNUM',
					'SIC',
					'PAYEEID',
					'NAME',
					'PAYEE',
					'EXTDNAME',
					'BANKACCTTO',
					'CCACCTTO',
					'MEMO',
					'IMAGEDATA',
					'CURRENCY',
					'ORIGCURRENCY',
					'INV401KSOURCE',
				],
				['TRNTYPE', 'DTPOSTED', 'TRNAMT', 'FITID'],
			);
			return {
				type: child(trn, 'TRNTYPE') as string,
				posted: child(trn, 'DTPOSTED') as string,
				available: child(trn, 'DTAVAIL'),
				amount: child(trn, 'TRNAMT') as string,
				fitid: child(trn, 'FITID') as string,
				name: child(trn, 'NAME'),
				memo: child(trn, 'MEMO'),
			};
		},
	);
	const ledger = one(statement, ['LEDGERBAL']);
	checkOrder(ledger, ['BALAMT', 'DTASOF'], ['BALAMT', 'DTASOF']);
	return {
		header: fields,
		currency: child(statement, 'CURDEF') as string,
		bankId: child(account, 'BANKID') as string,
		accountId: child(account, 'ACCTID') as string,
		accountType: child(account, 'ACCTTYPE') as string,
		ledgerBalance: child(ledger, 'BALAMT') as string,
		transactions,
	};
}

/** An OFX date-time (`YYYYMMDDHHMMSS[.XXX][[gmt offset[:tz name]]]`) as an ISO instant. */
export function ofxInstant(value: string): string {
	const match =
		/^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})(?:\.\d{3})?)?(?:\[([+-]?\d+(?:\.\d+)?)(?::[A-Z]+)?\])?$/.exec(
			value,
		);
	if (!match) throw new Error(`not an OFX date: ${value}`);
	const [, y, mo, d, h = '00', mi = '00', s = '00', offset = '0'] = match;
	const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - Number(offset) * 3_600_000;
	return new Date(utc).toISOString().replace('.000Z', 'Z');
}
