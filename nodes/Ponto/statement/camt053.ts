// ISO 20022 camt.053.001.02 (BankToCustomerStatementV02) writer: one Stmt per file, valid
// against test/fixtures/iso20022/camt.053.001.02.xsd, shaped for what the Odoo importers read
// (docs/camt053.md §4). UTF-8 text; every value escaped and cut to its schema length.
import type { Statement, StatementLine } from './model';
import { formatCents } from './model';
import {
	assertStatementTies,
	escapeXml,
	isBic,
	isCreditorReference,
	isIban,
	movementTotals,
	oneLine,
	truncate,
	utcDateTime,
	wrapWords,
} from './text';
import { TextOutput } from './output';

const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02';

type Node = string | Node[] | null | false | undefined;

/** One element with escaped, trimmed text cut to `max` characters, or nothing when empty. */
function leaf(name: string, value: string | null | undefined, max = 35): string | null {
	const text = truncate(oneLine(value), max);
	return text ? `<${name}>${escapeXml(text)}</${name}>` : null;
}

/** An element around children; nothing when every child is empty. */
function el(name: string, ...children: Node[]): string | null {
	const inner = render(children, '');
	return inner ? `<${name}>${inner}</${name}>` : null;
}

/** The children's text, nested arrays flattened, empty ones skipped (no closure: it runs per element). */
function render(children: Node[], inner: string): string {
	for (let index = 0; index < children.length; index++) {
		const node = children[index];
		if (typeof node === 'string') inner += node;
		else if (Array.isArray(node)) inner = render(node, inner);
	}
	return inner;
}

/** Unsigned amount with its currency (the sign is CdtDbtInd). */
function amt(cents: number, currency: string): string {
	return `<Amt Ccy="${escapeXml(currency)}">${formatCents(Math.abs(cents))}</Amt>`;
}

function creditDebit(cents: number): string {
	return `<CdtDbtInd>${cents < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd>`;
}

/** Max35Text value that stays stable per source id: as is, without dashes, or cut with a hash. */
export function camtReference(id: string): string {
	const trimmed = oneLine(id);
	if (trimmed.length <= 35) return trimmed;
	const compact = trimmed.replace(/-/g, '');
	if (compact.length <= 35) return compact;
	let hash = 0x811c9dc5;
	for (const ch of trimmed) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
	return `${trimmed.slice(0, 26)}-${hash.toString(16).padStart(8, '0')}`;
}

function accountId(reference: string | null | undefined): string | null {
	const value = oneLine(reference).replace(/\s+/g, '').toUpperCase();
	if (!value) return null;
	return remembered(ACCOUNT_IDS, value, () =>
		isIban(value) ? `<Id><IBAN>${value}</IBAN></Id>` : el('Id', el('Othr', leaf('Id', value, 34))),
	);
}

/**
 * Counterpart accounts and transaction codes repeat from line to line: their XML (a pure
 * function of the value) is made once per value. Bounded, so a file of distinct values does
 * not grow it without end.
 */
const ACCOUNT_IDS = new Map<string, string | null>();
const TRANSACTION_CODES = new Map<string, string>();
const REMEMBERED_VALUES = 10_000;

function remembered<T>(cache: Map<string, T>, key: string, make: () => T): T {
	const known = cache.get(key);
	if (known !== undefined || cache.has(key)) return known as T;
	if (cache.size >= REMEMBERED_VALUES) cache.clear();
	const value = make();
	cache.set(key, value);
	return value;
}

function balance(
	code: 'OPBD' | 'CLBD',
	cents: number,
	currency: string,
	date: string,
): string | null {
	return el(
		'Bal',
		el('Tp', el('CdOrPrtry', `<Cd>${code}</Cd>`)),
		amt(cents, currency),
		creditDebit(cents),
		el('Dt', `<Dt>${date}</Dt>`),
	);
}

/** Domn/Fmly/SubFmlyCd from 'PMNT-RCDT-ESCT', else Prtry/Cd; an empty BkTxCd when neither. */
function bankTransactionCode(line: StatementLine): string {
	return remembered(
		TRANSACTION_CODES,
		`${line.bankTransactionCode ?? ''}\u0000${line.proprietaryBankTransactionCode ?? ''}`,
		() => transactionCode(line),
	);
}

