// issue 6's end-to-end proof: a 4-validator + 1-observer tallyd consortium driven by real
// Ethereum clients. ethers v6 over HTTP (JsonRpcProvider: batches, polling filters) and WebSocket
// (WebSocketProvider: eth_subscribe) deploys a Solidity contract compiled by solc-js, sends txs
// from several accounts at once to different nodes, reads the events through eth_getLogs and
// through contract.on on both transports, calls views, and checks balances, nonces, and that
// every node (the observer too) holds the same head and state root. Then SIGTERM stops every
// node with exit code 0.
'use strict';
const {describe, test, before, after} = require('node:test');
const assert = require('node:assert/strict');
const {ethers} = require('ethers');
const {Cluster, rpc, sleep} = require('./cluster.js');
const {compileContract} = require('./compile.js');

const kLenders = 4;
const kDisbursementsPerLender = 3;
const kLoanId = 7n;
const kLimit = ethers.parseEther('5');
const kRepayments = [ethers.parseEther('0.25'), ethers.parseEther('0.5')];
const kWaitMs = 20_000;
// Lender l's k-th disbursement (wei, distinct per tx so each event is recognisable).
const disbursement = (lender, k) => ethers.parseEther('0.1') * BigInt(lender) + BigInt(k + 1);

// Polls `condition` (sync or async) until true or the time is up.
async function eventually(what, condition, limitMs = kWaitMs) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    let last;
    try {
      if (await condition())
        return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const said = typeof what === 'function' ? what() : what;
      assert.fail(`${said} did not happen within ${limitMs} ms${last ? `: ${last.message}` : ''}`);
    }
    await sleep(50);
  }
}

// Records which JSON-RPC methods a provider sent and which got answers (ethers' "debug" events),
// so the test knows which path ethers really took and when a subscription is installed.
function recordRpc(provider) {
  const sent = new Map();  // id -> method
  const record = {methods: new Set(), answered: new Map()};  // method -> answers
  provider.on('debug', (event) => {
    const list = (x) => (Array.isArray(x) ? x : [x]);
    if (event.action === 'sendRpcPayload') {
      for (const payload of list(event.payload)) {
        sent.set(payload.id, payload.method);
        record.methods.add(payload.method);
      }
    } else if (event.action === 'receiveRpcResult') {
      for (const result of list(event.result)) {
        if (result && 'result' in result && sent.has(result.id))
          record.answered.set(sent.get(result.id), (record.answered.get(sent.get(result.id)) ?? 0) + 1);
      }
    }
  });
  return record;
}

