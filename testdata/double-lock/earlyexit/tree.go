// Package earlyexit: a helper that may create what it looks up returns early unless asked to
// create, so a caller that holds the creation lock and passes create = false never re-enters it.
package earlyexit

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

// Purge holds dirMu and asks for the root without creating it: makeDir is never reached.
func (t *Tree) Purge(name string) error {
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	if _, err := t.rootNode(false); err != nil {
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

// Sweep holds dirMu and passes create = false on: ensureAll never reaches makeDir.
func (t *Tree) Sweep(names []string) {
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	t.ensureAll(names, false)
}