function transactionCode(
	line: Pick<StatementLine, 'bankTransactionCode' | 'proprietaryBankTransactionCode'>,
): string {
	const parts = oneLine(line.bankTransactionCode).split('-');
	if (parts.length === 3 && parts.every((part) => /^[A-Za-z0-9]{1,4}$/.test(part))) {
		const [domain, family, subFamily] = parts.map((part) => part.toUpperCase());
		return `<BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${subFamily}</SubFmlyCd></Fmly></Domn></BkTxCd>`;
	}
	return el('BkTxCd', el('Prtry', leaf('Cd', line.proprietaryBankTransactionCode))) ?? '<BkTxCd/>';
}

/** Belgian structured communication (SCOR/BBA), an ISO 11649 RF reference (SCOR/ISO), or free text. */
function remittance(line: StatementLine): string | null {
	const scor = (issuer: string, reference: string): string =>
		`<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>${issuer}</Issr></Tp><Ref>${reference}</Ref></CdtrRefInf></Strd>`;
	if (line.structuredReference) return `<RmtInf>${scor('BBA', line.structuredReference)}</RmtInf>`;
	const text = oneLine(line.remittanceInformation);
	const compact = text.replace(/\s+/g, '').toUpperCase();
	if (line.remittanceInformationType === 'structured' && isCreditorReference(compact))
		return `<RmtInf>${scor('ISO', compact)}</RmtInf>`;
	return el(
		'RmtInf',
		wrapWords(text, 140).map((piece) => leaf('Ustrd', piece, 140)),
	);
}

function relatedParties(line: StatementLine): string | null {
	const credit = line.amountCents >= 0;
	const creditorId =
		!credit && line.creditorId
			? el(
					'Id',
					el(
						'PrvtId',
						el('Othr', leaf('Id', line.creditorId), el('SchmeNm', '<Prtry>SEPA</Prtry>')),
					),
				)
			: null;
	const party = el(credit ? 'Dbtr' : 'Cdtr', leaf('Nm', line.counterpartName, 140), creditorId);
	const account = el(credit ? 'DbtrAcct' : 'CdtrAcct', accountId(line.counterpartReference));
	return el('RltdPties', party, account);
}

function entry(line: StatementLine, currency: string): string | null {
	const endToEnd = leaf('EndToEndId', line.endToEndId);
	const reference = leaf('AcctSvcrRef', camtReference(line.id));
	return el(
		'Ntry',
		amt(line.amountCents, currency),
		creditDebit(line.amountCents),
		'<Sts>BOOK</Sts>',
		`<BookgDt><Dt>${line.bookingDate}</Dt></BookgDt>`,
		`<ValDt><Dt>${line.valueDate}</Dt></ValDt>`,
		reference,
		bankTransactionCode(line),
		el(
			'NtryDtls',
			el(
				'TxDtls',
				el('Refs', reference, endToEnd, leaf('MndtId', line.mandateId)),
				relatedParties(line),
				el('Purp', leaf('Cd', line.purposeCode, 4)),
				remittance(line),
			),
		),
		leaf('AddtlNtryInf', line.additionalInformation || line.description, 500),
	);
}

/** The statement as a camt.053.001.02 XML document (UTF-8, LF line ends). */
export function writeCamt053(statement: Statement): string {
	const output = new TextOutput();
	camt053To(statement, output);
	return output.text();
}

/** The same document as UTF-8 bytes, without a string of the whole file in between. */
export function camt053Bytes(statement: Statement): Buffer {
	const output = new TextOutput('utf8');
	camt053To(statement, output);
	return output.bytes();
}

