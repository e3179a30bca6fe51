// Package loops locks a set of accounts in one loop and releases them in another.
package loops

import "sync"

type Account struct {
	mu      sync.Mutex
	balance int
}

// freeze locks every account, then unlocks every account.
func freeze(accs []*Account, hold func()) {
	for _, a := range accs {
		a.mu.Lock()
	}
	hold()
	for _, a := range accs {
		a.mu.Unlock()
	}
}

// total reads under every account's lock, released by the same loop shape.
func total(accs []*Account) int {
	sum := 0
	for _, a := range accs {
		a.mu.Lock()
		sum += a.balance
	}
	for _, a := range accs {
		a.mu.Unlock()
	}
	return sum
}

// freezeFirst unlocks only the first account: every other one stays locked.
func freezeFirst(accs []*Account, hold func()) {
	for _, a := range accs {
		a.mu.Lock() // want `a.mu.Lock\(\) at line 38 is still held at the end of the function`
	}
	hold()
	for _, a := range accs {
		a.mu.Unlock()
		break
	}
}

// freezeSome skips the unlock of some accounts.
func freezeSome(accs []*Account, hold func()) {
	for _, a := range accs {
		a.mu.Lock() // want `a.mu.Lock\(\) at line 50 is still held`
	}
	hold()
	for _, a := range accs {
		if a.balance == 0 {
			continue
		}
		a.mu.Unlock()
	}
}

// freezeOthers unlocks a different slice.
func freezeOthers(accs, others []*Account, hold func()) {
	for _, a := range accs {
		a.mu.Lock() // want `a.mu.Lock\(\) at line 64 is still held`
	}
	hold()
	for _, a := range others {
		a.mu.Unlock()
	}
}

// pick returns the first account with money, locked; the caller must unlock it.
func pick(accs []*Account) *Account {
	for _, a := range accs {
		a.mu.Lock()
		if a.balance > 0 {
			return a
		}
		a.mu.Unlock()
	}
	return nil
}
