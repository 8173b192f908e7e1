import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { validateXML } from 'xmllint-wasm';

import { CAMT_SCHEMA } from './fixtures';

/**
 * libxml2's xmllint compiled to WebAssembly (npm xmllint-wasm): the same validator as Debian's
 * `xmllint --schema`, without installing anything. One call checks many files (each call starts a
 * worker and compiles the module, about half a second).
 */
export interface XmlVerdict {
	valid: boolean;
	/** xmllint's messages for this file ('<file> validates' when valid). */
	messages: string[];
}

async function run(
	files: Record<string, string>,
	schema?: string,
): Promise<Record<string, XmlVerdict>> {
	const xml = Object.entries(files).map(([fileName, contents]) => ({ fileName, contents }));
	const schemas = schema
		? [{ fileName: basename(schema), contents: readFileSync(schema, 'utf8') }]
		: [];
	// xmllint exits 3/4 on schema errors (resolved) and 1 on a file that is not well-formed
	// (rejected with its stderr as the message): both carry the per-file lines.
	const output = await validateXML({ xml, schema: schemas }).then(
		(result) => result.rawOutput,
		(error: Error) => error.message,
	);
	const lines = output.split('\n').filter((line) => line.trim());
	const verdicts: Record<string, XmlVerdict> = {};
	for (const fileName of Object.keys(files)) {
		const messages = lines.filter(
			(line) => line.startsWith(`${fileName}:`) || line.startsWith(`${fileName} `),
		);
		const failed = messages.some((line) => !line.endsWith(' validates'));
		verdicts[fileName] = { valid: !failed, messages };
	}
	return verdicts;
}

/** Each file checked against the ISO 20022 camt.053.001.02 schema. */
export const validateCamt = (files: Record<string, string>): Promise<Record<string, XmlVerdict>> =>
	run(files, CAMT_SCHEMA);

/** Each file checked for well-formedness only. */
export const checkWellFormed = (
	files: Record<string, string>,
): Promise<Record<string, XmlVerdict>> => run(files);
