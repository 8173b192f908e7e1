import { type SingleDocument } from '../../emulator/client';
import {
	demoDataset,
	generateDataset,
	isValidStructuredCommunication,
	toCents,
	type Dataset,
} from '../../emulator';
import { emu, boot, get } from './context';

describe('data generator', () => {
	const balanced = (data: Dataset): void => {
		for (const account of data.accounts) {
			let cents = account.openingBalanceCents;
			let latest = '';
			const notTwoDecimals: number[] = [];
			for (const t of account.transactions) {
				if (!/^-?\d+(\.\d{1,2})?$/.test(String(t.attributes.amount)))
					notTwoDecimals.push(t.attributes.amount);
				cents += toCents(t.attributes.amount);
				if (t.attributes.executionDate > latest) latest = t.attributes.executionDate;
			}
			expect(notTwoDecimals).toEqual([]);
			expect(toCents(account.attributes.currentBalance)).toBe(cents);
			if (latest) expect(account.attributes.currentBalanceReferenceDate).toBe(latest);
		}
	};

	it('is deterministic for a seed', () => {
		const now = '2025-03-01T10:00:00.000Z';
		expect(JSON.stringify(generateDataset({ seed: 5, now }))).toBe(
			JSON.stringify(generateDataset({ seed: 5, now })),
		);
		expect(generateDataset({ seed: 6, now }).accounts[0].id).not.toBe(
			generateDataset({ seed: 5, now }).accounts[0].id,
		);
	});

	it('contains every edge case, findable through dataset.edgeCases', () => {
		const data = generateDataset({ seed: 1 });
		const edge = data.edgeCases;
		if (!edge) throw new Error('no edge cases');
		const account = data.accounts.find((a) => a.id === edge.accountId);
		if (!account) throw new Error('edge-case account missing');
		const list = account.transactions;
		const byId = new Map(list.map((t, i) => [t.id, { t, i }]));
		const attrs = (id: string) => byId.get(id)?.t.attributes ?? (undefined as never);
		const burst = edge.sameDayBurst.transactionIds.map((id) => byId.get(id)?.i ?? -1);
		expect(burst.length).toBeGreaterThanOrEqual(150);
		expect(new Set(edge.sameDayBurst.transactionIds.map((id) => attrs(id).executionDate))).toEqual(
			new Set([edge.sameDayBurst.executionDate]),
		);
		expect(Math.floor(Math.min(...burst) / 100)).toBeLessThan(Math.floor(Math.max(...burst) / 100));
		for (const id of edge.valueDateAfterExecutionDate)
			expect(attrs(id).valueDate > attrs(id).executionDate).toBe(true);
		expect(edge.structuredCommunication.length).toBeGreaterThan(2);
		for (const id of edge.structuredCommunication) {
			const value = attrs(id).remittanceInformation;
			expect(value).toMatch(/^\d{12}$/);
			const check = Number(value.slice(0, 10)) % 97 || 97;
			expect(Number(value.slice(10))).toBe(check);
			expect(isValidStructuredCommunication(value)).toBe(true);
		}
		expect(isValidStructuredCommunication('+++090/9337/55493+++')).toBe(true);
		expect(isValidStructuredCommunication('090933755494')).toBe(false);
		for (const id of edge.emptyRemittance) expect(attrs(id).remittanceInformation).toBe('');
		for (const id of edge.missingCounterpart) {
			expect(attrs(id).counterpartName).toBeNull();
			expect('counterpartReference' in attrs(id)).toBe(false);
		}
		expect(edge.nonAsciiCounterpart.map((id) => attrs(id).counterpartName)).toEqual([
			'Müller & Söhne GmbH',
			'Ørsted A/S',
			'Crédit Coopératif',
			'Łódź Sp. z o.o.',
		]);
		for (const [a, b] of edge.twins) {
			const { digest: da, internalReference: ia, createdAt: ca, updatedAt: ua, ...ra } = attrs(a);
			const { digest: db, internalReference: ib, createdAt: cb, updatedAt: ub, ...rb } = attrs(b);
			expect(ra).toEqual(rb);
			expect(da).not.toBe(db);
			expect([ia, ca, ua]).not.toEqual([ib, cb, ub]);
		}
		expect(edge.exactAmounts.map((e) => toCents(attrs(e.id).amount))).toEqual(
			edge.exactAmounts.map((e) => e.cents),
		);
		expect(list[0].id).toBe(edge.backDated[0]);
		expect(list[0].attributes.executionDate < account.attributes.currentBalanceReferenceDate).toBe(
			true,
		);
		expect(
			list.some((t) => t.attributes.amount < 0) && list.some((t) => t.attributes.amount > 0),
		).toBe(true);
		balanced(data);
	});

	it('serves non-ASCII names and the absent counterpartReference unchanged over HTTP', async () => {
		await boot();
		const edge = emu.dataset.edgeCases;
		if (!edge) throw new Error('no edge cases');
		const one = await get<SingleDocument>(
			`/accounts/${edge.accountId}/transactions/${edge.nonAsciiCounterpart[3]}`,
		);
		expect(one.body.data.attributes.counterpartName).toBe('Łódź Sp. z o.o.');
		const missing = await get<SingleDocument>(
			`/accounts/${edge.accountId}/transactions/${edge.missingCounterpart[0]}`,
		);
		expect(Object.keys(missing.body.data.attributes)).not.toContain('counterpartReference');
	});

	it('builds the demo dataset: beta, maintenance, USD, a few thousand transactions', () => {
		const demo = demoDataset();
		const fis = demo.financialInstitutions.map((f) => f.attributes);
		expect(fis.some((f) => f.status === 'beta')).toBe(true);
		expect(fis.some((f) => f.maintenanceType !== null)).toBe(true);
		expect(fis.some((f) => f.country === null)).toBe(true);
		expect(
			demo.financialInstitutions.every((f) =>
				demo.accounts.some((a) => a.financialInstitutionId === f.id),
			),
		).toBe(true);
		expect(demo.accounts.map((a) => a.attributes.currency).sort()).toEqual([
			'EUR',
			'EUR',
			'EUR',
			'EUR',
			'EUR',
			'USD',
		]);
		const total = demo.accounts.reduce((n, a) => n + a.transactions.length, 0);
		expect(total).toBeGreaterThan(2000);
		expect(total).toBeLessThan(6000);
		expect(demo.accounts.reduce((n, a) => n + a.pendingTransactions.length, 0)).toBeGreaterThan(0);
		const oldest = Math.min(
			...demo.accounts.flatMap((a) =>
				a.transactions.map((t) => Date.parse(t.attributes.executionDate)),
			),
		);
		expect((Date.now() - oldest) / 86_400_000).toBeLessThan(400);
		balanced(demo);
		balanced(generateDataset({ seed: 1 }));
	});

	it('generates 50,000 transactions for one account quickly', () => {
		const started = performance.now();
		const data = generateDataset({
			seed: 2,
			institutions: [{ name: 'Big Bank' }],
			accounts: [{ transactions: 50_000, edgeCases: true }],
		});
		const ms = performance.now() - started;
		console.log(`generated 50,000 transactions in ${ms.toFixed(0)} ms`);
		expect(data.accounts[0].transactions).toHaveLength(50_000);
		expect(ms).toBeLessThan(5_000);
		balanced(data);
	});
});
