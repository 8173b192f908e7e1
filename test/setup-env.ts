import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core reads its instance settings from the user folder; give each test worker a fresh one
// and a fixed encryption key so nothing is written to the developer's ~/.n8n.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'ponto-jest-'));
process.env.N8N_ENCRYPTION_KEY ??= 'ponto-test-encryption-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
