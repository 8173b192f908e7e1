// Transaction generator: realistic booked and pending transactions for one account, plus the
// edge cases tests need (see EdgeCaseIndex in types.ts), deterministic for a given Random.
import { fromCents, randomIban, structuredCommunication } from './banking';
import type { Random } from './prng';
import type { EdgeCaseIndex, TransactionAttributes, TransactionResource } from './types';
import {
	CITY_LETTERS,
	CUSTOMERS,
	MERCHANTS,
	NON_ASCII_NAMES,
	SUPPLIERS,
	UTILITIES,
} from './vocabulary';

// Hot-loop aliases: global lookups are slow inside jest's vm context (see prng.ts).
const { floor, max, min } = Math;
const NativeDate = Date;

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Edge cases need room: 152 same-day transactions in the middle plus ~60 slots at the newest end. */
export const MIN_TRANSACTIONS_FOR_EDGE_CASES = 300;
const EXACT_CENTS = [10, 20, -30, -123456, 1234567, -1];

interface Kind {
	weight: number;
	description: string;
	sign: 1 | -1;
	minCents: number;
	maxCents: number;
	btc: string;
	proprietary: string;
	counterparts: readonly string[];
	structuredShare: number;
	card?: boolean;
	directDebit?: boolean;
}

const KINDS: Kind[] = [
	{
		weight: 40,
		description: 'Card payment',
		sign: -1,
		minCents: 250,
		maxCents: 15000,
		btc: 'PMNT-CCRD-POSD',
		proprietary: '04300',
		counterparts: MERCHANTS,
		structuredShare: 0,
		card: true,
	},
	{
		weight: 20,
		description: 'Wire transfer',
		sign: -1,
		minCents: 5000,
		maxCents: 300000,
		btc: 'PMNT-ICDT-ESCT',
		proprietary: '01500',
		counterparts: SUPPLIERS,
		structuredShare: 0.4,
	},
	{
		weight: 20,
		description: 'Incoming transfer',
		sign: 1,
		minCents: 10000,
		maxCents: 800000,
		btc: 'PMNT-RCDT-ESCT',
		proprietary: '01501',
		counterparts: CUSTOMERS,
		structuredShare: 0.3,
	},
	{
		weight: 12,
		description: 'Direct debit',
		sign: -1,
		minCents: 2000,
		maxCents: 50000,
		btc: 'PMNT-RDDT-ESDD',
		proprietary: '05000',
		counterparts: UTILITIES,
		structuredShare: 0,
		directDebit: true,
	},
	{
		weight: 4,
		description: 'Bank fees',
		sign: -1,
		minCents: 50,
		maxCents: 1500,
		btc: 'ACMT-MDOP-CHRG',
		proprietary: '35000',
		counterparts: [],
		structuredShare: 0,
	},
	{
		weight: 4,
		description: 'Interest',
		sign: 1,
		minCents: 1,
		maxCents: 2000,
		btc: 'ACMT-MDOP-INTR',
		proprietary: '35100',
		counterparts: [],
		structuredShare: 0,
	},
];
const TOTAL_WEIGHT = KINDS.reduce((sum, k) => sum + k.weight, 0);

export interface TransactionGenerationInput {
	rng: Random;
	currency: string;
	/** Country of the account's institution: counterpart IBANs (null = international, BE IBANs). */
	country: string | null;
	count: number;
	pendingCount: number;
	historyDays: number;
	/** UTC midnight (ms) of the last day of history. */
	endDayMs: number;
	nowMs: number;
	maxBookingDelayHours: number;
	edgeCases: boolean;
}

export interface GeneratedTransactions {
	transactions: TransactionResource[];
	pendingTransactions: TransactionResource[];
	edgeCases: Omit<EdgeCaseIndex, 'accountId'> | null;
}

/** One source of generation state for an account: counterpart IBANs stay stable per name. */
export class TransactionFactory {
	private readonly ibans = new Map<string, string>();
	private readonly days = new Map<number, string>();

	constructor(
		private readonly rng: Random,
		private readonly currency: string,
		private readonly country: string | null,
	) {}

