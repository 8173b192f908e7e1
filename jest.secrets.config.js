/** The secret-hygiene scan over the spool the other suites wrote (see test/support/secretSpool.ts). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/secrets'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
	testTimeout: 10 * 60_000,
};
