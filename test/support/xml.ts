// A small, strict XML reader for the tests: elements, attributes, text and the five predefined
// and numeric entities. It refuses what is not well-formed (mismatched or unclosed tags, stray
// '<' or '&', a second root), which is all the statement tests need to read back what the writers
// produced without trusting the writers' own code. Schema validation is libxml2's (xmllint-wasm).
export interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	/** The element's own text (its text nodes joined), entities decoded. */
	text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(raw: string): string {
	return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (match, name: string | undefined) => {
		if (!name) throw new Error(`stray '&' in ${JSON.stringify(raw.slice(0, 60))}`);
		if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
		if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
		if (!(name in ENTITIES)) throw new Error(`unknown entity &${name};`);
		return ENTITIES[name];
	});
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Parses a whole document; throws on anything not well-formed. */
export function parseXml(source: string): XmlElement {
	const token =
		/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;
	let match: RegExpExecArray | null;
	while ((match = token.exec(source))) {
		const [, cdata, closing, name, attributeText, selfClosing, text, stray] = match;
		if (stray) throw new Error(`stray '<' at offset ${match.index}`);
		const current = stack[stack.length - 1];
		if (text !== undefined || cdata !== undefined) {
			const value = cdata ?? decodeEntities(text);
			if (current) current.text += value;
			else if (value.trim())
				throw new Error(`text outside the root element at offset ${match.index}`);
			continue;
		}
		if (!name) continue; // declaration, processing instruction, comment, doctype
		if (closing) {
			if (!current || current.name !== name)
				throw new Error(
					`</${name}> closes <${current?.name ?? 'nothing'}> at offset ${match.index}`,
				);
			stack.pop();
			continue;
		}
		const attributes: Record<string, string> = {};
		for (const [, key, value] of attributeText.matchAll(
			/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g,
		)) {
			if (key in attributes) throw new Error(`attribute ${key} twice on <${name}>`);
			attributes[key] = decodeEntities(value ?? '');
		}
		const element: XmlElement = { name, attributes, children: [], text: '' };
		if (current) current.children.push(element);
		else if (root) throw new Error(`second root element <${name}>`);
		else root = element;
		if (!selfClosing) stack.push(element);
	}
	if (stack.length) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
	if (!root) throw new Error('no root element');
	return root;
}

function descendants(element: XmlElement, name: string, found: XmlElement[] = []): XmlElement[] {
	for (const child of element.children) {
		if (localName(child.name) === name) found.push(child);
		descendants(child, name, found);
	}
	return found;
}

/**
 * Elements matched like the XPath `//*[local-name()='A']/*[local-name()='B']/…`: any A in the
 * document, then children named B, and so on, in document order.
 */
export function select(root: XmlElement, steps: string[]): XmlElement[] {
	const [first, ...rest] = steps;
	let matched =
		localName(root.name) === first ? [root, ...descendants(root, first)] : descendants(root, first);
	for (const step of rest)
		matched = matched.flatMap((element) =>
			element.children.filter((child) => localName(child.name) === step),
		);
	return matched;
}

/** The texts of `select(root, steps)`. */
export const selectText = (root: XmlElement, steps: string[]): string[] =>
	select(root, steps).map((element) => element.text);