	private ibanFor(name: string): string {
		let value = this.ibans.get(name);
		if (!value) {
			value = randomIban(
				this.country,
				(n) => this.rng.digits(n),
				() => this.letters(4),
			);
			this.ibans.set(name, value);
		}
		return value;
	}

	/** ISO string of a UTC-midnight instant, cached (50k transactions share ~400 days). */
	dayIso(ms: number): string {
		let iso = this.days.get(ms);
		if (!iso) this.days.set(ms, (iso = new Date(ms).toISOString()));
		return iso;
	}

	private letters(n: number): string {
		let out = '';
		for (let i = 0; i < n; i++) out += this.rng.pick(CITY_LETTERS.split(''));
		return out;
	}

	/** A random transaction of a random kind on the given day (dates as ISO strings). */
	random(
		type: TransactionResource['type'],
		executionIso: string,
		executionMs: number,
		createdIso: string,
	): TransactionResource {
		const rng = this.rng;
		let roll = rng.next() * TOTAL_WEIGHT;
		const kind = KINDS.find((k) => (roll -= k.weight) < 0) ?? KINDS[0];
		const cents = kind.sign * rng.int(kind.minCents, kind.maxCents);
		const counterpartName = kind.counterparts.length ? rng.pick(kind.counterparts) : null;
		const structured = kind.structuredShare > 0 && rng.chance(kind.structuredShare);
		let remittance: string;
		if (structured) remittance = structuredCommunication(rng.digits(10));
		else if (kind.card)
			remittance = `Payment with card ****${rng.digits(4)} at ${counterpartName ?? ''}`;
		else if (kind.directDebit) remittance = `Contract ${rng.digits(8)} ${counterpartName ?? ''}`;
		else if (counterpartName) remittance = `Invoice ${executionIso.slice(0, 4)}-${rng.digits(4)}`;
		else remittance = kind.description;
		// Card payments are valued a day or two before they are booked.
		const valueIso =
			kind.card && rng.chance(0.5)
				? this.dayIso(executionMs - DAY_MS * rng.int(1, 2))
				: executionIso;
		const attributes: TransactionAttributes = {
			amount: fromCents(cents),
			currency: this.currency,
			valueDate: valueIso,
			executionDate: executionIso,
			description: kind.description,
			remittanceInformation: remittance,
			remittanceInformationType: structured ? 'structured' : 'unstructured',
			counterpartName,
			counterpartReference: counterpartName && !kind.card ? this.ibanFor(counterpartName) : null,
			bankTransactionCode: kind.btc,
			proprietaryBankTransactionCode: kind.proprietary,
			endToEndId:
				kind.card || !counterpartName ? null : rng.chance(0.3) ? 'NOTPROVIDED' : rng.hex(32),
			purposeCode: kind.directDebit ? 'OTHR' : null,
			mandateId: kind.directDebit ? `MD${rng.digits(9)}` : null,
			creditorId: kind.directDebit ? `BE${rng.digits(2)}ZZZ0${rng.digits(9)}` : null,
			additionalInformation: null,
			cardReference: kind.card ? rng.digits(4) : null,
			cardReferenceType: kind.card ? 'MASKEDPAN' : null,
			internalReference: rng.uuid(),
			digest: rng.hex(64),
			createdAt: createdIso,
			updatedAt: createdIso,
		};
		if (!kind.card && counterpartName && cents < 0 && rng.chance(0.01))
			attributes.fee = fromCents(rng.int(50, 1500));
		return { type, id: rng.uuid(), attributes };
	}

