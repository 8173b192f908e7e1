// Deterministic dataset generator: institutions, accounts, transactions, initial synchronizations.
import { fromCents, randomIban, toCents } from './banking';
import { Random } from './prng';
import { DAY_MS, generateTransactions } from './transactions';
import type {
	AccountAttributes,
	AccountRecord,
	Dataset,
	EdgeCaseIndex,
	FinancialInstitutionAttributes,
	FinancialInstitutionRecord,
	SynchronizationRecord,
	SynchronizationSubtype,
} from './types';
import { HOLDER_NAMES } from './vocabulary';
import type { BankActivity } from './synchronizations';

export interface InstitutionSpec extends Partial<FinancialInstitutionAttributes> {
	id?: string;
	name: string;
}

export interface AccountSpec {
	id?: string;
	/** Index into the institutions, or an institution id or name. Default 0. */
	institution?: number | string;
	currency?: string;
	subtype?: AccountAttributes['subtype'];
	description?: string;
	product?: string | null;
	holderName?: string | null;
	/** IBAN; default a valid random one of the institution's country. */
	reference?: string;
	deprecated?: boolean;
	/** Booked transactions. Default 50. */
	transactions?: number;
	pendingTransactions?: number;
	/** Balance before the oldest transaction. Ignored when currentBalance is given. */
	openingBalance?: number;
	/** Wanted current balance; the opening balance is derived from it. */
	currentBalance?: number;
	/** Days until authorizationExpirationExpectedAt (negative = already expired). Default 75. */
	authorizationExpiresInDays?: number;
	/** Days of history before endDate. Default 395 (about 13 months). */
	historyDays?: number;
	/** Last day of history, 'YYYY-MM-DD' (UTC). Default: the day of `now`. */
	endDate?: string;
	/** createdAt = executionDate + 2 h + up to this many hours (ordering noise). Default 48. */
	maxBookingDelayHours?: number;
	/** Put the edge cases (EdgeCaseIndex) into this account; needs >= 300 transactions. */
	edgeCases?: boolean;
}

export interface DatasetSpec {
	seed?: number;
	/** Reference time for createdAt and synchronization times. Default: the real time. */
	now?: Date | string;
	organizationId?: string;
	/** Default: three small institutions (BE stable, NL beta, international). */
	institutions?: InstitutionSpec[];
	/** Default: one account per institution (the first one with the edge cases). */
	accounts?: AccountSpec[];
}

const ZONES: Record<string, string> = {
	BE: 'Europe/Brussels',
	NL: 'Europe/Amsterdam',
	DE: 'Europe/Berlin',
	FR: 'Europe/Paris',
	LU: 'Europe/Luxembourg',
};

export const DEFAULT_INSTITUTIONS: InstitutionSpec[] = [
	{ name: 'Scheldt Bank', country: 'BE', bic: 'SCHDBEBB' },
	{ name: 'Noordzee Bank', country: 'NL', bic: 'NRDZNL2A', status: 'beta' },
	{
		name: 'Orbit Money',
		country: null,
		bic: 'ORBTBEB1',
		paymentsEnabled: false,
		bulkPaymentsEnabled: false,
	},
];

export const DEFAULT_ACCOUNTS: AccountSpec[] = [
	{
		institution: 0,
		transactions: 320,
		pendingTransactions: 5,
		edgeCases: true,
		description: 'Current account',
		product: 'Business account',
	},
	{
		institution: 1,
		transactions: 30,
		subtype: 'savings',
		description: 'Savings account',
		product: 'Savings',
	},
	{
		institution: 2,
		transactions: 12,
		pendingTransactions: 2,
		currency: 'USD',
		description: 'USD account',
		product: null,
	},
];