describe('a tallyd consortium driven by ethers v6', {timeout: 120_000}, () => {
  let cluster;
  let failed = false;
  let artifact;
  let http = [];  // one JsonRpcProvider per node
  let ws;         // WebSocketProvider on validator-2
  let wallets;    // demo accounts: 0 agent, 1..kLenders lenders, kLenders + 1 borrower
  let ledger;     // the deployed contract, through validator-1's HTTP provider
  let viaWs;      // the same contract through the WebSocket provider
  let deployBlock;
  const receipts = [];
  const seen = {httpDisbursed: [], httpRepaid: [], wsDisbursed: [], wsRepaid: [], wsBlocks: []};
  let httpRecord;   // what validator-1's HTTP provider sent (recordRpc)
  let wsRecord;     // what the WebSocket provider sent
  let blockFilter;  // an eth_newBlockFilter on the observer, installed before the traffic
  let logFilter;    // an eth_newFilter on validator-4 for both events, installed likewise

  before(async () => {
    artifact = compileContract('JointLoanLedger');
    cluster = await Cluster.start({validators: 4, observers: 1, accounts: kLenders + 2});
    const network = new ethers.Network('tally', cluster.chainId);
    // cacheTimeout -1: ethers otherwise answers a repeated eth_getTransactionCount "pending"
    // from a 250 ms cache, so back-to-back sends would reuse a nonce (whatever the node says).
    http = cluster.nodes.map((node) => new ethers.JsonRpcProvider(node.url, network, {
      staticNetwork: network, pollingInterval: 100, cacheTimeout: -1}));
    ws = new ethers.WebSocketProvider(cluster.nodes[1].ws, network,
                                      {staticNetwork: network, cacheTimeout: -1});
    httpRecord = recordRpc(http[0]);
    wsRecord = recordRpc(ws);
    // Each account sends through its own validator, so txs reach the proposer by gossip; the
    // last lender sends over the WebSocket.
    wallets = cluster.accounts.map((account, i) => new ethers.Wallet(
        account.private_key, i === kLenders ? ws : http[i % 4]));
  });

  // Takes every listener off (ethers then uninstalls its filters and subscriptions, and the
  // nodes must answer) and closes the providers.
  async function closeProviders() {
    if (ledger)
      await ledger.removeAllListeners();
    if (viaWs)
      await viaWs.removeAllListeners();
    if (ws)
      await ws.off('block');
    // Every filter installed is uninstalled, every subscription ended.
    const all = (record, install, uninstall) =>
        !record || (record.answered.get(install) ?? 0) === (record.answered.get(uninstall) ?? 0);
    const uninstalled = () => all(httpRecord, 'eth_newFilter', 'eth_uninstallFilter') &&
                              all(wsRecord, 'eth_subscribe', 'eth_unsubscribe');
    const deadline = Date.now() + 5_000;
    while (!uninstalled() && Date.now() < deadline)
      await sleep(20);
    for (const provider of [...http, ws]) {
      if (provider) {
        await provider.removeAllListeners();
        provider.destroy();
      }
    }
    http = [];
    ws = null;
    ledger = viaWs = null;
    return uninstalled();
  }

  after(async () => {
    await closeProviders();
    if (cluster) {
      if (failed)
        console.error(cluster.nodes.map((n) => cluster.logTail(n, 12)).join('\n'));
      cluster.cleanup(failed);
    }
  });

  // Any failed step keeps the consortium's folder and logs for a look.
  const step = (name, body) => test(name, async (t) => {
    try {
      await body(t);
    } catch (error) {
      failed = true;
      throw error;
    }
  });

  step('every node answers with the chain id of the generated genesis', async () => {
    assert.match(artifact.solcVersion, /^0\.8\.26\+/);
    for (const provider of [...http, ws]) {
      assert.equal((await provider.send('eth_chainId', [])), ethers.toQuantity(cluster.chainId));
      assert.ok((await provider.getBlockNumber()) >= 0);
    }
    assert.match(await http[0].send('web3_clientVersion', []), /^tally\//);
    assert.equal(await http[4].send('net_version', []), String(cluster.chainId));
  });

  step('the contract deploys and its code is on every node', async () => {
    const factory = new ethers.ContractFactory(artifact.abi, artifact.bytecode, wallets[0]);
    const contract = await factory.deploy();
    const receipt = await contract.deploymentTransaction().wait();
    assert.equal(receipt.status, 1);
    deployBlock = receipt.blockNumber;
    ledger = contract;
    const code = await http[0].getCode(await contract.getAddress());
    assert.ok(code.length > 2, 'deployed code');
    for (const provider of http) {
      await eventually('code on every node',
                       async () => (await provider.getCode(await contract.getAddress())) === code);
    }
    assert.equal(await ledger.agent(), wallets[0].address);
  });

  step('contract.on listens over HTTP filters and WebSocket subscriptions', async () => {
    const address = await ledger.getAddress();
    viaWs = new ethers.Contract(address, artifact.abi, ws);
    const keep = (list) => (...args) => {
      const event = args[args.length - 1];
      list.push({args: args.slice(0, -1), hash: event.log.transactionHash});
    };
    await ledger.on('Disbursed', keep(seen.httpDisbursed));
    await ledger.on('Repaid', keep(seen.httpRepaid));
    await viaWs.on('Disbursed', keep(seen.wsDisbursed));
    await viaWs.on('Repaid', keep(seen.wsRepaid));
    await ws.on('block', (number) => seen.wsBlocks.push(number));
    // Subscriptions count from when the node installs them: wait for the node's answers.
    await eventually('both filters installed', () => httpRecord.answered.get('eth_newFilter') === 2);
    await eventually('three subscriptions', () => wsRecord.answered.get('eth_subscribe') === 3);
    assert.ok(!httpRecord.methods.has('eth_getLogs'), 'HTTP listeners use filters, not polling');
    blockFilter = await http[4].send('eth_newBlockFilter', []);
    const topics = ['Disbursed', 'Repaid'].map((name) => ledger.interface.getEvent(name).topicHash);
    logFilter = await http[3].send('eth_newFilter', [{address, topics: [topics]}]);
  });

  step('the agent opens a loan; a stranger cannot', async () => {
    const receipt = await (await ledger.open(kLoanId, wallets[kLenders + 1].address, kLimit)).wait();
    assert.equal(receipt.status, 1);
    const opened = ledger.interface.parseLog(receipt.logs[0]);
    assert.equal(opened.name, 'LoanOpened');
    assert.deepEqual([...opened.args], [kLoanId, wallets[kLenders + 1].address, kLimit]);
    // The revert reaches ethers with its data: from eth_estimateGas when sending, and decoded by
    // the contract from eth_call.
    const stranger = ledger.connect(wallets[1]);
    await assert.rejects(stranger.open(8n, wallets[1].address, 1n), (error) => {
      assert.equal(error.code, 'CALL_EXCEPTION');
      const decoded = ledger.interface.parseError(error.data);
      assert.equal(decoded?.name, 'NotAgent');
      assert.deepEqual([...decoded.args], [wallets[1].address]);
      return true;
    });
    await assert.rejects(stranger.open.staticCall(8n, wallets[1].address, 1n),
                         (error) => error.revert?.name === 'NotAgent');
  });

  step('lenders disburse at once, each through its own node; the borrower repays', async () => {
    // Each lender sends its txs back to back without waiting for receipts: the next nonce comes
    // from eth_getTransactionCount "pending".
    const lenderRuns = Array.from({length: kLenders}, async (_, index) => {
      const lender = index + 1;
      const asLender = ledger.connect(wallets[lender]);
      const sent = [];
      for (let k = 0; k < kDisbursementsPerLender; ++k)
        sent.push(await asLender.disburse(kLoanId, disbursement(lender, k)));
      return sent;
    });
    const borrower = ledger.connect(wallets[kLenders + 1]);
    const sentTxs = (await Promise.all(lenderRuns)).flat();
    for (let lender = 1; lender <= kLenders; ++lender) {
      const nonces = sentTxs.filter((tx) => tx.from === wallets[lender].address).map((tx) => tx.nonce);
      assert.deepEqual(nonces, Array.from({length: kDisbursementsPerLender}, (_, k) => k));
    }
    assert.ok(wsRecord.methods.has('eth_sendRawTransaction'), 'the last lender sent over WebSocket');
    receipts.push(...(await Promise.all(sentTxs.map((tx) => tx.wait()))));
    // One repayment as an EIP-1559 tx, one as an EIP-2930 tx, both paying for gas, so the fee
    // accounting shows in the balances below.
    const address = await ledger.getAddress();
    const overrides = [
      {type: 2, maxFeePerGas: ethers.parseUnits('3', 'gwei'),
       maxPriorityFeePerGas: ethers.parseUnits('1', 'gwei')},
      {type: 1, gasPrice: ethers.parseUnits('2', 'gwei'),
       accessList: [{address, storageKeys: [ethers.zeroPadValue('0x02', 32)]}]},
    ];
    for (const [i, value] of kRepayments.entries()) {
      const tx = await borrower.repay(kLoanId, {value, ...overrides[i]});
      assert.equal(tx.type, overrides[i].type);
      receipts.push(await tx.wait());
    }
    assert.ok(receipts.every((r) => r.status === 1));
    // More than they owe is refused with the contract's error, decoded by ethers.
    await assert.rejects(borrower.repay.staticCall(kLoanId, {value: ethers.parseEther('1000')}),
                         (error) => error.revert?.name === 'Overpaid');
  });

  step('views and balances add up', async () => {
    const disbursedBy = (lender) => Array.from(
        {length: kDisbursementsPerLender}, (_, k) => disbursement(lender, k)).reduce((a, b) => a + b);
    let total = 0n;
    for (let lender = 1; lender <= kLenders; ++lender) {
      assert.equal(await ledger.shareOf(kLoanId, wallets[lender].address), disbursedBy(lender));
      total += disbursedBy(lender);
    }
    const repaid = kRepayments.reduce((a, b) => a + b);
    const loan = await ledger.loans(kLoanId);
    assert.deepEqual([...loan], [wallets[kLenders + 1].address, kLimit, total, repaid]);
    assert.equal(await ledger.loanCount(), 1n);
    assert.equal(await ledger.outstanding(kLoanId), total - repaid);
    await assert.rejects(ledger.outstanding(99n), (error) => error.revert?.name === 'UnknownLoan' &&
                         error.revert.args[0] === 99n);
    // The contract holds the repayments; the observer's node says so too.
    const address = await ledger.getAddress();
    for (const provider of http)
      await eventually('contract balance', async () => (await provider.getBalance(address)) === repaid);
  });

  step("nonces and the borrower's balance match what was sent and paid", async () => {
    const borrower = wallets[kLenders + 1];
    for (const [wallet, count] of [[wallets[0], 2], ...wallets.slice(1, kLenders + 1).map(
             (w) => [w, kDisbursementsPerLender]), [borrower, kRepayments.length]]) {
      for (const provider of [http[0], http[4]]) {
        assert.equal(await provider.getTransactionCount(wallet.address, 'latest'), count);
        assert.equal(await provider.getTransactionCount(wallet.address, 'pending'), count);
      }
    }
    const initial = BigInt(cluster.accounts[kLenders + 1].balance);
    const paid = receipts.filter((r) => r.from === borrower.address)
                     .reduce((sum, r) => sum + r.gasUsed * r.gasPrice, 0n);
    const repaid = kRepayments.reduce((a, b) => a + b);
    assert.equal(await http[2].getBalance(borrower.address), initial - repaid - paid);
    assert.ok(paid > 0n);
    // The block's proposer (its beneficiary, a validator that sends nothing) earns each
    // repayment's fee: the base fee is 0, so all of it is priority fee.
    for (const receipt of receipts.filter((r) => r.from === borrower.address)) {
      const block = await http[4].getBlock(receipt.blockNumber);
      const fees = receipts.filter((r) => r.blockNumber === receipt.blockNumber)
                       .reduce((sum, r) => sum + r.gasUsed * r.gasPrice, 0n);
      const before = await http[4].getBalance(block.miner, receipt.blockNumber - 1);
      assert.equal(await http[4].getBalance(block.miner, receipt.blockNumber), before + fees);
    }
  });

  step('eth_getLogs gives every event, filtered by topic, the same on every node', async () => {
    const disbursements = receipts.slice(0, kLenders * kDisbursementsPerLender);
    const events = await ledger.queryFilter('Disbursed', deployBlock, 'latest');
    assert.equal(events.length, disbursements.length);
    assert.deepEqual(new Set(events.map((e) => e.transactionHash)),
                     new Set(disbursements.map((r) => r.hash)));
    for (const event of events) {
      const receipt = disbursements.find((r) => r.hash === event.transactionHash);
      const lender = wallets.findIndex((w) => w.address === receipt.from);
      assert.equal(event.args.loanId, kLoanId);
      assert.equal(event.args.lender, receipt.from);
      assert.equal(event.blockHash, receipt.blockHash);
      assert.ok(Array.from({length: kDisbursementsPerLender}, (_, k) => disbursement(lender, k))
                    .includes(event.args.amount));
    }
    const byLender2 = await ledger.queryFilter(ledger.filters.Disbursed(kLoanId, wallets[2].address),
                                               deployBlock);
    assert.deepEqual(byLender2.map((e) => e.args.amount),
                     Array.from({length: kDisbursementsPerLender}, (_, k) => disbursement(2, k)));
    const filter = {address: await ledger.getAddress(), fromBlock: deployBlock, toBlock: 'latest',
                    topics: [ledger.interface.getEvent('Repaid').topicHash]};
    const reference = await http[4].getLogs(filter);  // the observer
    assert.deepEqual(reference.map((l) => ledger.interface.parseLog(l).args.amount), kRepayments);
    for (const provider of http) {
      const logs = await provider.getLogs(filter);
      assert.deepEqual(logs.map((l) => [l.blockHash, l.index, l.data]),
                       reference.map((l) => [l.blockHash, l.index, l.data]));
    }
  });

  step('the polling filter and contract.on saw every event once on both transports', async (t) => {
    const split = kLenders * kDisbursementsPerLender;
    const disbursed = new Set(receipts.slice(0, split).map((r) => r.hash));
    const repaid = new Set(receipts.slice(split).map((r) => r.hash));
    // The node's side of the HTTP path: one poll of the filter gives every log since it was
    // installed, in chain order.
    const changes = await http[3].send('eth_getFilterChanges', [logFilter]);
    const inOrder = receipts.flatMap((r) => r.logs)
                        .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    assert.deepEqual(changes.map((l) => [l.transactionHash, Number(l.logIndex)]),
                     inOrder.map((l) => [l.transactionHash, l.index]));
    assert.deepEqual(await http[3].send('eth_getFilterChanges', [logFilter]), []);
    assert.equal(await http[3].send('eth_uninstallFilter', [logFilter]), true);

    const counts = () => `every event delivered (${JSON.stringify(Object.fromEntries(
        Object.entries(seen).map(([key, list]) => [key, list.length])))}; ${disbursed.size} ` +
        `Disbursed, ${repaid.size} Repaid expected; blocks ${JSON.stringify(seen.wsBlocks)})`;
    // WebSocket: the node pushes every block's logs.
    await eventually(counts, () => seen.wsDisbursed.length >= disbursed.size &&
                                   seen.wsRepaid.length >= repaid.size);
    // HTTP: ethers' filter subscriber polls eth_getFilterChanges when a new block number shows up,
    // but listens for the next block only once its poll returns; a block arriving during a poll
    // leaves its logs waiting on the node until another block comes, and this chain makes no
    // empty blocks. So a stranded log is fetched by making blocks (the node keeps it, as above).
    const httpDone = () => seen.httpDisbursed.length >= disbursed.size &&
                           seen.httpRepaid.length >= repaid.size;
    let flushes = 0;
    for (let attempt = 0; attempt < 5 && !httpDone(); ++attempt) {
      await sleep(500);
      if (!httpDone()) {
        ++flushes;
        await (await wallets[0].sendTransaction({to: wallets[0].address, value: 0})).wait();
      }
    }
    t.diagnostic(`blocks made to flush ethers' HTTP filter poller: ${flushes}`);
    await eventually(counts, httpDone, 2_000);
    await sleep(300);  // a duplicate would arrive with the next poll
    for (const [list, expected] of [[seen.httpDisbursed, disbursed], [seen.wsDisbursed, disbursed],
                                    [seen.httpRepaid, repaid], [seen.wsRepaid, repaid]]) {
      assert.equal(list.length, expected.size);
      assert.deepEqual(new Set(list.map((e) => e.hash)), expected);
    }
    assert.deepEqual(seen.wsRepaid.map((e) => e.args[2]), kRepayments);
    // The paths ethers really took: polling filters over HTTP, subscriptions over WebSocket.
    assert.ok(httpRecord.methods.has('eth_getFilterChanges'));
    for (const receipt of receipts)
      assert.ok(seen.wsBlocks.includes(receipt.blockNumber), `newHeads for block ${receipt.blockNumber}`);
  });

  step('ethers reads blocks with their txs, txs, storage and fees from the observer', async () => {
    const observer = http[4];
    const address = await ledger.getAddress();
    const blockNumbers = [...new Set(receipts.map((r) => r.blockNumber))];
    for (const number of blockNumbers) {
      // ethers checks every field of the block and tx objects as it reads them.
      const block = await observer.getBlock(number, true);
      const inBlock = receipts.filter((r) => r.blockNumber === number);
      assert.equal(block.hash, inBlock[0].blockHash);
      assert.equal(block.prefetchedTransactions.length, block.transactions.length);
      for (const receipt of inBlock) {
        const tx = block.getPrefetchedTransaction(receipt.hash);
        assert.equal(tx.from, receipt.from);
        assert.equal(tx.to, address);
        assert.deepEqual((await observer.getTransaction(receipt.hash)).toJSON(), tx.toJSON());
      }
      const logs = await observer.getLogs({blockHash: block.hash, address});
      assert.equal(logs.length, inBlock.reduce((n, r) => n + r.logs.length, 0));
    }
    // Storage slot 2 is loanCount (the agent is immutable, in the code).
    assert.equal(BigInt(await observer.getStorage(address, 2)), 1n);
    const fees = await observer.getFeeData();
    assert.equal(typeof fees.gasPrice, 'bigint');
    assert.equal(await observer.send('eth_syncing', []), false);
    // The block filter installed before the traffic has every block since, in order.
    const hashes = await observer.send('eth_getFilterChanges', [blockFilter]);
    const receiptBlocks = new Set(receipts.map((r) => r.blockHash));
    assert.ok([...receiptBlocks].every((hash) => hashes.includes(hash)), 'block filter');
    assert.equal(await observer.send('eth_uninstallFilter', [blockFilter]), true);
  });

  step('all nodes, the observer too, agree on head, hash and state root', async () => {
    const heads = async () => Promise.all(cluster.nodes.map(async (node) =>
        rpc(node.url, 'eth_getBlockByNumber', ['latest', false])));
    let blocks;
    await eventually('heads agree', async () => {
      blocks = await heads();
      return blocks.every((b) => b.hash === blocks[0].hash && b.stateRoot === blocks[0].stateRoot);
    });
    const last = Math.max(...receipts.map((r) => r.blockNumber));
    assert.ok(Number(blocks[0].number) >= last);
    for (const receipt of receipts) {
      const onObserver = await http[4].getTransactionReceipt(receipt.hash);
      assert.equal(onObserver.blockHash, receipt.blockHash);
      assert.equal(onObserver.status, 1);
    }
    const atDeploy = await Promise.all(http.map((p) => p.getBlock(deployBlock)));
    assert.ok(atDeploy.every((b) => b.hash === atDeploy[0].hash && b.stateRoot === atDeploy[0].stateRoot));
  });

  step('listeners come off: the nodes answer eth_uninstallFilter and eth_unsubscribe', async () => {
    assert.equal(httpRecord.answered.get('eth_newFilter'), 2);
    assert.equal(wsRecord.answered.get('eth_subscribe'), 3);
    assert.ok(await closeProviders(), 'filter and subscriptions uninstalled');
  });

  step('SIGTERM stops every node with exit code 0', async () => {
    const exits = await cluster.stop();
    assert.deepEqual(exits, cluster.nodes.map((n) => ({name: n.name, code: 0, signal: null})));
  });
});
