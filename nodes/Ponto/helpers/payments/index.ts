export * from './amount';
export * from './iban';
export * from './references';
export * from './text';
export * from './idempotency';
