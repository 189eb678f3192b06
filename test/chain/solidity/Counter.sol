// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.26;

// A counter with an event and a revert reason, and a contract that calls it: what
// evm_solidity_test.cpp deploys and runs through apply_tx.
contract Counter {
    uint256 public count;

    event Incremented(address indexed by, uint256 newCount);

    function add(uint256 amount) external returns (uint256) {
        require(amount <= 100, "amount above 100");
        count += amount;
        emit Incremented(msg.sender, count);
        return count;
    }
}

contract Caller {
    Counter public immutable counter;

    constructor(Counter target) {
        counter = target;
    }

    function addTwice(uint256 amount) external returns (uint256) {
        counter.add(amount);
        return counter.add(amount);
    }
}