	/** Completes caller-supplied attributes (addTransactions, queued bank data) with realistic defaults. */
	complete(
		type: TransactionResource['type'],
		partial: Partial<TransactionAttributes>,
		createdAtMs: number,
	): TransactionResource {
		const executionIso =
			normalizeDate(partial.executionDate) ??
			new Date(Math.floor(createdAtMs / DAY_MS) * DAY_MS).toISOString();
		const createdIso = normalizeDate(partial.createdAt) ?? new Date(createdAtMs).toISOString();
		const base = this.random(type, executionIso, Date.parse(executionIso), createdIso);
		const attributes: TransactionAttributes = {
			...base.attributes,
			valueDate: executionIso,
			...partial,
		};
		attributes.executionDate = executionIso;
		attributes.valueDate = normalizeDate(partial.valueDate) ?? executionIso;
		attributes.createdAt = createdIso;
		attributes.updatedAt = normalizeDate(partial.updatedAt) ?? createdIso;
		if (partial.amount === undefined) attributes.amount = base.attributes.amount;
		if (partial.fee === undefined) delete attributes.fee;
		return { type, id: base.id, attributes };
	}
}

/** ISO 'YYYY-MM-DD' or any Date-parsable value -> ISO date-time in UTC; undefined stays undefined. */
export function normalizeDate(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) throw new Error(`not a date: ${value}`);
	return new Date(ms).toISOString();
}

/** Spreads n booked transactions over the history, oldest first, fewer on weekends. */
function executionDays(rng: Random, n: number, historyDays: number, endDayMs: number): Int32Array {
	const span = historyDays + 1;
	const startMs = endDayMs - historyDays * DAY_MS;
	const counts = new Int32Array(span);
	for (let i = 0; i < n; i++) {
		let d = floor(rng.next() * span);
		const weekday = (floor(startMs / DAY_MS) + d + 4) % 7; // 1970-01-01 was a Thursday (4)
		if ((weekday === 0 || weekday === 6) && rng.chance(0.7)) d = floor(rng.next() * span);
		counts[d]++;
	}
	const days = new Int32Array(n);
	let k = 0;
	for (let d = 0; d < span; d++) for (let c = 0; c < counts[d]; c++) days[k++] = d;
	return days;
}

/**
 * Booked + pending transactions for one account. createdAt = executionDate + 2 h + a random
 * booking delay of up to maxBookingDelayHours, so listing by creation (the API's order) is
 * only approximately by executionDate, as observed in production (docs/ponto-api.md §5.2).
 */
export function generateTransactions(input: TransactionGenerationInput): GeneratedTransactions {
	const { rng, count: n, nowMs, endDayMs } = input;
	const factory = new TransactionFactory(rng, input.currency, input.country);
	const edge = input.edgeCases;
	if (edge && n < MIN_TRANSACTIONS_FOR_EDGE_CASES) {
		throw new Error(
			`edge cases need an account with at least ${MIN_TRANSACTIONS_FOR_EDGE_CASES} transactions`,
		);
	}
	const startMs = endDayMs - input.historyDays * DAY_MS;
	const days = executionDays(rng, n, input.historyDays, endDayMs);
	const middle = floor(n / 2);
	if (edge) for (let j = middle - 76; j < middle + 76; j++) days[j] = days[middle];
	const isoOfDay = (d: number): string => factory.dayIso(startMs + d * DAY_MS);
	const latestCreated = nowMs - 10 * 60_000;
	const created = new Float64Array(n);
	const items: TransactionResource[] = new Array<TransactionResource>(n);
	for (let i = 0; i < n; i++) {
		const execMs = startMs + days[i] * DAY_MS;
		let c = execMs + 2 * HOUR_MS + floor(rng.next() * input.maxBookingDelayHours * HOUR_MS);
		if (c > latestCreated) c = execMs + floor(rng.next() * max(0, latestCreated - execMs));
		created[i] = c;
		items[i] = factory.random(
			'transaction',
			isoOfDay(days[i]),
			execMs,
			new NativeDate(c).toISOString(),
		);
	}
	const edgeCases = edge ? injectEdgeCases(items, created, rng, nowMs, endDayMs) : null;
	const order = Array.from({ length: n }, (_, i) => i).sort(
		(a, b) => created[b] - created[a] || b - a,
	);
	const transactions = order.map((i) => items[i]);

	const pending: TransactionResource[] = [];
	for (let p = 0; p < input.pendingCount; p++) {
		const execMs = min(endDayMs, floor(nowMs / DAY_MS) * DAY_MS) - rng.int(0, 2) * DAY_MS;
		const c = max(execMs, nowMs - 10 * 60_000 - floor(rng.next() * 36 * HOUR_MS));
		pending.push(
			factory.random(
				'pendingTransaction',
				new NativeDate(execMs).toISOString(),
				execMs,
				new NativeDate(c).toISOString(),
			),
		);
	}
	pending.sort((a, b) => b.attributes.createdAt.localeCompare(a.attributes.createdAt));
	if (edgeCases) {
		const burstDate = isoOfDay(days[middle]);
		edgeCases.sameDayBurst = {
			executionDate: burstDate,
			transactionIds: transactions
				.filter((t) => t.attributes.executionDate === burstDate)
				.map((t) => t.id),
		};
		edgeCases.structuredCommunication = transactions
			.filter((t) => t.attributes.remittanceInformationType === 'structured')
			.map((t) => t.id);
	}
	return { transactions, pendingTransactions: pending, edgeCases };
}

