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

function render(children: Node[], separator: string): string {
	const out: string[] = [];
	const walk = (node: Node): void => {
		if (Array.isArray(node)) node.forEach(walk);
		else if (typeof node === 'string' && node !== '') out.push(node);
	};
	children.forEach(walk);
	return out.join(separator);
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
	return isIban(value) ? `<Id><IBAN>${value}</IBAN></Id>` : el('Id', el('Othr', leaf('Id', value, 34)));
}

function balance(code: 'OPBD' | 'CLBD', cents: number, currency: string, date: string): string | null {
	return el('Bal', el('Tp', el('CdOrPrtry', `<Cd>${code}</Cd>`)), amt(cents, currency), creditDebit(cents), el('Dt', `<Dt>${date}</Dt>`));
}

/** Domn/Fmly/SubFmlyCd from 'PMNT-RCDT-ESCT', else Prtry/Cd; an empty BkTxCd when neither. */
function bankTransactionCode(line: StatementLine): string {
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
	if (line.remittanceInformationType === 'structured' && isCreditorReference(compact)) return `<RmtInf>${scor('ISO', compact)}</RmtInf>`;
	return el('RmtInf', wrapWords(text, 140).map((piece) => leaf('Ustrd', piece, 140)));
}

function relatedParties(line: StatementLine): string | null {
	const credit = line.amountCents >= 0;
	const creditorId = !credit && line.creditorId ? el('Id', el('PrvtId', el('Othr', leaf('Id', line.creditorId), el('SchmeNm', '<Prtry>SEPA</Prtry>')))) : null;
	const party = el(credit ? 'Dbtr' : 'Cdtr', leaf('Nm', line.counterpartName, 140), creditorId);
	const account = el(credit ? 'DbtrAcct' : 'CdtrAcct', accountId(line.counterpartReference));
	return el('RltdPties', party, account);
}

function entry(line: StatementLine, currency: string): string | null {
	const endToEnd = leaf('EndToEndId', line.endToEndId);
	return el(
		'Ntry',
		amt(line.amountCents, currency),
		creditDebit(line.amountCents),
		'<Sts>BOOK</Sts>',
		`<BookgDt><Dt>${line.bookingDate}</Dt></BookgDt>`,
		`<ValDt><Dt>${line.valueDate}</Dt></ValDt>`,
		leaf('AcctSvcrRef', camtReference(line.id)),
		bankTransactionCode(line),
		el(
			'NtryDtls',
			el(
				'TxDtls',
				el('Refs', leaf('AcctSvcrRef', camtReference(line.id)), endToEnd, leaf('MndtId', line.mandateId)),
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
			el('TtlCdtNtries', `<NbOfNtries>${totals.credits}</NbOfNtries>`, `<Sum>${formatCents(totals.credit)}</Sum>`),
			el('TtlDbtNtries', `<NbOfNtries>${totals.debits}</NbOfNtries>`, `<Sum>${formatCents(totals.debit)}</Sum>`),
		),
		statement.lines.length ? ENTRIES : null,
	);
	const document = el('Document', el('BkToCstmrStmt', el('GrpHdr', leaf('MsgId', id), `<CreDtTm>${created}</CreDtTm>`), stmt));
	// The entries are laid out one by one into the small skeleton: a 100,000-line statement is
	// then joined once, not copied by every enclosing element and re-tokenized as a whole.
	const skeleton = prettyPrint((document ?? '').replace('<Document>', `<Document xmlns="${NAMESPACE}">`));
	const [before, after = ''] = skeleton.split(ENTRIES);
	const entries = statement.lines.map((line) => prettyPrint(entry(line, currency) ?? '', ENTRY_DEPTH));
	return `<?xml version="1.0" encoding="UTF-8"?>\n${entries.length ? [before, ...entries].join('\n') + after : skeleton}\n`;
}

/** Stands for the entries in the skeleton; never in escaped XML text. */
const ENTRIES = '\u0000';
/** Document > BkToCstmrStmt > Stmt > Ntry. */
const ENTRY_DEPTH = 3;

/** Puts every element on its own line, indented by two spaces per level (text content untouched). */
function prettyPrint(xml: string, startDepth = 0): string {
	const tokens = xml.match(/<[^>]+>[^<]*/g) ?? [];
	const lines: string[] = [];
	let depth = startDepth;
	for (let i = 0; i < tokens.length; i++) {
		const token = tokens[i];
		if (token.startsWith('</')) {
			depth--;
			lines.push(`${'  '.repeat(depth)}${token}`);
		} else if (token.endsWith('/>')) {
			lines.push(`${'  '.repeat(depth)}${token}`);
		} else if (tokens[i + 1]?.startsWith('</') && !token.endsWith('>')) {
			lines.push(`${'  '.repeat(depth)}${token}${tokens[i + 1]}`);
			i++;
		} else {
			lines.push(`${'  '.repeat(depth)}${token}`);
			depth++;
		}
	}
	return lines.join('\n');
}
