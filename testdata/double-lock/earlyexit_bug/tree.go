// Package earlyexit_bug: the same helpers, called with create = true while the lock is held.
// An early exit that the argument does not take leaves the second lock on the path.
package earlyexit_bug

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

type Node struct{ name string }

type Tree struct {
	rootMu sync.Mutex
	dirMu  sync.Mutex
	root   *Node
	dirs   map[string]*Node
}

func (t *Tree) makeDir(name string) (*Node, error) {
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	n := &Node{name: name}
	t.dirs[name] = n
	return n, nil
}

func (t *Tree) lookup(name string) (*Node, error) {
	if n, ok := t.dirs[name]; ok {
		return n, nil
	}
	return nil, errMissing
}

// rootNode finds the root, creating it only when create is true.
func (t *Tree) rootNode(create bool) (*Node, error) {
	t.rootMu.Lock()
	defer t.rootMu.Unlock()
	if t.root != nil {
		return t.root, nil
	}
	n, err := t.lookup("/")
	if err == nil {
		t.root = n
		return n, nil
	}
	if !create || !errors.Is(err, errMissing) {
		return nil, err
	}
	t.root, err = t.makeDir("/")
	return t.root, err
}

// Purge holds dirMu and asks for the root to be created: makeDir locks dirMu again.
func (t *Tree) Purge(name string) error {
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	if _, err := t.rootNode(true); err != nil { // want `Tree.Purge holds t.dirMu \(locked at line 57\) and calls Tree.rootNode → Tree.makeDir, with create = true, which locks t.dirMu again at line 22`
		return err
	}
	delete(t.dirs, name)
	return nil
}

// ensureAll creates only when create is true: in a loop, a `continue` skips the rest.
func (t *Tree) ensureAll(names []string, create bool) {
	for _, name := range names {
		if _, err := t.lookup(name); err == nil {
			continue
		}
		if !create {
			continue
		}
		t.dirMu.Lock()
		t.dirs[name] = &Node{name: name}
		t.dirMu.Unlock()
	}
}

// Sweep holds dirMu and passes create = true on: ensureAll reaches makeDir.
func (t *Tree) Sweep(names []string) {
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	t.ensureAll(names, true) // want `Tree.Sweep holds t.dirMu .* calls Tree.ensureAll, with create = true, which locks t.dirMu again`
}
