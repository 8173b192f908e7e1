// Word lists for the data generator. Fictional names only.

export const MERCHANTS = [
	'Delhaize Brussel',
	'Colruyt Gent',
	'Shell Station Mechelen',
	'NMBS/SNCB',
	'Bol.com',
	'Amazon EU SARL',
	'Fnac Antwerpen',
	'Proxy Delhaize Leuven',
	'Brasserie Le Central',
	'Parking Interparking',
	'Total Energies Waterloo',
	'Hubo Hasselt',
] as const;

export const SUPPLIERS = [
	'Acme Office Supplies BV',
	'Van den Berghe Logistics NV',
	'Printwerk Kortrijk',
	'CloudHost Europe SA',
	'Dupont & Fils SPRL',
	'Janssens Accountancy',
	'Noord Verhuur BV',
	'Atelier Lumière SRL',
] as const;

export const CUSTOMERS = [
	'Peeters Bouw NV',
	'Maes Consulting BV',
	'Willems Retail SA',
	'Claes Digital',
	'Hendrickx Interieur',
	'Lambert Transport SRL',
	'De Smet Catering',
	'Vermeulen & Partners',
] as const;

export const UTILITIES = [
	'Electrabel Energy',
	'Proximus Telecom',
	'AG Insurance Demo',
	'Water-link',
	'Securex Social Office',
	'Telenet Business',
] as const;

/** Edge case: non-ASCII counterpart names. */
export const NON_ASCII_NAMES = [
	'Müller & Söhne GmbH',
	'Ørsted A/S',
	'Crédit Coopératif',
	'Łódź Sp. z o.o.',
] as const;

export const HOLDER_NAMES = [
	'Demo Company BV',
	'Atelier Demo SRL',
	'Jan Demo',
	'Demo Holding NV',
] as const;

export const CITY_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
