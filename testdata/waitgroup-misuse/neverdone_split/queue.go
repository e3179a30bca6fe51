// Package mirror splits the counting over two files: the Add here, the Wait in drain.go.
package mirror

import "sync"

type Mirror struct {
	inflight sync.WaitGroup
	out      chan []byte
}

func (m *Mirror) Push(b []byte) {
	m.inflight.Add(1)
	m.out <- b
}

// Copies counts its copies but never counts them down.
func Copies(parts [][]byte) {
	var copies sync.WaitGroup
	for _, p := range parts {
		copies.Add(1)
		go func() {
			_ = append([]byte(nil), p...)
		}()
	}
	copies.Wait() // want `copies.Wait\(\) blocks forever: copies.Add\(1\) at line 20 counts up`
}

// Handed passes its group to a helper, which may call Done: silent.
func Handed(parts [][]byte) {
	var handed sync.WaitGroup
	for _, p := range parts {
		handed.Add(1)
		go copyPart(&handed, p)
	}
	handed.Wait()
}

func copyPart(g *sync.WaitGroup, p []byte) {
	defer g.Done()
	_ = p
}

// Exported groups may be counted down by importers: silent.
type Exported struct{ Pending sync.WaitGroup }

func (e *Exported) Start() { e.Pending.Add(1) }
func (e *Exported) Wait()  { e.Pending.Wait() }

// Negative Add counts down.
type Back struct{ jobs sync.WaitGroup }

func (b *Back) Start()  { b.jobs.Add(1) }
func (b *Back) Finish() { b.jobs.Add(-1) }
func (b *Back) Drain()  { b.jobs.Wait() }
