package bank

import "sync"

type Account struct {
	mu      sync.Mutex
	balance int
}

// transfer locks two accounts of one type in a fixed order: not an inversion.
func transfer(a, b *Account, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	a.balance -= n
	b.balance += n
}

type Ledger struct {
	mu      sync.Mutex
	entries []int
}

type Bank struct {
	mu       sync.RWMutex
	accounts map[string]*Account
	ledger   *Ledger
	audit    *Ledger
}

// Record takes the bank's lock, then the ledger's.
func (b *Bank) Record(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ledger.mu.Lock()
	b.ledger.entries = append(b.ledger.entries, n)
	b.ledger.mu.Unlock()
}

// Compact takes them the other way round.
func (b *Bank) Compact() {
	b.ledger.mu.Lock()
	defer b.ledger.mu.Unlock()
	b.mu.Lock() // want "Bank.Compact takes b.mu at line 45 while holding b.ledger.mu \\(locked at line 43\\); Bank.Record takes them in the opposite order"
	b.accounts = nil
	b.mu.Unlock()
}

// CompactSafe uses Record's order.
func (b *Bank) CompactSafe() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ledger.mu.Lock()
	defer b.ledger.mu.Unlock()
	b.ledger.entries = nil
}

// Through a helper: audit.mu then bank.mu (inside total).
func (b *Bank) Audit() {
	b.audit.mu.Lock()
	defer b.audit.mu.Unlock()
	b.total() // want "Bank.Audit takes b.mu .* \\(through Bank.total\\) while holding b.audit.mu"
}

func (b *Bank) total() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.accounts)
}

func (b *Bank) Snapshot() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.audit.mu.Lock()
	b.audit.mu.Unlock()
	b.audit.mu.Lock()
	b.audit.mu.Unlock()
}

// Hand-over-hand locking down a list: one class, never inverted.
type node struct {
	mu   sync.Mutex
	next *node
	v    int
}

func walk(n *node) {
	n.mu.Lock()
	for n.next != nil {
		next := n.next
		next.mu.Lock()
		n.mu.Unlock()
		n = next
	}
	n.mu.Unlock()
}

// Two readers in opposite orders do not block each other.
type Cache struct {
	a sync.RWMutex
	b sync.RWMutex
}

func (c *Cache) ReadAB() {
	c.a.RLock()
	c.b.RLock()
	c.b.RUnlock()
	c.a.RUnlock()
}

func (c *Cache) ReadBA() {
	c.b.RLock()
	c.a.RLock()
	c.a.RUnlock()
	c.b.RUnlock()
}
