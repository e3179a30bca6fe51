// Package journal: a session manager writes to its journal under its own lock; rotating the
// journal asks the manager for its session count under the journal's lock.
package journal

import "sync"

type Session struct{ id string }

type Manager struct {
	mu   sync.Mutex
	byID map[string]*Session
	log  *Journal
}

type Journal struct {
	mu    sync.Mutex
	lines []string
	mgr   *Manager
}

// Open records the session in the journal while it holds the manager's lock.
func (m *Manager) Open(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byID[id] = &Session{id: id}
	m.log.append("open " + id)
}

func (j *Journal) append(line string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, line)
}

func (m *Manager) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID)
}

// Rotate counts the sessions with the journal locked: the opposite order.
func (j *Journal) Rotate() {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.mgr.count() // want `Journal.Rotate takes j.mgr.mu at line 45 \(through Manager.count\) while holding j.mu \(locked at line 43\); Manager.Open takes them in the opposite order`
	j.lines = append(j.lines[:0], "rotated", string(rune('0'+n)))
}
