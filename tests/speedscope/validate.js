// Validates speedscope files against the JSON schema that the speedscope
// package ships (dist/release/file-format-schema.json), with ajv.
// usage: node validate.js FILE...   (exit 1 and the errors on a bad file)
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');

const schemaFile = path.join(path.dirname(require.resolve('speedscope/package.json')),
	'dist', 'release', 'file-format-schema.json');
const ajv = new Ajv({ allErrors: false, strict: false });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
let bad = 0;
for (const file of process.argv.slice(2)) {
	if (validate(JSON.parse(fs.readFileSync(file, 'utf8')))) {
		console.log(`${file}: valid`);
	} else {
		console.log(`${file}: ${ajv.errorsText(validate.errors)}`);
		bad++;
	}
}
process.exit(bad ? 1 : 0);
