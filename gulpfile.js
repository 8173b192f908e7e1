// Copies what tsc does not emit into dist/: node and credential icons and the codex files
// (<Node>.node.json) that n8n reads next to each compiled node.
const { src, dest } = require('gulp');

function copyStatic() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:static'] = copyStatic;
exports.default = copyStatic;
