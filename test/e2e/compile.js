// Compiles a contract of contracts/ with the solc pinned in package-lock.json (solc-js: the
// compiler is bundled as WebAssembly, so nothing is downloaded at run time).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const solc = require('solc');

// Returns {abi, bytecode, solcVersion} of contract `name` in contracts/<name>.sol.
function compileContract(name) {
  const file = `${name}.sol`;
  const input = {
    language: 'Solidity',
    sources: {[file]: {content: fs.readFileSync(path.join(__dirname, 'contracts', file), 'utf8')}},
    settings: {
      evmVersion: 'cancun',
      optimizer: {enabled: true, runs: 200},
      outputSelection: {'*': {'*': ['abi', 'evm.bytecode.object']}},
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length > 0)
    throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const contract = output.contracts[file][name];
  return {abi: contract.abi, bytecode: '0x' + contract.evm.bytecode.object, solcVersion: solc.version()};
}

module.exports = {compileContract};
