/** npm run test:e2e: the built package inside a real n8n (provisioned on first use). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
	maxWorkers: 1,
	testTimeout: 10 * 60_000,
	slowTestThreshold: 60,
};