/** Rewrites fixed slots near the newest end (generation index order) into the edge cases. */
function injectEdgeCases(
	items: TransactionResource[],
	created: Float64Array,
	rng: Random,
	nowMs: number,
	endDayMs: number,
): Omit<EdgeCaseIndex, 'accountId'> {
	const n = items.length;
	const slot = (k: number): TransactionResource => items[n - 3 - 3 * k];
	const attrs = (k: number): TransactionAttributes => slot(k).attributes;
	const index: Omit<EdgeCaseIndex, 'accountId'> = {
		sameDayBurst: { executionDate: '', transactionIds: [] },
		valueDateAfterExecutionDate: [],
		structuredCommunication: [],
		emptyRemittance: [],
		missingCounterpart: [],
		nonAsciiCounterpart: [],
		twins: [],
		exactAmounts: [],
		backDated: [],
	};
	for (const k of [0, 1]) {
		attrs(k).valueDate = new NativeDate(
			Date.parse(attrs(k).executionDate) + 2 * DAY_MS,
		).toISOString();
		index.valueDateAfterExecutionDate.push(slot(k).id);
	}
	for (const k of [2, 3]) {
		Object.assign(attrs(k), {
			remittanceInformation: '',
			remittanceInformationType: 'unstructured',
		});
		index.emptyRemittance.push(slot(k).id);
	}
	for (const k of [4, 5]) {
		attrs(k).counterpartName = null;
		delete attrs(k).counterpartReference;
		index.missingCounterpart.push(slot(k).id);
	}
	NON_ASCII_NAMES.forEach((name, j) => {
		attrs(6 + j).counterpartName = name;
		index.nonAsciiCounterpart.push(slot(6 + j).id);
	});
	// Twins: the transaction right after slot 10 becomes an exact copy but for id, digest and bank id.
	const first = n - 3 - 30;
	const twin = items[first + 1];
	twin.attributes = {
		...items[first].attributes,
		internalReference: twin.attributes.internalReference,
		digest: twin.attributes.digest,
		createdAt: twin.attributes.createdAt,
		updatedAt: twin.attributes.updatedAt,
	};
	index.twins.push([items[first].id, twin.id]);
	EXACT_CENTS.forEach((cents, j) => {
		attrs(11 + j).amount = fromCents(cents);
		index.exactAmounts.push({ id: slot(11 + j).id, cents });
	});
	for (const k of [17, 18]) {
		Object.assign(attrs(k), {
			remittanceInformation: structuredCommunication(rng.digits(10)),
			remittanceInformationType: 'structured',
		});
	}
	// Back-dated: booked three weeks ago, but the bank delivered it last -> first in the list.
	const last = items[n - 1];
	const backIso = new NativeDate(endDayMs - 20 * DAY_MS).toISOString();
	created[n - 1] = nowMs - 5 * 60_000;
	const createdIso = new NativeDate(created[n - 1]).toISOString();
	Object.assign(last.attributes, {
		executionDate: backIso,
		valueDate: backIso,
		createdAt: createdIso,
		updatedAt: createdIso,
	});
	index.backDated.push(last.id);
	return index;
}
