package bank

import "sync"

type Account struct {
	mu     sync.Mutex
	amount int
	ledger *Ledger
}

type Ledger struct {
	mu    sync.Mutex
	lines []int
	owner *Account
}

func (a *Account) Deposit(n int) {
	a.mu.Lock() // Account.mu, then Ledger.mu inside record
	defer a.mu.Unlock()
	a.amount += n
	a.ledger.record(n)
}

func (l *Ledger) record(n int) { l.mu.Lock(); l.lines = append(l.lines, n); l.mu.Unlock() }

func (a *Account) balance() int { a.mu.Lock(); defer a.mu.Unlock(); return a.amount }

func (l *Ledger) Audit() int {
	l.mu.Lock() // Ledger.mu, then Account.mu inside balance: the opposite order
	defer l.mu.Unlock()
	return l.owner.balance() // want `Ledger.Audit takes l.owner.mu at line 31 \(through Account.balance\) while holding l.mu \(locked at line 29\); Account.Deposit takes them in the opposite order`
}
