import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Data files the tests read, all inside the repository (test/fixtures/, each folder with its
 * source and licence notice).
 */
export const FIXTURES = join(__dirname, '..', 'fixtures');
/** Response shapes from the official Ibanity SDKs' test fixtures (MIT; test/fixtures/ponto-samples/SOURCES.md). */
export const PONTO_SAMPLES = join(FIXTURES, 'ponto-samples');
/** The ISO 20022 camt.053.001.02 schema (test/fixtures/iso20022/README.md). */
export const CAMT_SCHEMA = join(FIXTURES, 'iso20022', 'camt.053.001.02.xsd');
/** A hand-verified CODA 2.6 file (test/fixtures/coda/README.md). */
export const CODA_EXAMPLE = join(FIXTURES, 'coda', 'example.cod');

/** A Ponto sample as text. */
export const sampleText = (name: string): string => readFileSync(join(PONTO_SAMPLES, name), 'utf8');
/** A Ponto sample parsed as JSON. */
export const sampleJson = <T = unknown>(name: string): T => JSON.parse(sampleText(name)) as T;

/** Example IBANs of 89 countries (test/fixtures/payments/README.md). */
export const validIbans = (): string[] =>
	readFileSync(join(FIXTURES, 'payments', 'valid-ibans.txt'), 'utf8')
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
