/**
 * What both bundles of the CLI share (the package's bin, scripts/bundle-cli.js, and the single
 * binary's, scripts/build-binary.js): one CommonJS file for Node 20, minified with names kept so
 * that error class names (and `instanceof` reports) stay readable.
 */
'use strict';

const NODE_BUNDLE = Object.freeze({
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});

module.exports = { NODE_BUNDLE };
