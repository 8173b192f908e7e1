// Small deterministic PRNG (mulberry32) and helpers. Everything the generator and the
// fault injector draw comes from here, so a seed reproduces a run exactly.

// Module-level aliases: inside jest's vm context every global lookup (Math, String) goes through
// a slow interceptor, which made generation 5x slower there than under plain node.
const imul = Math.imul;
const floor = Math.floor;
const ceil = Math.ceil;
const stringOf = String;

export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');
const ASCII = Buffer.alloc(36);
/** Reused output buffer of hex(): one native toString instead of many small strings. */
const SCRATCH = Buffer.alloc(260);

export class Random {
	private readonly draw: () => number;

	constructor(seed: number) {
		this.draw = mulberry32(seed);
	}

	/** Uniform in [0, 1). */
	next(): number {
		return this.draw();
	}

	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + floor(this.draw() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.draw() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[floor(this.draw() * items.length)];
	}

	/** Lower-case hexadecimal string of the given length (at most 512; 8 characters per draw). */
	hex(length: number): string {
		const bytes = ceil(length / 2);
		for (let i = 0; i < bytes; i += 4) SCRATCH.writeUInt32LE((this.draw() * 4294967296) >>> 0, i);
		return SCRATCH.toString('hex', 0, bytes).slice(0, length);
	}

	/** Decimal digits (9 per draw). */
	digits(length: number): string {
		let out = '';
		while (out.length < length) out += stringOf(floor(this.draw() * 1e9)).padStart(9, '0');
		return out.length === length ? out : out.slice(0, length);
	}

	/** RFC 4122 version-4 shaped UUID, deterministic; built as one flat string (cheap for 50k+). */
	uuid(): string {
		let pos = 0;
		for (let w = 0; w < 4; w++) {
			let word = (this.draw() * 4294967296) >>> 0;
			for (let n = 0; n < 8; n++, pos++) {
				if (pos === 8 || pos === 13 || pos === 18 || pos === 23) ASCII[pos++] = 45; // '-'
				ASCII[pos] = HEX_CODES[word & 15];
				word >>>= 4;
			}
		}
		ASCII[14] = 52; // version '4'
		ASCII[19] = HEX_CODES[8 + (ASCII[19] & 3)]; // variant 8, 9, a or b
		return ASCII.toString('latin1', 0, 36);
	}
}
