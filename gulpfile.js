const { src, dest, parallel } = require('gulp');

// tsc compiles the TypeScript; n8n also needs the icons and codex files beside the compiled classes.
function copyNodeAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json'], {
		encoding: false,
	}).pipe(dest('dist/nodes'));
}

function copyCredentialAssets() {
	return src(['credentials/**/*.svg', 'credentials/**/*.png'], {
		encoding: false,
		allowEmpty: true,
	}).pipe(dest('dist/credentials'));
}

exports['build:icons'] = parallel(copyNodeAssets, copyCredentialAssets);
