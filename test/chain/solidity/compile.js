// Compiles Counter.sol with the pinned solc into contracts.json (creation bytecode by name).
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const source = fs.readFileSync(path.join(__dirname, 'Counter.sol'), 'utf8');
const input = {
  language: 'Solidity',
  sources: {'Counter.sol': {content: source}},
  settings: {
    evmVersion: 'cancun',
    optimizer: {enabled: true, runs: 200},
    outputSelection: {'*': {'*': ['evm.bytecode.object']}},
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
for (const error of output.errors || []) {
  if (error.severity === 'error') {
    console.error(error.formattedMessage);
    process.exit(1);
  }
}
const contracts = {solc: solc.version()};
for (const [name, contract] of Object.entries(output.contracts['Counter.sol']))
  contracts[name] = '0x' + contract.evm.bytecode.object;
fs.writeFileSync(path.join(__dirname, 'contracts.json'), JSON.stringify(contracts, null, 1) + '\n');