function slug(name: string): string {
	return name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

function buildInstitution(rng: Random, spec: InstitutionSpec): FinancialInstitutionRecord {
	const country = spec.country === undefined ? 'BE' : spec.country;
	const payments = spec.paymentsEnabled ?? true;
	const attributes: FinancialInstitutionAttributes = {
		name: spec.name,
		bic: `${spec.name
			.replace(/[^A-Za-z]/g, '')
			.toUpperCase()
			.padEnd(4, 'X')
			.slice(0, 4)}${country ?? 'BE'}BB`,
		country,
		logoUrl: `https://logos.ponto-emulator.invalid/${slug(spec.name)}.png`,
		primaryColor: `#${rng.hex(6)}`,
		secondaryColor: `#${rng.hex(6)}`,
		status: 'stable',
		deprecated: false,
		maintenanceType: null,
		maintenanceFrom: null,
		maintenanceTo: null,
		sharedBrandName: null,
		sharedBrandReference: null,
		paymentsEnabled: payments,
		bulkPaymentsEnabled: payments,
		periodicPaymentsEnabled: false,
		paymentsProductTypes: payments ? ['sepaCreditTransfer'] : [],
		bulkPaymentsProductTypes: payments ? ['sepaCreditTransfer'] : [],
		periodicPaymentsProductTypes: [],
		futureDatedPaymentsAllowed: payments,
		timeZone: (country && ZONES[country]) || 'Europe/Brussels',
	};
	const { id, ...overrides } = spec;
	return { id: id ?? rng.uuid(), attributes: { ...attributes, ...overrides, country } };
}

function resolveInstitution(
	institutions: FinancialInstitutionRecord[],
	ref: number | string | undefined,
): FinancialInstitutionRecord {
	const found =
		typeof ref === 'string'
			? institutions.find((fi) => fi.id === ref || fi.attributes.name === ref)
			: institutions[ref ?? 0];
	if (!found) throw new Error(`account spec refers to unknown institution ${String(ref)}`);
	return found;
}

function initialSync(
	rng: Random,
	accountId: string,
	subtype: SynchronizationSubtype,
	endMs: number,
): SynchronizationRecord {
	const iso = new Date(endMs).toISOString();
	return {
		id: rng.uuid(),
		attributes: {
			resourceType: 'account',
			resourceId: accountId,
			subtype,
			status: 'success',
			errors: [],
			createdAt: new Date(endMs - 600).toISOString(),
			updatedAt: iso,
		},
		updatedTransactionIds: [],
		updatedPendingTransactionIds: [],
		unattended: false,
		finished: true,
	};
}

/** Per-account PRNG stream: changing one account's spec does not reshuffle the others. */
function accountRandom(seed: number, index: number): Random {
	return new Random((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}

export function generateDataset(spec: DatasetSpec = {}): Dataset {
	const seed = spec.seed ?? 1;
	const rng = new Random(seed);
	const nowMs = spec.now === undefined ? Date.now() : new Date(spec.now).getTime();
	const todayMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
	const organizationId = spec.organizationId ?? rng.uuid();
	const institutions = (spec.institutions ?? DEFAULT_INSTITUTIONS).map((s) =>
		buildInstitution(rng, s),
	);
	const accountSpecs: AccountSpec[] =
		spec.accounts ??
		(spec.institutions ? institutions.map((_, i) => ({ institution: i })) : DEFAULT_ACCOUNTS);
	const synchronizations: SynchronizationRecord[] = [];
	let edgeCases: EdgeCaseIndex | null = null;

	const accounts = accountSpecs.map((a, index): AccountRecord => {
		const arng = accountRandom(seed, index);
		const fi = resolveInstitution(institutions, a.institution);
		const id = a.id ?? arng.uuid();
		const currency = a.currency ?? 'EUR';
		const endDayMs = a.endDate ? Date.parse(`${a.endDate}T00:00:00.000Z`) : todayMs;
		const generated = generateTransactions({
			rng: arng,
			currency,
			country: fi.attributes.country,
			count: a.transactions ?? 50,
			pendingCount: a.pendingTransactions ?? 0,
			historyDays: a.historyDays ?? 395,
			endDayMs,
			nowMs,
			maxBookingDelayHours: a.maxBookingDelayHours ?? 48,
			edgeCases: a.edgeCases === true,
		});
		if (generated.edgeCases && !edgeCases) edgeCases = { accountId: id, ...generated.edgeCases };
		let sumCents = 0;
		let latestExecution = '';
		for (const t of generated.transactions) {
			sumCents += toCents(t.attributes.amount);
			if (t.attributes.executionDate > latestExecution)
				latestExecution = t.attributes.executionDate;
		}
		const openingCents =
			a.currentBalance !== undefined
				? toCents(a.currentBalance) - sumCents
				: a.openingBalance !== undefined
					? toCents(a.openingBalance)
					: arng.int(100_000, 2_500_000);
		const detailsSync = initialSync(arng, id, 'accountDetails', nowMs - 3 * 60_000);
		const transactionsSync = initialSync(
			arng,
			id,
			'accountTransactionsWithUnsettled',
			nowMs - 2 * 60_000,
		);
		const recent = new Date(nowMs - 2 * DAY_MS).toISOString();
		transactionsSync.updatedTransactionIds = generated.transactions
			.filter((t) => t.attributes.createdAt > recent)
			.map((t) => t.id);
		transactionsSync.updatedPendingTransactionIds = generated.pendingTransactions.map((t) => t.id);
		synchronizations.push(detailsSync, transactionsSync);
		const changedAt =
			generated.transactions[0]?.attributes.createdAt ?? detailsSync.attributes.updatedAt;
		const referenceDate = latestExecution || new Date(todayMs).toISOString();
		const expiresInDays = a.authorizationExpiresInDays ?? 75;
		const balance = fromCents(openingCents + sumCents);
		const holderName = a.holderName === undefined ? arng.pick(HOLDER_NAMES) : a.holderName;
		const meta = {
			synchronizedAt: transactionsSync.attributes.updatedAt,
			latestSynchronization: transactionsSync,
		};
		return {
			id,
			financialInstitutionId: fi.id,
			attributes: {
				subtype: a.subtype ?? 'checking',
				referenceType: 'IBAN',
				reference:
					a.reference ??
					randomIban(
						fi.attributes.country,
						(n) => arng.digits(n),
						() => 'DEMO',
					),
				product: a.product === undefined ? 'Current account' : a.product,
				internalReference: arng.uuid(),
				holderName,
				description: a.description ?? 'Current account',
				deprecated: a.deprecated ?? false,
				currency,
				currentBalance: balance,
				currentBalanceChangedAt: changedAt,
				currentBalanceReferenceDate: referenceDate,
				currentBalanceVariationObservedAt: changedAt,
				availableBalance: balance,
				availableBalanceChangedAt: changedAt,
				availableBalanceReferenceDate: referenceDate,
				availableBalanceVariationObservedAt: changedAt,
				authorizedAt: new Date(nowMs - (90 - expiresInDays) * DAY_MS).toISOString(),
				authorizationExpirationExpectedAt: new Date(nowMs + expiresInDays * DAY_MS).toISOString(),
			},
			openingBalanceCents: openingCents,
			transactions: generated.transactions,
			pendingTransactions: generated.pendingTransactions,
			bankQueue: { transactions: [], pendingTransactions: [] },
			syncMeta: {
				account: { ...meta },
				transactions: { ...meta },
				pendingTransactions: { ...meta },
			},
			availability: 'available',
		};
	});
	return {
		seed,
		organizationId,
		financialInstitutions: institutions,
		accounts,
		synchronizations,
		edgeCases,
	};
}

/** The small default: 3 institutions, 3 accounts (362 booked transactions, 7 pending), edge cases in the first. */
export function defaultDataset(seed = 1): Dataset {
	return generateDataset({ seed });
}

/**
 * Demo data: five banks (one beta, one in maintenance, one deprecated, one international),
 * six accounts in EUR and one in USD, ~3,300 transactions over the last 13 months up to today.
 */
/** The demo's bank: 1-3 new bookings per synchronization, and Ponto's own refresh every 2 minutes. */
export const DEMO_BANK_ACTIVITY: BankActivity = {
	perSynchronization: [1, 3],
	refreshEveryMs: 2 * 60_000,
};

export function demoDataset(options: { seed?: number; now?: Date | string } = {}): Dataset {
	const nowMs = options.now === undefined ? Date.now() : new Date(options.now).getTime();
	return generateDataset({
		seed: options.seed ?? 42,
		now: new Date(nowMs),
		institutions: [
			{
				name: 'Scheldt Bank',
				country: 'BE',
				bic: 'SCHDBEBB',
				sharedBrandName: 'Scheldt',
				sharedBrandReference: 'scheldt',
			},
			{ name: 'Banque Ardennaise', country: 'BE', bic: 'ARDNBEB1', status: 'beta' },
			{
				name: 'Noordzee Bank',
				country: 'NL',
				bic: 'NRDZNL2A',
				maintenanceType: 'financialInstitution',
				maintenanceFrom: new Date(nowMs - 3_600_000).toISOString(),
				maintenanceTo: new Date(nowMs + 5 * 3_600_000).toISOString(),
			},
			{
				name: 'Rhein Handelsbank',
				country: 'DE',
				bic: 'RHEIDEFF',
				status: 'experimental',
				deprecated: true,
			},
			{
				name: 'Orbit Money',
				country: null,
				bic: 'ORBTBEB1',
				paymentsEnabled: false,
				bulkPaymentsEnabled: false,
			},
		],
		accounts: [
			{
				institution: 0,
				transactions: 1400,
				pendingTransactions: 6,
				edgeCases: true,
				holderName: 'Demo Company BV',
				description: 'Main account',
				product: 'Business account',
			},
			{
				institution: 0,
				transactions: 60,
				subtype: 'savings',
				holderName: 'Demo Company BV',
				description: 'Savings',
				product: 'Savings account',
			},
			{
				institution: 1,
				transactions: 700,
				pendingTransactions: 4,
				holderName: 'Demo Company BV',
				description: 'Operations',
			},
			{
				institution: 2,
				transactions: 500,
				authorizationExpiresInDays: 6,
				holderName: 'Demo Company BV',
				description: 'Dutch branch',
			},
			{
				institution: 3,
				transactions: 250,
				holderName: 'Demo Company BV',
				description: 'German branch',
			},
			{
				institution: 4,
				transactions: 350,
				pendingTransactions: 3,
				currency: 'USD',
				holderName: 'Demo Company BV',
				description: 'USD account',
				product: null,
			},
		],
	});
}