function camt053To(statement: Statement, output: TextOutput): void {
	assertStatementTies(statement);
	const { account } = statement;
	const currency = account.currency;
	const totals = movementTotals(statement);
	const net = totals.credit - totals.debit;
	const id = camtReference(statement.id);
	const created = utcDateTime(statement.createdAt);
	const stmt = el(
		'Stmt',
		leaf('Id', id),
		`<ElctrncSeqNb>${Math.max(0, Math.trunc(statement.sequenceNumber))}</ElctrncSeqNb>`,
		`<CreDtTm>${created}</CreDtTm>`,
		`<FrToDt><FrDtTm>${statement.from}T00:00:00</FrDtTm><ToDtTm>${statement.to}T23:59:59</ToDtTm></FrToDt>`,
		el(
			'Acct',
			accountId(account.iban),
			`<Ccy>${currency}</Ccy>`,
			leaf('Nm', account.description, 70),
			el('Ownr', leaf('Nm', account.holderName, 140)),
			isBic(account.bic) ? `<Svcr><FinInstnId><BIC>${account.bic}</BIC></FinInstnId></Svcr>` : null,
		),
		balance('OPBD', statement.openingBalanceCents, currency, statement.from),
		balance('CLBD', statement.closingBalanceCents, currency, statement.to),
		el(
			'TxsSummry',
			el(
				'TtlNtries',
				`<NbOfNtries>${statement.lines.length}</NbOfNtries>`,
				`<Sum>${formatCents(totals.credit + totals.debit)}</Sum>`,
				`<TtlNetNtryAmt>${formatCents(Math.abs(net))}</TtlNetNtryAmt>`,
				creditDebit(net),
			),
			el(
				'TtlCdtNtries',
				`<NbOfNtries>${totals.credits}</NbOfNtries>`,
				`<Sum>${formatCents(totals.credit)}</Sum>`,
			),
			el(
				'TtlDbtNtries',
				`<NbOfNtries>${totals.debits}</NbOfNtries>`,
				`<Sum>${formatCents(totals.debit)}</Sum>`,
			),
		),
		statement.lines.length ? ENTRIES : null,
	);
	const document = el(
		'Document',
		el('BkToCstmrStmt', el('GrpHdr', leaf('MsgId', id), `<CreDtTm>${created}</CreDtTm>`), stmt),
	);
	// The entries are laid out one by one into the small skeleton, straight into the output:
	// a 100,000-line statement is never held as one string per line nor copied by every
	// enclosing element.
	output.push('<?xml version="1.0" encoding="UTF-8"?>\n');
	const skeleton = (document ?? '').replace('<Document>', `<Document xmlns="${NAMESPACE}">`);
	const [before, after = ''] = skeleton.split(ENTRIES);
	output.push(prettyPrint(before, 0).slice(1));
	const lines = statement.lines;
	const opening = output.written;
	for (let index = 0; index < lines.length; index++) {
		output.push(prettyPrint(entry(lines[index], currency) ?? '', ENTRY_DEPTH));
		// Entries are much alike: the first ones foretell the size of the file (with a margin).
		if (index === SIZE_SAMPLE - 1 && lines.length > 4 * SIZE_SAMPLE) {
			output.reserve(
				opening +
					((output.written - opening) / SIZE_SAMPLE) * lines.length * 1.06 +
					after.length * 2 +
					4096,
			);
		}
	}
	output.push(prettyPrint(after, ENTRY_DEPTH));
	output.push('\n');
}

/** Entries written before the size of the file is foreseen. */
const SIZE_SAMPLE = 1000;

/** Stands for the entries in the skeleton; never in escaped XML text. */
const ENTRIES = '\u0000';
/** Document > BkToCstmrStmt > Stmt > Ntry. */
const ENTRY_DEPTH = 3;

/** A line feed and the indentation of a depth, one string per depth. */
const NEW_LINES = Array.from({ length: 16 }, (_, depth) => `\n${'  '.repeat(depth)}`);
const newLine = (depth: number): string =>
	NEW_LINES[depth] ?? `\n${'  '.repeat(Math.max(0, depth))}`;

/**
 * Puts every element on its own line, indented by two spaces per level (text content
 * untouched), each line after a line feed. A tag is read from `<` to `>`, then its text up to
 * the next `<`: an element holding only text stays on one line.
 */
function prettyPrint(xml: string, startDepth: number): string {
	let text = '';
	let depth = startDepth;
	const length = xml.length;
	let start = xml.indexOf('<');
	while (start !== -1) {
		const tagEnd = xml.indexOf('>', start + 1) + 1;
		if (tagEnd === 0) return text;
		let next = xml.indexOf('<', tagEnd);
		let end = next === -1 ? length : next;
		const closing = xml.charCodeAt(start + 1) === SLASH;
		if (closing) depth--;
		const lineDepth = depth;
		if (closing || (end === tagEnd && xml.charCodeAt(tagEnd - 2) === SLASH)) {
			// a closing tag, or an empty element <Tag/>: the depth of the lines after it is set
		} else if (next !== -1 && end > tagEnd && xml.charCodeAt(next + 1) === SLASH) {
			// <Tag>text</Tag> on one line; the closing tag runs to the next '<' like any token.
			const closeEnd = xml.indexOf('>', next + 1) + 1;
			next = closeEnd === 0 ? -1 : xml.indexOf('<', closeEnd);
			end = next === -1 ? length : next;
		} else {
			depth++;
		}
		text += newLine(lineDepth) + xml.slice(start, end);
		start = next;
	}
	return text;
}

const SLASH = 0x2f;
