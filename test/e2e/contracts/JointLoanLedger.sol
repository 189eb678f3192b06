// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.26;

// A syndicated (joint) loan as the consortium records it: an agent opens a loan for a borrower
// with a limit; member banks disburse their shares (recorded, not paid in ether); the borrower
// repays in ether, which the contract holds. The events are what reconciliation reads.
contract JointLoanLedger {
    struct Loan {
        address borrower;
        uint256 limit;
        uint256 disbursed;
        uint256 repaid;
    }

    address public immutable agent;
    mapping(uint256 => Loan) public loans;
    mapping(uint256 => mapping(address => uint256)) public shareOf;
    uint256 public loanCount;

    event LoanOpened(uint256 indexed loanId, address indexed borrower, uint256 limit);
    event Disbursed(uint256 indexed loanId, address indexed lender, uint256 amount);
    event Repaid(uint256 indexed loanId, address indexed payer, uint256 amount);

    error NotAgent(address caller);
    error LoanExists(uint256 loanId);
    error UnknownLoan(uint256 loanId);
    error OverLimit(uint256 loanId, uint256 requested, uint256 available);
    error Overpaid(uint256 loanId, uint256 paid, uint256 outstanding);

    constructor() {
        agent = msg.sender;
    }

    function open(uint256 loanId, address borrower, uint256 limit) external {
        if (msg.sender != agent) revert NotAgent(msg.sender);
        if (loans[loanId].borrower != address(0)) revert LoanExists(loanId);
        loans[loanId] = Loan(borrower, limit, 0, 0);
        loanCount += 1;
        emit LoanOpened(loanId, borrower, limit);
    }

    function disburse(uint256 loanId, uint256 amount) external {
        Loan storage loan = existing(loanId);
        uint256 available = loan.limit - loan.disbursed;
        if (amount > available) revert OverLimit(loanId, amount, available);
        loan.disbursed += amount;
        shareOf[loanId][msg.sender] += amount;
        emit Disbursed(loanId, msg.sender, amount);
    }

    function repay(uint256 loanId) external payable {
        Loan storage loan = existing(loanId);
        uint256 due = loan.disbursed - loan.repaid;
        if (msg.value > due) revert Overpaid(loanId, msg.value, due);
        loan.repaid += msg.value;
        emit Repaid(loanId, msg.sender, msg.value);
    }

    function outstanding(uint256 loanId) external view returns (uint256) {
        Loan storage loan = existing(loanId);
        return loan.disbursed - loan.repaid;
    }

    function existing(uint256 loanId) private view returns (Loan storage loan) {
        loan = loans[loanId];
        if (loan.borrower == address(0)) revert UnknownLoan(loanId);
    }
}
