package server

import "sync"

// A mutex reached through an embedded struct is one lock however it is spelled.
type guard struct {
	mu sync.Mutex
	n  int
}

func (g *guard) bump() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
}

type Store struct {
	guard
	items map[string]int
}

// Put locks the promoted s.mu and calls the promoted bump, which locks it again.
func (s *Store) Put(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[k]++
	s.bump() // want "Store.Put holds s.mu .* and calls guard.bump, which locks s.mu again"
}

// PutExplicit spells the same lock through the embedded field.
func (s *Store) PutExplicit(k string) {
	s.guard.mu.Lock()
	defer s.guard.mu.Unlock()
	s.items[k]++
	s.mu.Lock() // want "Store.PutExplicit locks s.mu again while it holds it"
}

// PutSafe releases before calling the helper.
func (s *Store) PutSafe(k string) {
	s.mu.Lock()
	s.items[k]++
	s.mu.Unlock()
	s.bump()
}

// An embedded sync.Mutex locked as s.Lock() and as s.Mutex.Lock().
type Table struct {
	sync.Mutex
	rows []int
}

func (t *Table) add(r int) {
	t.Mutex.Lock()
	t.rows = append(t.rows, r)
	t.Mutex.Unlock()
}

func (t *Table) Insert(r int) {
	t.Lock()
	defer t.Unlock()
	t.add(r) // want "Table.Insert holds t.Mutex .* and calls Table.add, which locks t.Mutex again"
}

func (t *Table) InsertSafe(r int) {
	t.Lock()
	t.rows = append(t.rows, 0)
	t.Unlock()
	t.add(r)
}

// A struct that embeds a struct that embeds the mutex.
type View struct {
	Table
}

func (v *View) Refresh() {
	v.Lock()
	defer v.Unlock()
	v.add(1) // want "View.Refresh holds v.Mutex .* calls Table.add, which locks v.Mutex again"
}

func (v *View) RefreshSafe() {
	v.Lock()
	v.rows = nil
	v.Unlock()
	v.add(1)
}

// An outer mutex that shadows the embedded struct's own: two locks.
type inner struct {
	mu sync.Mutex
}

func (i *inner) Restore() {
	i.mu.Lock()
	defer i.mu.Unlock()
}

type Outer struct {
	*inner
	mu sync.RWMutex
}

func (o *Outer) Restore() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.inner.Restore()
}
