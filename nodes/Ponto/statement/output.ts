// Where the statement writers put their text: pieces are gathered into chunks of about 64 KB, so
// a 100,000-line file is neither one string per line held to the end (millions of small
// strings) nor re-copied by every enclosing element. The chunks become the file once: joined
// into one string (`text`), or, when the output was opened with an encoding, each chunk is
// encoded as soon as it is full (`bytes`), so a string of the whole file never exists. A writer
// that can foresee its size reserves it: the chunks are then encoded straight into one buffer
// and the file is never copied whole. No n8n imports.

const CHUNK_CHARACTERS = 64 * 1024;

export type OutputEncoding = 'utf8' | 'latin1';

export class TextOutput {
	private pieces: string[] = [];

	private size = 0;

	private readonly chunks: string[] = [];

	/** Encoded chunks not (yet) in a reserved buffer. */
	private blocks: Buffer[] = [];

	private byteCount = 0;

	private reserved: Buffer | undefined;

	/** Bytes written into `reserved`; the rest overflowed into `blocks`. */
	private reservedUsed = 0;

	/** Without an encoding the text is kept as strings (`text()`), with one as bytes (`bytes()`). */
	constructor(private readonly encoding?: OutputEncoding) {}

	/** Appends text as is. */
	push(text: string): void {
		this.pieces.push(text);
		this.size += text.length;
		if (this.size >= CHUNK_CHARACTERS) this.flush();
	}

	/** Bytes written so far (chunks still being gathered counted as one byte per character). */
	get written(): number {
		return this.byteCount + this.size;
	}

	/**
	 * A foreseen total size in bytes: the bytes so far move into one buffer of that size and the
	 * next chunks are encoded into it; what does not fit goes on in blocks as before.
	 */
	reserve(totalBytes: number): void {
		if (this.encoding === undefined || this.reserved !== undefined) return;
		this.flush();
		if (totalBytes < this.byteCount) return;
		this.reserved = Buffer.allocUnsafe(Math.ceil(totalBytes));
		for (const block of this.blocks)
			this.reservedUsed += block.copy(this.reserved, this.reservedUsed);
		this.blocks = [];
	}

	private flush(): void {
		if (this.pieces.length === 0) return;
		const chunk = this.pieces.join('');
		this.pieces = [];
		this.size = 0;
		if (this.encoding === undefined) {
			this.chunks.push(chunk);
			return;
		}
		const reserved = this.reserved;
		if (reserved !== undefined && this.blocks.length === 0) {
			// A UTF-16 unit is at most 3 bytes of UTF-8: with that much room the chunk is written
			// without measuring it first.
			const room = reserved.length - this.reservedUsed;
			const fits =
				this.encoding === 'latin1'
					? chunk.length <= room
					: chunk.length * 3 <= room || Buffer.byteLength(chunk, 'utf8') <= room;
			if (fits) {
				const length = reserved.write(chunk, this.reservedUsed, room, this.encoding);
				this.reservedUsed += length;
				this.byteCount += length;
				return;
			}
		}
		const block = Buffer.from(chunk, this.encoding);
		this.blocks.push(block);
		this.byteCount += block.length;
	}

	/** The whole text, joined once. */
	text(): string {
		if (this.encoding !== undefined)
			throw new Error('this output keeps bytes: read it with bytes()');
		this.flush();
		return this.chunks.join('');
	}

	/** The whole file as bytes in the encoding the output was opened with. */
	bytes(): Buffer {
		if (this.encoding === undefined) throw new Error('this output keeps text: read it with text()');
		this.flush();
		const reserved = this.reserved;
		if (reserved === undefined)
			return this.blocks.length === 1 ? this.blocks[0] : Buffer.concat(this.blocks, this.byteCount);
		// A reservation a little too large is handed out as a view; a poor one is copied.
		if (this.blocks.length === 0 && this.reservedUsed >= reserved.length * 0.9)
			return reserved.subarray(0, this.reservedUsed);
		return Buffer.concat([reserved.subarray(0, this.reservedUsed), ...this.blocks], this.byteCount);
	}
}
